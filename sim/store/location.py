"""Where the sessions live: the data folder's SQLite file, or a server named by SIM_DATABASE_URL.

Pure string work, no driver import: `sim doctor`, the CLI's messages and `open_store()` read
the setting and show it with its password masked before anything connects.
"""

from __future__ import annotations

import os
import re
from functools import cache

URL_VARIABLE = "SIM_DATABASE_URL"
SCHEMES = ("postgresql://", "postgres://")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The password in a URL's user info, in its query, and in a key=value string: compiled
    when first needed, not at import (`sim` alone reads `database_url` before its first
    frame, and compiling these is most of this module's import)."""
    # The user info runs to the authority's last `@` (a password may hold an unencoded `@`).
    in_url = re.compile(
        r"^(?P<head>[a-z][a-z0-9+.-]*://[^/@:?#]*:)(?P<secret>[^/?#]*)@(?=[^@/?#]*(?:[/?#]|$))",
        re.IGNORECASE,
    )
    in_query = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#]*)", re.IGNORECASE)
    keyword = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|\S*)")
    return in_url, in_query, keyword


def database_url() -> str | None:
    """The server database the sessions go to, or None for the data folder's SQLite file."""
    value = os.environ.get(URL_VARIABLE, "").strip()
    return value or None


def mask_url(url: str) -> str:
    """The URL as it may be shown: any password replaced by `***`."""
    in_url, in_query, keyword = _patterns()
    masked = in_url.sub(lambda m: f"{m['head']}***@", url)
    masked = in_query.sub(lambda m: f"{m['head']}***", masked)
    if "://" not in masked:  # a key=value connection string
        masked = keyword.sub(lambda m: f"{m['head']}***", masked)
    return masked


def secrets_of(url: str) -> list[str]:
    """The password(s) written in the URL, to scrub from a driver's message."""
    in_url, in_query, _ = _patterns()
    found = [m["secret"] for m in in_url.finditer(url)]
    found += [m["secret"] for m in in_query.finditer(url)]
    return [secret for secret in found if len(secret) >= 3]


def is_postgres_url(url: str) -> bool:
    return url.lower().startswith(SCHEMES)

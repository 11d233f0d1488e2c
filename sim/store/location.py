"""Where the sessions live: the data folder's SQLite file, or a server named by SIM_DATABASE_URL.

Pure string work, no driver import: `sim doctor`, the CLI's messages and `open_store()` read
the setting and show it with its password masked before anything connects.
"""

from __future__ import annotations

import os
import re

URL_VARIABLE = "SIM_DATABASE_URL"
SCHEMES = ("postgresql://", "postgres://")

# The user info runs to the authority's last `@` (a password may hold an unencoded `@`).
_PASSWORD_IN_URL = re.compile(
    r"^(?P<head>[a-z][a-z0-9+.-]*://[^/@:?#]*:)(?P<secret>[^/?#]*)@(?=[^@/?#]*(?:[/?#]|$))",
    re.IGNORECASE,
)
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#]*)", re.IGNORECASE)
_PASSWORD_KEYWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|\S*)")


def database_url() -> str | None:
    """The server database the sessions go to, or None for the data folder's SQLite file."""
    value = os.environ.get(URL_VARIABLE, "").strip()
    return value or None


def mask_url(url: str) -> str:
    """The URL as it may be shown: any password replaced by `***`."""
    masked = _PASSWORD_IN_URL.sub(lambda m: f"{m['head']}***@", url)
    masked = _PASSWORD_IN_QUERY.sub(lambda m: f"{m['head']}***", masked)
    if "://" not in masked:  # a key=value connection string
        masked = _PASSWORD_KEYWORD.sub(lambda m: f"{m['head']}***", masked)
    return masked


def secrets_of(url: str) -> list[str]:
    """The password(s) written in the URL, to scrub from a driver's message."""
    found = [m["secret"] for m in _PASSWORD_IN_URL.finditer(url)]
    found += [m["secret"] for m in _PASSWORD_IN_QUERY.finditer(url)]
    return [secret for secret in found if len(secret) >= 3]


def is_postgres_url(url: str) -> bool:
    return url.lower().startswith(SCHEMES)

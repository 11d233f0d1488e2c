"""Author and team text on screen: always plain (never markup), control characters removed."""

from __future__ import annotations

import re

from rich.text import Text

from sim.model import localize
from sim.model.text import Text as AuthorText

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Strip terminal control and escape characters (keep newlines and tabs)."""
    return _CONTROL.sub("", text)


def plain(text: str, style: str = "") -> Text:
    """A rich Text that is never parsed as markup, so `[0]` or `[/` in a case is harmless."""
    return Text(clean(text), style=style)


def local(text: AuthorText | None, lang: str, default: str) -> str:
    return clean(localize(text, lang, default))

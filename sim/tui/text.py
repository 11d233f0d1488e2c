"""Author and team text on screen: always plain (never markup), control characters removed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from sim.localize import localize
from sim.textsafe import clean

if TYPE_CHECKING:
    from sim.model.text import Text as AuthorText

__all__ = ["clean", "local", "local_markdown", "plain"]


def plain(text: str, style: str = "") -> Text:
    """A rich Text that is never parsed as markup, so `[0]` or `[/` in a case is harmless."""
    return Text(clean(text), style=style)


def local(text: AuthorText | None, lang: str, default: str) -> str:
    """Plain author text in `lang`, its soft line breaks joined (`sim.prose.flow`)."""
    from sim.prose import flow

    return flow(clean(localize(text, lang, default)))


def local_markdown(text: AuthorText | None, lang: str, default: str) -> str:
    """Author Markdown (case text, real outcome) in `lang`, for `prose_view.markdown_view`."""
    return clean(localize(text, lang, default))

"""The debrief report as one self-contained HTML file (inline CSS and SVG, no script).

Chinese needs a font that has it, and nothing here can be fetched, so the style sheet names
the CJK families of every common system (PingFang and Hiragino on macOS, Microsoft YaHei on
Windows, Noto/Source Han and WenQuanYi on Linux) before the generic family, and a page that
holds Chinese opens with a small note, in Latin letters a font-less machine can still show,
saying how to install one: at the top, where the boxes are seen first. (No maintained Python
package ships a CJK font to embed: see the README's Reports section and `sim doctor`.)
"""

from __future__ import annotations

import re

from sim.report.context import HandoutView, SessionView
from sim.report.environment import html_environment

CJK_NOTE_MARK = "<!--cjk-note-->"
"""Where the font note goes; author text is escaped, so it can never write this mark."""

CJK_NOTE = (
    '<p class="cjk-note" lang="en">Chinese characters shown as boxes? This computer has no '
    "Chinese font. Install one, then open this file again: Debian/Ubuntu "
    "<code>sudo apt install fonts-noto-cjk</code>, Fedora "
    "<code>sudo dnf install google-noto-sans-cjk-fonts</code>, Arch "
    "<code>sudo pacman -S noto-fonts-cjk</code> (Windows and macOS include one). "
    "<code>sim doctor</code> checks a computer for everything sim needs.</p>"
)

_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """Whether `text` holds any Chinese character or full-width punctuation."""
    return _CJK.search(text) is not None


def shows_cjk(html: str) -> bool:
    """Whether the page's body (not its style sheet's comments) holds Chinese."""
    return has_cjk(html[html.find("<body") :])


def _with_font_note(html: str) -> str:
    return html.replace(CJK_NOTE_MARK, CJK_NOTE if shows_cjk(html) else "", 1)


def report_html(view: SessionView) -> str:
    return _with_font_note(html_environment().get_template("report.html.j2").render(view=view))


def handout_html(view: HandoutView) -> str:
    return _with_font_note(html_environment().get_template("handout.html.j2").render(view=view))

"""Author Markdown on screen: bold lead-ins close, control characters and escapes are gone."""

from __future__ import annotations

import io

from rich.console import Console

from sim.tui.prose_view import markdown_view
from sim.tui.text import local_markdown


def shown(markdown: str, width: int = 40) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(markdown_view(markdown))
    return console.export_text()


def test_a_bold_lead_in_ending_in_a_full_width_colon_closes() -> None:
    assert shown("**真实的结局：**实在无奈").strip() == "真实的结局：实在无奈"
    assert shown("- **社会营销观念**：现代").strip() == "• 社会营销观念：现代"


def test_control_characters_and_whole_escape_sequences_are_gone() -> None:
    # The whole escape sequence goes (the shared cleaner), not just its ESC: no "[31m" residue.
    assert local_markdown("a\x1b[31mb", "zh", "zh") == "ab"
    assert local_markdown("a\x1b]0;pwned\x07b\u202ec", "zh", "zh") == "abc"
    assert shown("a\x1b[31mb").strip() == "ab"

"""Print one of the README's set-up command lines, so CI runs exactly what the README says.

The README marks each with an HTML comment (`<!-- ci: app -->`, `<!-- ci: test -->`) on the
line before its fenced block; the command is the block's only line. Anything else (no
marker, two lines, an empty block) is an error: CI must not run something the README
does not say.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def command(name: str, text: str) -> str:
    """The single command line of the fenced block marked `<!-- ci: NAME -->`."""
    pattern = re.compile(
        r"^<!-- ci: " + re.escape(name) + r" -->\n```[a-z]*\n(?P<body>.*?)\n```", re.M | re.S
    )
    found = pattern.findall(text)
    if len(found) != 1:
        raise SystemExit(f"README.md: expected one block marked `ci: {name}`, found {len(found)}")
    lines = [line for line in found[0].splitlines() if line.strip()]
    if len(lines) != 1:
        raise SystemExit(f"README.md: the `ci: {name}` block must hold one command line")
    return lines[0]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: readme_commands.py app|test")
    print(command(sys.argv[1], README.read_text(encoding="utf-8")))

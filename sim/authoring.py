"""`sim new`: a small complete case to start from, written in the author's languages.

The template (sim/templates/new-case.yaml) is a real case — two decisions with reasons, three
endings, the bundled rubrics — whose comments teach the format where it is used. It validates,
plays and analyses cleanly; tests/test_authoring.py holds it to that. Every text in it is
written in block form, one language per line (`zh: …`, `en: …`), so a case in one language
is the same file with the other language's lines left out.
"""

from __future__ import annotations

import re
from importlib import resources

from sim.validate import ID_PATTERN

LANGUAGES = ("zh", "en")
PLACEHOLDER = "CASE_ID"


def template() -> str:
    return (resources.files("sim") / "templates" / "new-case.yaml").read_text(encoding="utf-8")


def parse_languages(text: str) -> list[str]:
    """`zh,en` → ["zh", "en"]; a ValueError names what is wrong."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in chosen if lang not in LANGUAGES]
    if not chosen or unknown:
        raise ValueError(
            f"--lang takes zh, en or zh,en (the languages the template is written in), not `{text}`"
        )
    return list(dict.fromkeys(chosen))


def _keep_languages(text: str, languages: list[str]) -> str:
    """The template without the lines (and block continuations) of languages left out."""
    dropped = [lang for lang in LANGUAGES if lang not in languages]
    if not dropped:
        return text
    line_of = re.compile(r"^(\s+)(" + "|".join(dropped) + r"): ")
    kept: list[str] = []
    skipping_under: int | None = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if skipping_under is not None:
            if not line.strip() or indent > skipping_under:
                continue
            skipping_under = None
        found = line_of.match(line)
        if found is not None:
            if line.rstrip().endswith(("|", ">", "|-", ">-")):
                skipping_under = len(found.group(1))
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def new_case(case_id: str, languages: list[str]) -> str:
    """The template as the case `case_id`, in `languages` (the first is the default)."""
    if not ID_PATTERN.fullmatch(case_id):
        raise ValueError(
            f"`{case_id}` is not a case id: use lowercase a-z, 0-9 and single hyphens, "
            "e.g. `hotel-late-checkout`"
        )
    text = _keep_languages(template(), languages).replace(PLACEHOLDER, case_id)
    return text.replace("languages: LANGUAGES", f"languages: [{', '.join(languages)}]")

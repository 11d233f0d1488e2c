"""The README's Markdown sample is what `sim report` really prints for that run."""

from __future__ import annotations

import re

from sim.cases import load_case
from sim.report import render_report
from sim.store import open_store
from tests.conftest import REPO
from tests.report.helpers import record, source_of

BEST = [
    ("listen", "understand-first"),
    ("check-record", None),
    ("tailor-alt", "delivered-value-reason"),
    ("tailored-package", "raise-value-cut-cost"),
    ("escort", None),
    ("personal-follow-up", None),
]


def test_readme_sample_matches_a_real_run() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reports", 1)[1]
    found = re.search(r"```markdown\n(.*?)```", section, re.DOTALL)
    assert found is not None
    with open_store() as store:
        session = record(store, load_case("airline-ba008"), "Red", BEST)
        md = render_report(source_of(store, session), "md", "en")
    for line in filter(None, found.group(1).splitlines()):
        assert line in md.splitlines(), line

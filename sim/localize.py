"""Author text in one language: the fallback every face uses, with no models imported.

It lives outside `sim.model` because Home lists cases from plain cached summaries before
pydantic is loaded; the models re-export it (`sim.model.localize`).
"""

from __future__ import annotations


def localize(text: str | dict[str, str] | None, lang: str, default: str) -> str:
    """The text in `lang`, else in the scenario's default language, else any language.

    Falls back rather than failing: a missing translation is a validation warning, not a
    reason to stop a class.
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for key in (lang, default):
        if key in text:
            return text[key]
    return next(iter(text.values()), "")

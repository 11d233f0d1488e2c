"""`sim run` as text speaks the chosen language: labels, case text, state; ids in brackets."""

from __future__ import annotations

import json

from sim.cases import load_case
from sim.headless import play_headless

CHOICES = [("listen", "understand-first"), ("check-record", None)]


def test_chinese_text_has_chinese_labels_and_the_options_text() -> None:
    outcome = play_headless(load_case("airline-ba008"), CHOICES)
    text = outcome.as_text("zh")
    for english in ("because", "State", "Overall", "Ending", "not observed", ": "):
        assert english not in text, english
    assert "理由：顾客沟通是思想与感情的双向传递" in text
    assert "[listen]" in text and "[understand-first]" in text  # ids for the next --choices
    assert "最终状态：满意度 45、信任 75" in text
    assert "总分：" in text and "共情与尊重（empathy）：4.00 -> 优秀" in text


def test_english_text_and_json_stay_as_they_were() -> None:
    outcome = play_headless(load_case("airline-ba008"), CHOICES)
    text = outcome.as_text("en")
    assert "Because: Customer communication runs both ways" in text
    assert "Final state: Satisfaction 45, Trust 75" in text
    # --json is the contract: ids and numbers only, whatever the language.
    data = outcome.as_json()
    assert [step["choice"] for step in data["path"]] == ["listen", "check-record"]
    assert json.dumps(data) == json.dumps(outcome.as_json())

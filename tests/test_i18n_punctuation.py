"""Chinese UI strings use Chinese punctuation: `：` `，` `（）`, never `: ` or `, ` after a Han."""

from __future__ import annotations

import re

from sim.i18n import _STRINGS, tr

HAN = "\u4e00-\u9fff"
HALF_WIDTH = re.compile(rf"[{HAN}][:,;?!](?!\d)|[{HAN}] ?\((?![A-Za-z{{])|[{HAN}]\)")


def test_every_chinese_ui_string_uses_full_width_punctuation() -> None:
    wrong = {key: zh for key, (zh, _) in _STRINGS.items() if HALF_WIDTH.search(zh)}
    assert not wrong, wrong


def test_the_joining_words_follow_the_language() -> None:
    assert tr("colon", "zh") == "：" and tr("colon", "en") == ": "
    assert tr("comma", "zh") == "、" and tr("comma", "en") == ", "

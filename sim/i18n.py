"""UI strings in Chinese and English. Case text has its own languages (sim.model.localize)."""

from __future__ import annotations

UI_LANGUAGES = ("zh", "en")

_STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.title": ("情景模拟", "Case role-play"),
    # After a label ("结局：", "Ending: "): Chinese takes a full-width colon and no space.
    "colon": ("：", ": "),
    # Between the items of a run-in list ("共情、倾听", "empathy, listening").
    "comma": ("、", ", "),
    "home.title": ("案例目录", "Case catalogue"),
    "home.filter": ("筛选案例…", "Filter cases…"),
    "home.loading": ("正在载入案例…", "Loading cases…"),
    "home.none": ("没有找到案例", "No cases found"),
    "home.minutes": ("{n} 分钟", "{n} min"),
    "home.broken": ("有错误，无法载入：{n} 处", "has errors and cannot load: {n}"),
    "home.hint": (
        "Enter 练习 · c 课堂 · h 历史 · s 统计 · / 筛选",
        "Enter practise · c class · h history · s stats · / filter",
    ),
    "key.practise": ("练习", "Practise"),
    "key.class": ("课堂", "Class"),
    "key.history": ("历史", "History"),
    "stats.key": ("统计", "Stats"),  # Home's key: here, so Home needs no other table
    "key.filter": ("筛选", "Filter"),
    "key.language": ("中/EN", "中/EN"),
    "key.theme": ("主题", "Theme"),
    "key.help": ("按键", "Keys"),
    "key.quit": ("退出", "Quit"),
    "key.back": ("返回", "Back"),
    "key.start": ("开始", "Start"),
    "key.new": ("重新开始", "New"),
    "key.gauges": ("仪表", "Gauges"),
    "key.feedback": ("反馈时机", "Feedback"),
    "key.replay": ("重玩", "Replay"),
    "key.replay_from": ("从某步重玩", "Replay from…"),
    "key.catalogue": ("目录", "Cases"),
    "key.confirm": ("确认", "Confirm"),
    "key.open": ("打开", "Open"),
    "briefing.case": ("案例", "The case"),
    "briefing.roles": ("角色", "Roles"),
    "briefing.knowledge": ("要留意的知识点", "Knowledge points to watch for"),
    "briefing.assessed": ("评分依据", "Assessed on"),
    "briefing.start": ("按 Enter 开始", "Press Enter to start"),
    "briefing.resume": (
        "按 Enter 继续未完成的第 {n} 次练习，按 n 重新开始",
        "Press Enter to resume unfinished attempt #{n}, n for a new one",
    ),
    "briefing.feedback_immediate": ("反馈：每步之后", "Feedback: after each choice"),
    "briefing.feedback_end": ("反馈：结束时", "Feedback: at the end"),
    "play.choose": (
        "你们怎么做？（数字选择，Enter 确认）",
        "What do you do? (digit to pick, Enter to confirm)",
    ),
    "play.why": (
        "为什么？（数字选择，Enter 确认，Esc 改选）",
        "Why? (digit to pick, Enter to confirm, Esc to change the choice)",
    ),
    "play.you": ("你们", "You"),
    "play.because": ("理由", "Because"),
    "play.feedback": ("反馈", "Feedback"),
    "play.mismatch": (
        "这个理由并不支持你们的选择：推理按最低等级计分。",
        "This reason does not support your choice: reasoning scores the lowest level.",
    ),
    "play.ended": (
        "案例结束 — 按 Enter 查看结果",
        "The case has ended — press Enter for the results",
    ),
    "play.stuck": (
        "此处没有可选的行动（案例有误）",
        "No choice is available here (the case has a flaw)",
    ),
    "play.gauges_hidden": ("仪表已隐藏（真实模式）", "Gauges hidden (realistic mode)"),
    "play.saved": ("已保存", "saved"),
    "end.title": ("结果", "Results"),
    "run.partial": ("（部分：未完成，不计成绩）", " (partial: unfinished, no grade)"),
    "run.unfinished": ("（未完成：停在场景 {scene}）", "(not finished: at scene {scene})"),
    "end.ending": ("结局", "Ending"),
    "end.overall": ("总分", "Overall"),
    "end.not_observed": ("未观察到", "not observed"),
    "end.from": (
        "依据（→ 后为该项给出的等级分；✗ = 理由不支持选择，按最低等级计）",
        "from (→ the level points it gave; ✗ = the reason does not support the choice: lowest level)",
    ),
    "end.from_ending": ("结局", "ending"),
    "end.outcome_is": ("顾客最终：{o}", "the customer ends up {o}"),
    "end.how": (
        "怎么算：每项标准取所得等级分的平均，按下列换算成百分，再按标准权重平均；总分是各量表百分的加权平均（权重 {weights}）。",
        "How it is made: each criterion's level points are averaged, turned into percent as below, then weighted by criterion; the overall is the weighted mean of the rubrics' percents (weights {weights}).",
    ),
    "legend.percent": (
        "{title}：{pairs}（等级 → 百分；两级之间按比例）",
        "{title}: {pairs} (level → percent; in between, pro rata)",
    ),
    "legend.percent_weighted": (
        "{title}：{pairs}（等级 → 百分；两级之间按比例）；标准权重 {weights}",
        "{title}: {pairs} (level → percent; in between, pro rata); criterion weights {weights}",
    ),
    "legend.outcome": (
        "括号内为顾客的最终状态：忠诚、满意、一般、抱怨、流失",
        "In brackets, where the customer ends up: loyal, satisfied, neutral, complaining, lost",
    ),
    "end.example": ("本案示例：", "In this case: "),
    "end.knowledge_hit": ("运用了的知识点", "Knowledge points applied"),
    "end.knowledge_missed": ("错过的知识点", "Knowledge points missed"),
    "end.misapplied": ("（涉及了，但用得不到位）", "(touched on, but not used well)"),
    "end.real": ("真实结局", "What really happened"),
    "end.questions": ("讨论问题", "Discussion questions"),
    "end.feedback": ("每一步的反馈", "Feedback on each choice"),
    "end.discovered": ("已发现的结局：{found}/{total}", "Endings discovered: {found} of {total}"),
    "end.state": ("最终状态", "Final state"),
    "end.path": ("你们的路径", "Your path"),
    "end.pick_step": ("从哪一步重玩？", "Replay from which decision?"),
    "outcome.loyal": ("忠诚", "loyal"),
    "outcome.satisfied": ("满意", "satisfied"),
    "outcome.neutral": ("一般", "neutral"),
    "outcome.complaining": ("抱怨", "complaining"),
    "outcome.lost": ("流失", "lost"),
    "history.title": ("练习历史", "Attempt history"),
    "history.none": ("还没有练习记录", "No attempts yet"),
    "history.unfinished": ("未完成", "unfinished"),
    "help.title": ("按键", "Keys"),
    "help.digits": ("数字 1–9", "Digits 1–9"),
    "help.digits_do": ("选择第 n 个选项或理由", "pick the n-th choice or reason"),
    "help.enter_do": ("确认或继续", "confirm or continue"),
    "help.arrows_do": ("移动选择或滚动", "move the highlight or scroll"),
    "help.story_do": (
        "滚动上方的故事（选择时也可以）",
        "scroll the story above, while choosing too",
    ),
    "help.close": ("按 Esc 或 ? 关闭", "Esc or ? closes"),
    "watch.started": ("正在监视 {path}：保存文件即重新载入案例；这是预览，不保存任何记录。", "Watching {path}: save the file and the case reloads; this is a preview and nothing is stored."),
    "watch.reloaded": ("已重新载入：{kept}/{total} 步照旧重放。", "Reloaded: {kept} of {total} moves replayed."),
    "watch.stopped": ("已重新载入：重放在第 {n} 步停下（{why}）；保留的步数：{kept}。", "Reloaded: the replay stopped at move {n} ({why}); moves kept: {kept}."),
    "watch.errors_title": ("案例文件有错误，仍在使用上一个正确的版本", "The case file has errors; the last good version is still in use"),
    "watch.errors_hint": ("改正文件并保存，案例会自动重新载入。Esc 关闭此窗口，继续使用上一个版本。", "Fix the file and save: the case reloads by itself. Esc closes this and plays on with the last good version."),
    "watch.no_case": ("还没有可以玩的版本：改正文件并保存。", "There is no version to play yet: fix the file and save."),
    "help.doctor": ("显示或保存不正常？退出后在终端运行 {command}\u00a0doctor：它检查本机并说明如何解决。", "Something not showing or saving right? Quit and run `{command}\u00a0doctor` in a terminal: it checks this machine and says how to fix each thing."),
    "error.case": ("案例无法载入", "The case cannot be loaded"),
    "crash.store": (
        "sim 停止：会话数据库无法使用（{problem}）。屏幕上最后一步没有保存。详情：{path}",
        "sim stopped: the session database could not be used ({problem}). The last move on screen was not saved. Details: {path}",
    ),
    "crash.message": (
        "sim 遇到意外错误而停止。你们做过的每一步都已保存；再次运行 sim 即可继续。详情：{path}",
        "sim stopped on an unexpected error. Every move you made is saved; run sim again to resume. Details: {path}",
    ),
    "export.done": ("已导出到 {folder}：\n{names}", "Exported to {folder}:\n{names}"),
    "key.export": ("导出", "Export"),
    "crash.title": ("上次 sim 意外停止", "sim stopped unexpectedly last time"),
    "crash.body": (
        "每一步都已保存。选择要继续的练习或课堂（数字，Enter），或按 Esc 回到目录。错误记录：{path}",
        "Every move was saved. Pick an attempt or class to resume (digit, Enter), or Esc for the catalogue. Error log: {path}",
    ),
    "crash.none": ("没有未完成的练习或课堂。", "There is no unfinished attempt or class."),
    "crash.practice": (
        "练习 #{id}：{case}（{events} 个事件）",
        "Attempt #{id}: {case} ({events} events)",
    ),
    "crash.classroom": (
        "课堂 #{id}：{case}，{teams}（{events} 个事件）",
        "Class #{id}: {case}, {teams} ({events} events)",
    ),
}

# A session resumed after its case file changed (issue 15): the played version is the default.
_STRINGS.update(
    {
        "edited.title": ("案例文件已修改", "The case file has changed"),
        "edited.body": (
            "{path} 在本场（第 {id} 场）进行之后被修改过，与当时使用的版本不同。"
            "当时的版本已随本场保存。",
            "{path} was edited after session #{id} was played: it is not the version the "
            "session was played with, which is stored with the session.",
        ),
        "edited.played": (
            "继续使用当时的版本（默认，不丢失任何内容）",
            "Continue with the version that was played (default; nothing is lost)",
        ),
        "edited.edited": (
            "改用修改后的文件（已记录的 {n} 步都能在其中重放）",
            "Continue with the edited file (all {n} stored move(s) replay in it)",
        ),
        "edited.cannot": (
            "修改后的文件无法接续：事件 {seq} 的一步在其中已不存在（{why}）。继续使用当时的版本。",
            "The edited file cannot take over: the move of event {seq} no longer exists in it "
            "({why}). The version that was played is kept.",
        ),
        "edited.taken": (
            "已改用修改后的文件；当时的版本仍保存在本场记录中。",
            "Now playing the edited file; the version played before stays stored with the session.",
        ),
        "key.keep": ("保留当时的版本", "Keep the played version"),
        "history.unloadable": ("所存的案例无法载入", "its stored case cannot be loaded"),
    }
)
_MORE: list[bool] = []
"""Whether the classroom, report and statistics tables have been read: on the first key
not found above, as Home's first frame needs none of them (they add no key twice)."""


def _read_more() -> None:
    from sim.i18n_classroom import CLASSROOM_STRINGS
    from sim.i18n_report import REPORT_STRINGS
    from sim.i18n_stats import STATS_STRINGS

    _STRINGS.update(CLASSROOM_STRINGS)
    _STRINGS.update(REPORT_STRINGS)
    _STRINGS.update(STATS_STRINGS)
    _MORE.append(True)


def tr(key: str, lang: str, **values: object) -> str:
    """The UI string in `lang` (zh or en; anything else falls back to English)."""
    pair = _STRINGS.get(key)
    if pair is None and not _MORE:
        _read_more()
        pair = _STRINGS.get(key)
    zh, en = pair or (key, key)
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text

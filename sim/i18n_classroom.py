"""UI strings of classroom mode in Chinese and English, merged into sim.i18n's table.

Kept apart so the classroom screens' wording can be found (and edited) in one place.
"""

from __future__ import annotations

CLASSROOM_STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "key.undo": ("撤销", "Undo"),
    "key.pause": ("暂停", "Pause"),
    "key.justify": ("写理由", "Justify"),
    "key.briefing": ("案例", "Briefing"),
    "key.rate": ("评分", "Rate"),
    "key.next": ("下一部分", "Next"),
    "key.previous": ("上一部分", "Previous"),
    "key.weights": ("权重", "Weights"),
    "key.policy": ("计分方式", "Formula"),
    "key.mode": ("轮流方式", "Turn mode"),
    "key.done": ("完成", "Done"),
    "key.rater": ("换评分人", "Rater"),
    "key.team": ("换小组", "Team"),
    "key.resume": ("继续", "Resume"),
    "class.setup_title": ("开始课堂：{case}", "Start a class: {case}"),
    "class.teams_label": (
        "小组（2–8 个，用逗号分隔；成员可写在括号里，如：红队（李、王）, 蓝队, 绿队）",
        "Teams (2–8, comma-separated; members optional in brackets: Red (Li, Wang), Blue, Green)",
    ),
    "class.teams_placeholder": ("红队, 蓝队, 绿队", "Red, Blue, Green"),
    "class.mode.sequential": (
        "轮流方式：逐组（每组演完整个案例，其他组观看）",
        "Turns: sequential (each team plays the whole case while the others watch)",
    ),
    "class.mode.round": (
        "轮流方式：逐轮（每个决定所有小组依次作答，再一起对比）",
        "Turns: round (at each decision every team answers, then all answers side by side)",
    ),
    "class.feedback.debrief": ("反馈：讲评时才显示", "Feedback: held until the debrief"),
    "class.feedback.immediate": ("反馈：每步之后显示", "Feedback: after each choice"),
    "class.setup_hint": (
        "输入小组后按 Enter 到选项 · 数字选择 · Enter 确认 · Tab 切换 · Esc 返回",
        "Type the teams, Enter goes to the options · digit picks · Enter confirms · Tab switches · Esc back",
    ),
    "class.session_line": (
        "第 {id} 场：{teams}（{events} 个事件）",
        "#{id}: {teams} ({events} events)",
    ),
    "class.briefing_status": (
        "小组：{teams} — 按 Enter 开始（演练中按 b 再看案例）",
        "Teams: {teams} — press Enter to begin (b shows this briefing again during play)",
    ),
    "class.saved": (
        "课堂第 {id} 场已保存：在目录里对该案例按 c，或运行 sim class --resume {id}，即可从停下处继续",
        "Class #{id} is saved: press c on its case in the catalogue, or run sim class --resume {id}, to go on where it stopped",
    ),
    "class.error.count": (
        "一个课堂需要 2–8 个小组，用逗号分隔（现在是 {n} 个），例如：红队, 蓝队, 绿队",
        "A class needs 2 to 8 teams, separated by commas (now {n}), e.g. Red, Blue, Green",
    ),
    "class.error.twice": ("小组“{team}”重复了", "Team “{team}” is named twice"),
    "class.error.unnamed": (
        "成员前面要写小组名：{part}",
        "A team needs a name before its members: {part}",
    ),
    "class.state_of": ("{team} 的状态", "{team}'s state"),
    "undo.choice": ("{team} 的选择：{text}", "{team}'s choice: {text}"),
    "undo.reason": ("{team} 的理由：{text}", "{team}'s reason: {text}"),
    "undo.note": ("{team} 的理由说明", "{team}'s justification"),
    "undo.rating": ("{rater} 给 {team} 的一项评分", "a rating of {team} by {rater}"),
    "undo.round": ("第 {n} 个决定的对比", "the comparison of decision {n}"),
    "undo.rated": (
        "{teams} 的评分完成（回到评分）",
        "closing the rating of {teams} (back to rating)",
    ),
    "undo.setting": ("一项设置", "a setting"),
    "undo.finished": ("课堂结束标记", "the end of the class"),
    "help.digits_level": ("给所选标准打第 n 级", "give the highlighted criterion level n"),
    "help.digits_part": ("跳到讲评的第 n 部分", "jump to part n of the debrief"),
    "class.title": ("{case} — 课堂第 {id} 场", "{case} — class #{id}"),
    "class.turn": ("轮到：{team}", "Turn: {team}"),
    "class.turn_round": ("第 {n} 个决定 — 轮到：{team}", "Decision {n} — turn: {team}"),
    "class.note_placeholder": (
        "j：写下小组的理由（可选），Enter 回到选项",
        "j: type the team's justification (optional), Enter returns to the choices",
    ),
    "class.reveal": (
        "第 {n} 个决定：各组的回答 — 按 Enter 继续",
        "Decision {n}: every team's answer — press Enter to go on",
    ),
    "class.rate_prompt": (
        "请为 {teams} 评分 — 按 Enter 打开评分",
        "Time to rate {teams} — press Enter to open the rating",
    ),
    "class.debrief_prompt": (
        "所有小组已完成 — 按 Enter 进入讲评",
        "Every team is done — press Enter for the debrief",
    ),
    "class.undone": ("已撤销：{what}", "Undone: {what}"),
    "class.nothing_to_undo": ("没有可以撤销的事件", "Nothing to undo"),
    "class.paused": ("已暂停 — 按任意键继续", "Paused — press any key to go on"),
    "class.note": ("小组理由", "Team's justification"),
    "class.finished": ("已完成", "done"),
    "class.waiting": ("等待", "waiting"),
    "class.choice": ("选择", "Choice"),
    "class.reason": ("理由", "Reason"),
    "rate.title": ("评分：{team}", "Rating: {team}"),
    "rate.rater": ("评分人：{rater}（{n}/{total}）", "Rater: {rater} ({n} of {total})"),
    "rate.instructor": ("教师", "Instructor"),
    "rate.peer": ("{team}（互评）", "{team} (peer)"),
    "rate.hint": (
        "↑↓ 选标准 · 数字 = 等级 · ←→ 换评分人 · Tab 换小组 · u 撤销 · Enter 完成",
        "↑↓ criterion · digit = level · ←→ rater · Tab team · u undo · Enter done",
    ),
    "rate.missing": ("还缺 {n} 个评分", "{n} ratings missing"),
    "rate.complete": ("评分齐全", "All ratings in"),
    "rate.confirm_missing": (
        "还缺 {n} 个评分：再按一次 Enter 仍然完成（之后可在讲评中补评）",
        "{n} ratings are missing: press Enter again to finish anyway (you can add them at the debrief)",
    ),
    "rate.unrated": ("未评", "not rated"),
    "debrief.title": ("{case} — 讲评", "{case} — debrief"),
    "debrief.section": ("第 {n}/{total} 部分：{name}", "Part {n} of {total}: {name}"),
    "debrief.outcome": ("真实结局", "What really happened"),
    "debrief.paths": ("各组的路径", "The teams' paths"),
    "debrief.feedback": ("每一步的反馈", "Feedback, step by step"),
    "debrief.no_steps": ("（还没有做出选择）", "(no decision made yet)"),
    "debrief.scores": ("得分", "Scores"),
    "debrief.knowledge": ("知识点", "Knowledge points"),
    "debrief.questions": ("讨论问题", "Discussion questions"),
    "debrief.step": ("决定", "Decision"),
    "debrief.diverged": (
        "◆ 从这里开始各组走向不同",
        "◆ the first decision where the teams chose differently",
    ),
    "debrief.ending": ("结局", "Ending"),
    "debrief.auto": ("自动", "Auto"),
    "debrief.human": ("课堂评分", "Rated"),
    "debrief.total": ("总分", "Total"),
    "debrief.weights": (
        "总分 = {a:.0%} 自动 + {h:.0%} 评分 · 评分计算：{policy}（同学与教师各自汇总；一方少于 3 人时三种方式结果相同）",
        "Total = {a:.0%} auto + {h:.0%} rated · rating formula: {policy} (peers and instructors are each summarised first; with fewer than 3 raters on a side the formulas agree)",
    ),
    "debrief.weights_course": (
        "总分 = 课堂评分（课程方法：同学互评均分与教师评分均分的平均），自动评分仅作参考 · 评分计算：{policy}",
        "Total = the rated score (the course method: the mean of the peers' mean and the instructor's mean); the automatic score is a second opinion · rating formula: {policy}",
    ),
    "debrief.partial": ("部分", "partial"),
    "debrief.unfinished_teams": (
        "未完成（没有总分，不参与排名）：{teams}",
        "Unfinished (no total, not ranked): {teams}",
    ),
    "debrief.policy.course": (
        "课程公式（同学平均与教师的平均）",
        "course (mean of peers' mean and instructor)",
    ),
    "debrief.policy.median": ("中位数", "median"),
    "debrief.policy.trimmed": ("去掉最高最低后平均", "trimmed mean"),
    "debrief.missing_list": ("评分未齐（缺几个）：{teams}", "ratings missing (how many): {teams}"),
    "debrief.hint": (
        "←→ 换部分 · 数字 跳到部分 · w 权重 · m 计分方式 · r 评分 · x 导出 · Esc 目录",
        "←→ part · digit jumps · w weights · m formula · r ratings · x export · Esc catalogue",
    ),
    "debrief.no_outcome": ("本案例没有写真实结局。", "This case has no real outcome written."),
}

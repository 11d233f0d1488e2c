"""The web pages' own words in Chinese and English (case text has its own languages)."""

from __future__ import annotations

LANGUAGES = ("zh", "en")

_STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "title": ("情景模拟课堂", "Class role-play"),
    "team": ("小组", "Team"),
    # After a label: Chinese takes a full-width colon and no space.
    "colon": ("：", ": "),
    "instructor": ("教师", "Instructor"),
    "switch": ("English", "中文"),
    "your_turn": ("轮到你们了", "Your turn"),
    "choose": ("你们怎么做？", "What do you do?"),
    "chosen": ("你们的选择", "Your choice"),
    "why": ("为什么？", "Why?"),
    "justification": (
        "理由说明（可选，最多 500 字）",
        "Justification (optional, at most 500 characters)",
    ),
    "send": ("提交", "Send"),
    "wait": ("请稍候", "Please wait"),
    "wait.turn": ("正在作答：{teams}", "Answering now: {teams}"),
    "wait.reveal": ("各组的回答正在投影上揭晓", "The answers are being revealed on the projector"),
    "wait.rate": (
        "你们的评分已提交，等待其他小组",
        "Your ratings are in; waiting for the other teams",
    ),
    "wait.done": (
        "你们已走完本案，等待其他小组",
        "You have reached an ending; waiting for the other teams",
    ),
    "watch": ("{team} 的进程", "{team}'s play so far"),
    "rate": ("评分", "Rating"),
    "rate.team": ("为 {team} 评分", "Rate {team}"),
    "rate.path": ("{team} 的选择与理由", "{team}'s choices and reasons"),
    "rate.send": ("提交评分", "Send the ballot"),
    "rate.given": (
        "你们给 {team} 的评分已提交（展开可修改）",
        "Your ballot for {team} is in (open to correct it)",
    ),
    "rate.correct_note": (
        "评分结束前可以修改；修改会作为更正保存。",
        "Until the rating closes you may change it; a change is stored as a correction.",
    ),
    "rate.correct": ("提交修改", "Send the correction"),
    "wait.rated_you": (
        "其他小组正在为你们评分，请稍候。",
        "The other teams are rating your team; please wait.",
    ),
    "wait.rated_you_too": (
        "其他小组还在评分（也在为你们评分）。",
        "The other teams are still rating, your team among others.",
    ),
    "rate.hidden": (
        "所有评分交齐之前，谁都看不到别人的评分。",
        "Nobody sees another ballot before all are in.",
    ),
    "ending": ("结局", "Ending"),
    "because": ("因为", "Because"),
    "note": ("说明", "Justification"),
    "note.instructor": ("说明（教师代为录入）", "Justification (entered by the instructor)"),
    "debrief": ("讲评", "Debrief"),
    "debrief.text": (
        "请看投影：教师正在讲评。",
        "Look at the projector: the instructor is running the debrief.",
    ),
    "your_path": ("你们的路径", "Your path"),
    "phase": ("阶段", "Phase"),
    "step.turn": ("作答", "Answering"),
    "step.reveal": ("揭晓本轮回答", "Revealing the round's answers"),
    "step.rate": ("评分", "Rating"),
    "step.debrief": ("讲评", "Debrief"),
    "next": ("下一步", "Next"),
    "next.finish": ("结束课堂（链接随之失效）", "End the class (the links stop working)"),
    "progress": ("进度", "Progress"),
    "steps": ("步数", "Steps"),
    "answering": ("作答中", "answering"),
    "ended": ("已到结局", "ended"),
    "rated": ("已评", "Rated"),
    "links": ("小组链接", "Team links"),
    "links.note": (
        "用手机扫码加入；链接只给本组。",
        "Scan to join; give each link to its own team only.",
    ),
    "live": ("页面会自动更新。", "This page updates by itself."),
    "paused": ("课堂已暂停，请看投影。", "The class is paused: look at the projector."),
    "pause": ("暂停课堂", "Pause the class"),
    "resume": ("继续课堂", "Resume the class"),
    "undo": ("撤销上一步（保留为更正）", "Undo the last move (kept as a correction)"),
    "enter_for": ("代 {team} 作答", "Answer for {team}"),
    "skip": ("跳过 {team}（设备掉线）", "Skip {team} (its device dropped)"),
    "skipped": ("已跳过", "skipped"),
    "rate.instructor": ("教师评分", "The instructor's rating"),
    "reveal.title": ("第 {n} 个决定：各组的回答", "Decision {n}: every team's answer"),
    "briefing": ("案例与角色", "The case and the roles"),
    "roles": ("角色", "Roles"),
    "error.not_started": (
        "课堂还没开始：请先读案例和角色。",
        "The class has not started: read the case and the roles first.",
    ),
    "wait.briefing": (
        "课堂还没开始：教师正在介绍案例。请读案例和你们的角色。",
        "The class has not started: the instructor is presenting the case. "
        "Read it and your roles.",
    ),
    "step.briefing": ("案例介绍", "Briefing"),
    "next.open": ("开始作答", "Open play"),
    "error.paused": ("课堂已暂停。", "The class is paused."),
    "error.nothing_to_undo": ("没有可以撤销的。", "There is nothing to undo."),
    "error.not_playing": ("这个小组现在不在作答。", "That team is not answering now."),
    "error.unknown_team": ("没有这个小组。", "There is no such team."),
    "error.moved": (
        "课堂刚刚有了变化（别的设备先操作了），这次操作没有保存。请看一下现在的情况，需要的话再做一次。",
        "The class moved on just now (another device acted first); nothing was stored. Look at "
        "where it is now and repeat if still wanted.",
    ),
    "error.answered": (
        "你们小组已经回答过这个问题了（可能按了两次）。下面是你们现在的位置。",
        "Your team has already answered that question (a second tap?). This is where it is now.",
    ),
    "error.not_your_turn": ("现在不是你们作答的时候。", "It is not your turn now."),
    "error.reason_due": ("先给出理由。", "Give the reason first."),
    "error.choice_due": ("先做出选择。", "Make a choice first."),
    "error.malformed": (
        "提交的内容不完整或格式不对。",
        "What was sent is incomplete or malformed.",
    ),
    "error.incomplete": ("每一项都要选一个等级。", "Give every criterion a level."),
    "error.not_rating": ("现在不能为这个小组评分。", "That team is not being rated now."),
    "error.self": ("不能给自己的小组评分。", "A team never rates itself."),
    "error.teams_playing": ("各小组还在作答。", "The teams are still answering."),
    "error.other": ("没有保存，请重试。", "Not stored; please try again."),
    "error.too_long": (
        "理由说明最多 500 字，没有保存：请缩短后再提交。",
        "A justification holds at most 500 characters; nothing was stored: shorten it and send it again.",
    ),
    "gone": ("课堂已经结束，链接已失效。", "The class has ended; this link no longer works."),
    "store_down": (
        "课堂的数据库暂时没有响应，什么都没有保存。这个页面会自己重试；请稍候。",
        "The class's database is not answering just now; nothing was stored. This page tries "
        "again by itself: wait a moment.",
    ),
    "unknown": (
        "没有这个链接。请向教师要你们小组的链接。",
        "There is no such link. Ask the instructor for your team's link.",
    ),
    "home": (
        "请打开教师给你们小组的链接或扫描二维码，或在 /join 输入小组的加入码。",
        "Open the link the instructor gave your team, scan its QR code, or type its join "
        "code at /join.",
    ),
    "join.heading": ("输入小组的加入码", "Type your team's join code"),
    "join.label": ("加入码（投影上显示，6 个字符）", "Join code (on the projector, 6 characters)"),
    "join.go": ("加入", "Join"),
    "join.wrong": (
        "没有这个加入码。请对照投影再输入一次。",
        "There is no such code. Check it against the projector and type it again.",
    ),
    "join.limited": (
        "错误的加入码太多，请稍等一分钟再试，或扫描二维码。",
        "Too many wrong codes: wait a minute and try again, or scan the QR code.",
    ),
    "join.code": ("加入码", "Join code"),
    "join.where": (
        "没有摄像头？打开 {url} 输入小组的加入码（只在本课堂进行时有效）。",
        "No camera? Open {url} and type the team's join code (valid only while this class "
        "is served).",
    ),
}


def tr(key: str, lang: str, **values: object) -> str:
    """The page string in `lang` (zh or en; anything else falls back to English)."""
    zh, en = _STRINGS.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text

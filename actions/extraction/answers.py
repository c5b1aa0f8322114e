"""What kind of answer a caller gave: yes/no, "skip this", "stop", "I got that wrong".

These are checked before any slot-specific parsing, so a caller who says
"不清楚" is never asked to type a date again, and "说错了，工资是八千" is
taken as a correction of the wage, not as a new answer to the current question.
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Sequence

# "Don't know" in its usual forms: 不清楚, 不太清楚, 记不清, 说不准, 忘了.
_SKIP = re.compile(
    r"不(?:太|是很|大|怎么)?(?:清楚|知道|确定|记得|晓得)|记不(?:清|得|住)|说不(?:清|准|好)|不好说"
    r"|忘了|忘记了|跳过|略过|下一[个题]|不想说|不方便说|不太方便|算了不说了"
)

# Wanting to leave the whole questionnaire, not one question. 停止/退出/结束
# only at the end of a clause: "公司停止发工资" is an answer, not a request.
_STOP = re.compile(
    r"不想(?:填|回答|答|聊|继续|弄)了|(?:先|就)?不填了|不(?:问|答|聊)了|别(?:问|填)了"
    r"|(?:停止|停下|退出|结束)(?:吧|了吧|问答|提问|填写|问卷)?(?![\u4e00-\u9fff])"
    r"|先到这|到此为止|(?:以后|改天|下次|回头)再说"
)

# What callers say before a value that replaces an earlier answer; matched as substrings.
CORRECTION_MARKERS = ("刚才说错了", "说错了", "不对", "更正", "改一下", "应该是", "其实是", "我记错了",
                      "记错了", "搞错了", "写错了", "打错了", "纠正", "改成")

# Phrases that contain 没 or 不 yet mean yes: checked before the negations.
_YES_DESPITE_NEGATION = re.compile(r"没错|没问题|不错|可不是|没(?:有)?离职")
_NO = re.compile(r"不是|没有|没|不同意|不|否|无|未|离职")
_YES = re.compile(r"是|对|有|签了|签过|嗯|好的|好|行|同意|在职|还在|当然|可以|确定|yes|ok", re.IGNORECASE)


def parse_yes_no(text: str) -> Optional[bool]:
    """True, False, or None when the caller did not say (or said they don't know).

    Negations are looked for before affirmations because every Chinese "no"
    contains a "yes": 没有 contains 有, 不是 contains 是, 不同意 contains 同意.
    "在职/离职" read as "still employed?": 在职 is yes, 离职了 is no.
    """
    answer = (text or "").strip()
    if not answer or is_skip(answer):
        return None
    if _YES_DESPITE_NEGATION.search(answer):
        return True
    if _NO.search(answer):
        return False
    if _YES.search(answer):
        return True
    return None


def is_skip(text: str) -> bool:
    """The caller cannot or will not answer this one question."""
    return bool(_SKIP.search(text or ""))


def is_stop(text: str) -> bool:
    """The caller wants to leave the questionnaire altogether."""
    return bool(_STOP.search(text or ""))


def is_correction(text: str) -> bool:
    """The caller is fixing an earlier answer rather than answering the current question."""
    return any(marker in (text or "") for marker in CORRECTION_MARKERS)


def correction_target(text: str, slot_keywords: Dict[str, Sequence[str]]) -> Optional[str]:
    """The slot whose keyword the caller names first, or None.

    First in the caller's words, because "工资不对，入职时间没错" corrects the
    wage; on a tie (one keyword inside another at the same place) the slot
    listed first wins.
    """
    text = text or ""
    best: Optional[str] = None
    best_position = len(text) + 1
    for slot, keywords in slot_keywords.items():
        positions = [text.find(keyword) for keyword in keywords if keyword and keyword in text]
        if positions and min(positions) < best_position:
            best, best_position = slot, min(positions)
    return best

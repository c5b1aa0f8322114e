"""What kind of answer a caller gave: yes/no, "skip this", "stop", "I got that wrong".

These are checked before any slot-specific parsing, so a caller who says
"不清楚" is never asked to type a date again, and "说错了，工资是八千" is
taken as a correction of the wage, not as a new answer to the current question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
CORRECTION_MARKERS = (
    "刚才说错了",
    "说错了",
    "不对",
    "更正",
    "改一下",
    "应该是",
    "其实是",
    "我记错了",
    "记错了",
    "搞错了",
    "写错了",
    "打错了",
    "纠正",
    "改成",
)

# A yes/no answer is a short reply or one that STARTS with the answer: a side
# question containing 是 or 有 ("是不是要交钱？") or a sentence about something
# else ("我有辆车" to "名下有房子吗") is not an answer. Before the answer word
# callers put who they mean (我/他也/我们都) and fillers (嗯，/其实/已经); those
# are stripped first.
_LEAD = re.compile(
    r"^(?:[嗯恩哦噢啊呃额哎唉]+[，,。.、！!\s]+|我们|我|他们|他|她|对方|双方|男方|女方|老公|老婆|丈夫|妻子|爱人"
    r"|公司|单位|老板|其实|确实|目前|现在|已经|早就|肯定|当然了|也|都|就|倒是|应该)"
)
# Words that contain 没/不/无 yet mean yes; checked before the negations.
_YES_DESPITE_NEGATION = re.compile(r"没错|没问题|没有问题|不错|可不是|无误|(?:还)?没(?:有)?离职|还在职")
# Every Chinese "no" contains a "yes" (没有 / 有, 不是 / 是, 不同意 / 同意): negations first.
# 离职/辞职/不在 answer "are you still employed?" (the one question they can answer).
_NO = re.compile(
    r"(?:不是|不对|还没|没有|没|不同意|不|否|无|未|并没|从没|从来没|离职|辞职|已离|no\b|nope\b)", re.IGNORECASE
)
_YES = re.compile(
    r"(?:是|对|有|签了|签过|嗯|恩|好|行|可以|同意|在职|还在|在的|当然|确定|确认|提交|yes\b|yeah\b|yep\b|ok\b|okay\b|y\b)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[，,。.;；！!？?、\n]+")
# A question: ends with ？ or 吗, or with 呢 after a question word ("还没呢" is an answer).
_QUESTION = re.compile(r"(?:[？?]|吗|么|嘛)[\s。.！!~～]*$")
_QUESTION_WORD = re.compile(
    r"什么|啥|怎么|为什么|咋|哪|谁|多少|多久|多长|多大|几时|几[个天年月次]|是不是|有没有|能不能|要不要|会不会|可不可以"
)
_NOT_WORDS = re.compile(r"[\W_]|[啊呀吗呢嘛么哦嗯]")
_QUESTION_PARTICLE = re.compile(r"呢[\s。.！!~～]*$")
# Characters that say nothing about what an answer is about ("有的", "有两套", "是我").
_NEUTRAL = set(
    "的了吧啊呀呢嘛哈哦喔么我你他她它们个是否有没不和也都就还在这那些一二两三四五六七八九十百千万亿"
    "年月日号天套辆只台间部本位件条张次份点"
)
_LONGEST_ANSWER_WORD = 6


def parse_yes_no(text: str, topic: str = "") -> bool | None:
    """True, False, or None when the caller did not say (or said they don't know).

    The answer is read at the start of a clause (after who and fillers): the
    first clause that starts with one ("嗯，没有" is no; "活干完了，不在那了"
    is no). ``topic`` (the question's label and cues) rules out an answer
    about something else: "有辆车" to a question about a home is None, "有一
    套房子" is yes, "有辆车，没有房子" is no. A question ("是不是要交钱？") is never an answer.
    """
    answer = (text or "").strip()
    if not answer or is_skip(answer) or is_question(answer):
        return None
    for clause in filter(None, (part.strip() for part in _CLAUSE_BREAK.split(_without_lead(answer)))):
        head = _without_lead(clause)
        for pattern, value in ((_YES_DESPITE_NEGATION, True), (_NO, False), (_YES, True)):
            match = pattern.match(head)
            if match:
                if topic and not _about(head[match.end() :], topic):
                    break  # about something else: perhaps the next clause answers
                return value
    return None


# Consent is given, never inferred (PIPL art. 14: 自愿、明确). A yes about the facts ("有，我受伤了",
# "是，被打伤了") answers the question after the consent one, not the consent: only words that
# agree count, or a bare "是的"/"对"/"嗯" said on its own.
_AGREES = re.compile(r"同意|愿意|可以|没问题|好的|好吧|行的|记吧|记录吧|\bok\b|\bokay\b|\byes\b", re.IGNORECASE)
_BARE_YES = re.compile(r"^(?:是|是的|对|对的|嗯+|恩+|好|行)[啊呀吧的。.!！~～\s]*$")
# Refusals parse_yes_no does not read as a no ("别记了", "不要记录", "算了").
_REFUSES = re.compile(r"别记|不要|不用|不必|拒绝|算了|不愿|不想")


def parse_consent(text: str) -> bool | None:
    """True only for an explicit yes to recording, False for a no or a refusal, None otherwise."""
    answer = (text or "").strip()
    if not answer or is_question(answer):
        return None
    if _REFUSES.search(answer):
        return False
    said = parse_yes_no(answer)
    if said is False:
        return False
    if said is True and (_AGREES.search(answer) or _BARE_YES.match(answer)):
        return True
    return None


def _without_lead(clause: str) -> str:
    previous: str | None = None
    while previous != clause:
        previous, clause = clause, _LEAD.sub("", clause, count=1).strip()
    # The loop stops once nothing more is stripped (previous == clause), so this is what is
    # left, possibly "" (a clause that is all lead, e.g. "我"). It read `clause or previous`,
    # a fallback that could never apply; behaviour kept as it was.
    return clause


def _about(rest: str, topic: str) -> bool:
    """Whether the words after the answer are about the question (or say nothing)."""
    content = [char for char in rest if "\u4e00" <= char <= "\u9fff" and char not in _NEUTRAL]
    return not content or any(char in topic for char in content)


# "没什么" / "也没啥了": nothing much, an answer; its 么 is no question mark.
_NOTHING_MUCH = re.compile(
    r"^(?:也|都|就|真|其实|好像)?没(?:有)?(?:什么|啥)(?:了|的|东西|财产)?[啊呀吧了的。.!！~～\s]*$"
)


def is_nothing_much(text: str) -> bool:
    """The caller says there is nothing much ("没什么", "也没啥了")."""
    return bool(_NOTHING_MUCH.match((text or "").strip()))


def is_question(text: str) -> bool:
    """The caller asks something ("是不是要交钱？", "有什么用吗", "那要多久呢")."""
    text = (text or "").strip()
    if len(_NOT_WORDS.sub("", text)) < 2 or is_nothing_much(text):
        return False  # "啊？" is a caller who did not follow: the question is explained again
    return bool(_QUESTION.search(text) or (_QUESTION_PARTICLE.search(text) and _QUESTION_WORD.search(text)))


# Nothing to change in the summary: 都对, 没有要改的, 确认无误, 提交, 不用改.
_NOTHING_TO_CHANGE = re.compile(
    r"^(?:[嗯恩好]*[，,]?\s*)?(?:(?:都|全都|全部)(?:对|没错|正确)|没(?:有)?(?:什么|啥)?(?:要|需要|可)?(?:改|修改|问题|错)"
    r"|不(?:用|需要|必)(?:再)?(?:改|修改)|无需修改|确认|提交|无误)"
)


def is_confirmation(text: str) -> bool:
    """The caller accepts the summary as it is (确认无误, 没有要改的, 对的, 提交)."""
    text = (text or "").strip()
    if not text or is_correction(text) or is_question(text):
        return False
    return bool(_NOTHING_TO_CHANGE.match(_without_lead(text))) or parse_yes_no(text) is True


# An amount question answered "nothing": 工资都结清了, 没欠, 不适用, 没有.
_NONE_ANYWHERE = re.compile(r"结清|付清|发清|发齐|都发了|按时发|没欠|不欠|没拖欠|没少|不适用|不涉及")
_NONE_ALONE = re.compile(r"^(?:都|也|一分钱?都?)?(?:没有|没|无|木有|没得|零|0)[啊呢的了吧。.!！]*$")


_NOT_APPLICABLE = re.compile(
    r"不适用|不涉及|没有?(?:这|那)(?:个|种|回)?(?:情况|事)|^(?:都|也)?(?:没有|没|无)[啊呢的了吧。.!！]*$"
)


def is_not_applicable(text: str) -> bool:
    """The question does not apply to the caller ("不适用", "没有这回事", "没有")."""
    return bool(_NOT_APPLICABLE.search((text or "").strip()))


def is_none(text: str) -> bool:
    """The caller says there is none of what is asked (nothing owed, not applicable)."""
    text = (text or "").strip()
    return bool(_NONE_ANYWHERE.search(text) or _NONE_ALONE.match(text))


def is_skip(text: str) -> bool:
    """The caller cannot or will not answer this one question."""
    return bool(_SKIP.search(text or ""))


def is_stop(text: str) -> bool:
    """The caller wants to leave the questionnaire altogether."""
    return bool(_STOP.search(text or ""))


def is_correction(text: str) -> bool:
    """The caller is fixing an earlier answer rather than answering the current question."""
    return any(marker in (text or "") for marker in CORRECTION_MARKERS)


def correction_target(text: str, slot_keywords: dict[str, Sequence[str]]) -> str | None:
    """The slot whose keyword the caller names first, or None.

    First in the caller's words, because "工资不对，入职时间没错" corrects the
    wage; on a tie (one keyword inside another at the same place) the slot
    listed first wins.
    """
    text = text or ""
    best: str | None = None
    best_position = len(text) + 1
    for slot, keywords in slot_keywords.items():
        positions = [text.find(keyword) for keyword in keywords if keyword and keyword in text]
        if positions and min(positions) < best_position:
            best, best_position = slot, min(positions)
    return best

"""Questionnaire answers as callers type them, and the values we must store."""
import dataclasses
import warnings
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_core.extraction import (
    CORRECTION_MARKERS,
    ParsedDate,
    ParsedDuration,
    choices,
    correction_target,
    is_confirmation,
    is_correction,
    is_none,
    is_not_applicable,
    is_question,
    is_skip,
    is_stop,
    match_choices,
    parse_amount,
    parse_consent,
    parse_date,
    parse_duration,
    parse_yes_no,
)

TODAY = date(2026, 11, 22)


# --- amounts -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("三万五", Decimal("35000")),
        ("3.5万", Decimal("35000")),
        ("35000元", Decimal("35000")),
        ("一万二千块", Decimal("12000")),
        ("一万二", Decimal("12000")),
        ("八千", Decimal("8000")),
        ("8千", Decimal("8000")),
        ("1.2w", Decimal("12000")),
        ("1.2W", Decimal("12000")),
        ("两万", Decimal("20000")),
        ("月薪一万二左右", Decimal("12000")),
        ("税前12000，到手一万", Decimal("12000")),
        ("十万零五百", Decimal("100500")),
        ("5000多", Decimal("5000")),
        ("不到一万", Decimal("10000")),
        ("一万二千块左右吧", Decimal("12000")),
        ("三千五", Decimal("3500")),
        ("一万五", Decimal("15000")),
        ("三十五万", Decimal("350000")),
        ("1万2", Decimal("12000")),
        ("3万5", Decimal("35000")),
        ("1万2000", Decimal("12000")),
        ("一点五万", Decimal("15000")),
        ("1.5k", Decimal("1500")),
        ("月薪8k", Decimal("8000")),
        ("12,000元", Decimal("12000")),
        ("3500.50元", Decimal("3500.5")),
        ("八千一个月", Decimal("8000")),
        ("一个月五千", Decimal("5000")),
        ("一共两万", Decimal("20000")),
        ("欠了我三个月工资一共两万四", Decimal("24000")),
        ("2019年的时候工资5000", Decimal("5000")),
        ("十一月工资八千", Decimal("8000")),
        ("每个月到手4500左右", Decimal("4500")),
        ("两三千", Decimal("2000")),
        ("大概七八千吧", Decimal("7000")),
        ("4000到5000", Decimal("4000")),
        ("年薪二十万", Decimal("200000")),
    ],
)
def test_parse_amount_reads_yuan(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["没钱", "不清楚", "", "不知道多少", "十几万", "几千块", "一分钱都没给", "问HR吧"]
)
def test_parse_amount_without_a_figure_is_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text, digits", [("3.5万", "35000"), ("1.2w", "12000"), ("8千", "8000")])
def test_parse_amount_is_a_decimal_without_a_spurious_fraction(text, digits):
    amount = parse_amount(text)
    assert isinstance(amount, Decimal)
    assert str(amount) == digits


def test_cn2an_warnings_do_not_reach_the_caller():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_amount("万一两三万都不给怎么办")
        parse_date("万一是去年", TODAY)
        parse_duration("十几年前1万2")
    assert [warning for warning in caught if issubclass(warning.category, UserWarning)] == []


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019年3月", ParsedDate(date(2019, 3, 1), "month")),
        ("19年3月", ParsedDate(date(2019, 3, 1), "month")),
        ("2021.5.1", ParsedDate(date(2021, 5, 1), "day")),
        ("2021-05-01", ParsedDate(date(2021, 5, 1), "day")),
        ("2021/5/1", ParsedDate(date(2021, 5, 1), "day")),
        ("2021年5月1日", ParsedDate(date(2021, 5, 1), "day")),
        ("2021年5月1号", ParsedDate(date(2021, 5, 1), "day")),
        ("二零一九年三月", ParsedDate(date(2019, 3, 1), "month")),
        ("二零二零年十月一号", ParsedDate(date(2020, 10, 1), "day")),
        ("一九年五月份入职的", ParsedDate(date(2019, 5, 1), "month")),
        ("零九年三月", ParsedDate(date(2009, 3, 1), "month")),
        ("去年五月", ParsedDate(date(2025, 5, 1), "month")),
        ("今年3月8号", ParsedDate(date(2026, 3, 8), "day")),
        ("前年春节后", ParsedDate(date(2024, 2, 1), "month")),
        ("大概前年春节后吧", ParsedDate(date(2024, 2, 1), "month")),
        ("去年五一前后", ParsedDate(date(2025, 5, 1), "month")),
        ("去年国庆", ParsedDate(date(2025, 10, 1), "month")),
        ("前年十月", ParsedDate(date(2024, 10, 1), "month")),
        ("三年前", ParsedDate(date(2023, 11, 22), "year")),
        ("10年前", ParsedDate(date(2016, 11, 22), "year")),
        ("五六年前", ParsedDate(date(2021, 11, 22), "year")),
        ("半年前", ParsedDate(date(2026, 5, 22), "month")),
        ("一年半前", ParsedDate(date(2025, 5, 22), "month")),
        ("两个月前", ParsedDate(date(2026, 9, 22), "month")),
        ("三四个月前", ParsedDate(date(2026, 8, 22), "month")),
        ("两周前", ParsedDate(date(2026, 11, 8), "day")),
        ("上个月", ParsedDate(date(2026, 10, 1), "month")),
        ("上个月15号", ParsedDate(date(2026, 10, 15), "day")),
        ("上上个月", ParsedDate(date(2026, 9, 1), "month")),
        ("前天", ParsedDate(date(2026, 11, 20), "day")),
        ("昨天", ParsedDate(date(2026, 11, 21), "day")),
        ("今天", ParsedDate(date(2026, 11, 22), "day")),
        ("大前天", ParsedDate(date(2026, 11, 19), "day")),
        ("2019年", ParsedDate(date(2019, 1, 1), "year")),
        ("2019", ParsedDate(date(2019, 1, 1), "year")),
        ("98年", ParsedDate(date(1998, 1, 1), "year")),
        ("去年年底", ParsedDate(date(2025, 12, 1), "month")),
        ("2019年底", ParsedDate(date(2019, 12, 1), "month")),
        ("今年年初", ParsedDate(date(2026, 1, 1), "month")),
        ("上周", ParsedDate(date(2026, 11, 15), "day")),
        ("上个星期", ParsedDate(date(2026, 11, 15), "day")),
        ("我们是2019年3月领的证", ParsedDate(date(2019, 3, 1), "month")),
        ("3月8号", ParsedDate(date(2026, 3, 8), "day")),
        ("12月", ParsedDate(date(2025, 12, 1), "month")),
        ("2021.5", ParsedDate(date(2021, 5, 1), "month")),
        # English and numeric month-year forms keep their month
        ("We got married in August 2018", ParsedDate(date(2018, 8, 1), "month")),
        ("Aug 2018", ParsedDate(date(2018, 8, 1), "month")),
        ("aug. 2018领的证", ParsedDate(date(2018, 8, 1), "month")),
        ("大概是Sept 2019", ParsedDate(date(2019, 9, 1), "month")),
        ("August 12, 2018", ParsedDate(date(2018, 8, 12), "day")),
        ("12th of May 2020", ParsedDate(date(2020, 5, 12), "day")),
        ("08/2018", ParsedDate(date(2018, 8, 1), "month")),
        ("8-2018结的婚", ParsedDate(date(2018, 8, 1), "month")),
        ("2018-08", ParsedDate(date(2018, 8, 1), "month")),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "digits, year",
    [("00", 2000), ("19", 2019), ("26", 2026), ("27", 1927), ("98", 1998)],
)
def test_two_digit_years_up_to_this_year_are_this_century(digits, year):
    assert parse_date(f"{digits}年", TODAY) == ParsedDate(date(year, 1, 1), "year")


@pytest.mark.parametrize(
    "text",
    [
        "2021年2月30日",  # no such day
        "2021年13月",
        "今年12月",  # after today: these are past events
        "明年",
        "2027年",
        "不清楚",
        "",
        "结婚10年了",  # a span, not a year
        "十五号",  # a day without a month is too vague
        "19.3",
    ],
)
def test_parse_date_rejects_impossible_future_and_vague_dates(text):
    assert parse_date(text, TODAY) is None


# A first message tells the day and goes on, with more figures (issue 17: "2026年1月9日 ... 工资一个
# 月七千" was recorded as a month before the message).
@pytest.mark.parametrize(
    "text, expected",
    [
        ("我2026年1月9日在厂里上班时被叉车撞断了腿，已经认定工伤了，劳动能力鉴定是八级，受伤前工资一个月七千",
         ParsedDate(date(2026, 1, 9), "day")),
        ("2026年3月5号在车间被机器压伤了手，一个月工资5000，花了2万", ParsedDate(date(2026, 3, 5), "day")),
        ("2025.12.30下午3点在工地摔了，住院15天", ParsedDate(date(2025, 12, 30), "day")),
        ("今年5月8号干活时骨折了，老板给了3000块", ParsedDate(date(2026, 5, 8), "day")),
        ("2024年6月受的伤，八级伤残，赔了十二万", ParsedDate(date(2024, 6, 1), "month")),
        ("上个月15号出的车祸，对方全责，医药费花了三万二", ParsedDate(date(2026, 10, 15), "day")),
    ],
)
def test_a_date_followed_by_more_text_and_figures_is_that_date(text, expected):
    assert parse_date(text, TODAY) == expected


# Written the ways callers write a full date; what follows starts with a word, then any figures.
DATE_FORMS = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month}月{d.day}号",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
]
FOLLOWING = [
    "在厂里上班时被叉车撞断了腿",
    "，已经认定工伤了",
    "，劳动能力鉴定是八级",
    "，受伤前工资一个月七千",
    "，一年12万",
    "，住院15天",
    "，花了3.5万",
    "，3月份出院",
    "，去年就入职了",
    "，十五号去的医院",
    "，干了两年半",
    "下午3点",
    "，工资7000块",
    "，2019年进的厂",
    "。他今年45岁",
    "，伤残十级",
]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=TODAY),
    form=st.sampled_from(DATE_FORMS),
    following=st.lists(st.sampled_from(FOLLOWING), max_size=5),
)
def test_a_full_date_keeps_its_day_whatever_follows(day, form, following):
    assert parse_date(form(day) + "".join(following), TODAY) == ParsedDate(day, "day")


def test_parsed_date_iso_is_the_value_in_iso_format():
    assert ParsedDate(date(2019, 3, 1), "month").iso == "2019-03-01"


def test_the_month_without_a_year_is_the_latest_one_not_in_the_future():
    assert parse_date("3月", date(2026, 2, 10)) == ParsedDate(date(2025, 3, 1), "month")


def test_parsed_values_cannot_be_changed_after_parsing():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_date("2019年", TODAY).value = date(2020, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_duration("三个月").months = Decimal("4")


# --- durations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, months, approximate",
    [
        ("干了四年多", "48", True),
        ("干了四年多了", "48", True),
        ("半年", "6", False),
        ("一年半", "18", False),
        ("三个月", "3", False),
        ("两年零三个月", "27", False),
        ("两年又三个月", "27", False),
        ("一年零两个月", "14", False),
        ("10个月", "10", False),
        ("十二个月", "12", False),
        ("5年", "60", False),
        ("在这家公司干了八年", "96", False),
        ("一年多", "12", True),
        ("不到一年", "12", True),
        ("两年半", "30", False),
        ("1.5年", "18", False),
        ("三个半月", "3.5", False),
        ("半个月", "0.5", False),
        ("三个多月", "3", True),
        ("快三年了", "36", True),
        ("大概两年", "24", True),
        ("差不多一年半吧", "18", True),
        ("三四年", "36", True),
        ("一两个月", "1", True),
        ("一年零几个月", "12", True),
    ],
)
def test_parse_duration_in_months(text, months, approximate):
    assert parse_duration(text) == ParsedDuration(Decimal(months), approximate)


@pytest.mark.parametrize("text", ["几个月", "十几年", "不清楚", "", "5月入职", "2019年到现在"])
def test_parse_duration_without_a_figure_is_none(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    "text", ["一个月七千", "受伤前工资一个月七千", "一年12万", "一个月工资7000块", "一个月能拿8000", "一年的收入10万"]
)
def test_one_month_or_year_before_a_figure_is_a_rate_not_a_span(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    "text, months",
    [
        ("三个月两万四", "3"),
        ("十二个月8000", "12"),
        ("一年半8万", "18"),
        ("1个月3天", "1"),
        ("干了一年，工资7000", "12"),
        ("一个月七千，干了两年", "24"),
    ],
)
def test_a_span_before_a_figure_is_still_a_span(text, months):
    assert parse_duration(text).months == Decimal(months)


# --- yes / no, skip, stop, corrections ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "是",
        "是的",
        "对",
        "对的",
        "有",
        "有的",
        "签了",
        "签过",
        "签了的",
        "嗯",
        "嗯嗯",
        "好的",
        "同意",
        "都同意",
        "在职",
        "还在",
        "当然",
        "没错",
        "还没离职",
        "对，签了",
    ],
)
def test_parse_yes_no_affirmations(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "不是",
        "否",
        "没有",
        "没",
        "没签",
        "没签过",
        "不同意",
        "不",
        "无",
        "离职了",
        "已经离职了",
        "嗯，没有",
        "还没签",
        "都不同意",
    ],
)
def test_parse_yes_no_negations(text):
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["不清楚", "不知道", "不太清楚", "记不清了", "", "随便"])
def test_parse_yes_no_without_an_answer_is_none(text):
    assert parse_yes_no(text) is None


# Separate consent (issue 16): only an explicit yes is consent; a yes about the facts is not.
@pytest.mark.parametrize(
    "text",
    [
        "同意",
        "我同意",
        "可以",
        "可以的",
        "好的",
        "没问题",
        "是的",
        "对",
        "嗯",
        "嗯嗯",
        "ok",
        "同意，记吧",
        "行吧，可以",
    ],
)
def test_parse_consent_an_explicit_yes(text):
    assert parse_consent(text) is True


@pytest.mark.parametrize("text", ["不同意", "不", "不要记录", "别记了", "算了", "拒绝", "我不想让你们记", "不可以"])
def test_parse_consent_a_no_or_a_refusal(text):
    assert parse_consent(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "有",
        "有的",
        "有，我手指骨折了",
        "是，被他打伤了",
        "对，在医院住了一周",
        "我再想想",
        "同意吗？",
        "记了会给谁看？",
        "",
    ],
)
def test_parse_consent_a_yes_about_the_facts_or_a_question_is_not_consent(text):
    assert parse_yes_no(text) is not False  # what the questionnaire's yes/no reading made of it
    assert parse_consent(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "不清楚",
        "不知道",
        "跳过",
        "跳过吧",
        "不想说",
        "不方便说",
        "忘了",
        "记不清",
        "说不清",
        "略过",
        "下一个",
        "算了不说了",
        "这个我不太清楚",
    ],
)
def test_is_skip(text):
    assert is_skip(text) is True


@pytest.mark.parametrize("text", ["是的", "8000", "跳槽了", "2019年3月", "没有", ""])
def test_answers_are_not_skips(text):
    assert is_skip(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "不想填了",
        "先不填了",
        "停止",
        "不问了",
        "以后再说",
        "先到这",
        "先到这里吧",
        "退出",
        "不想回答了别问了",
        "改天再说吧",
    ],
)
def test_is_stop(text):
    assert is_stop(text) is True


@pytest.mark.parametrize("text", ["公司停止发工资了", "我想结束劳动关系", "不想说", "是的", "跳过", ""])
def test_answers_and_skips_are_not_stops(text):
    assert is_stop(text) is False


@pytest.mark.parametrize(
    "text",
    ["刚才说错了", "说错了，是八千", "不对", "更正一下", "改一下", "应该是2019年", "其实是三年", "我记错了"],
)
def test_is_correction(text):
    assert is_correction(text) is True


@pytest.mark.parametrize("text", ["八千", "对的", "2019年3月", ""])
def test_plain_answers_are_not_corrections(text):
    assert is_correction(text) is False


def test_correction_markers_include_the_ones_the_dialogue_relies_on():
    assert {"刚才说错了", "说错了", "不对", "更正", "改一下", "应该是", "其实是", "我记错了"} <= set(CORRECTION_MARKERS)


SLOT_KEYWORDS = {"monthly_wage": ["工资", "月薪"], "start_date": ["入职", "进公司"]}


@pytest.mark.parametrize(
    "text, slot",
    [
        ("不对，工资是八千", "monthly_wage"),
        ("说错了，月薪一万二", "monthly_wage"),
        ("我记错了，入职是2019年", "start_date"),
        ("更正：进公司是前年", "start_date"),
        ("入职时间说错了，工资没错", "start_date"),  # the first one named
        ("说错了，应该是八千", None),
    ],
)
def test_correction_target(text, slot):
    assert correction_target(text, SLOT_KEYWORDS) == slot


# --- multi-select ------------------------------------------------------------

EVIDENCE = {
    "contract": ["劳动合同", "合同"],
    "payslips": ["工资条", "工资单"],
    "bank_records": ["银行流水", "转账记录"],
    "chat_records": ["聊天记录", "微信记录"],
}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("有工资条和微信聊天记录，合同没签", ["payslips", "chat_records"]),
        ("都没有", []),
        ("不清楚", []),
        ("", []),
        ("有合同", ["contract"]),
        ("签合同了", ["contract"]),  # jieba keeps 签合同 as one word
        ("没有劳动合同", []),
        ("没有签劳动合同", []),
        ("工资条没有合同", ["payslips"]),
        ("工资条和合同都没有", []),
        ("没有工资条和合同", []),
        ("合同、工资单、银行流水都有", ["contract", "payslips", "bank_records"]),
        ("有工资单，也有转账记录", ["payslips", "bank_records"]),
        ("劳动合同签了，但是没有工资条", ["contract"]),
        ("有银行流水和工资条，没有聊天记录", ["payslips", "bank_records"]),
        ("只有微信记录", ["chat_records"]),
        ("合同合同", ["contract"]),
        ("无固定期限劳动合同", ["contract"]),  # 无 is too far from the phrase
        ("我有劳动合同和工资单", ["contract", "payslips"]),
    ],
)
def test_match_choices(text, expected):
    assert match_choices(text, EVIDENCE) == expected


def test_match_choices_keeps_vocabulary_order_not_the_callers():
    assert match_choices("聊天记录、银行流水、合同", EVIDENCE) == ["contract", "bank_records", "chat_records"]


def test_vocabulary_phrases_become_single_jieba_words():
    match_choices("有银行流水", EVIDENCE)
    words = [token.text for token in choices._pipeline()("银行流水和转账记录都有")]
    assert "银行流水" in words and "转账记录" in words


def test_one_jieba_pipeline_serves_every_vocabulary_and_each_matcher_is_built_once():
    choices._pipeline.cache_clear()
    choices._matcher.cache_clear()
    match_choices("有合同", EVIDENCE)
    match_choices("有房产证", {"property_deed": ["房产证"]})
    match_choices("没有合同", EVIDENCE)
    assert choices._pipeline.cache_info().misses == 1
    assert choices._matcher.cache_info().misses == 2
    assert choices._pipeline().tokenizer.segmenter == "jieba"


def test_prepared_vocabularies_are_not_built_again_when_a_caller_answers():
    choices._matcher.cache_clear()
    assert choices.prepare([EVIDENCE, {"property_deed": ["房产证"]}, dict(EVIDENCE)]) == 2
    built = choices._matcher.cache_info().misses
    assert match_choices("有合同", EVIDENCE) == ["contract"]
    assert match_choices("有房产证", {"property_deed": ["房产证"]}) == ["property_deed"]
    assert choices._matcher.cache_info().misses == built == 2


def test_every_questionnaires_multiple_choice_question_is_prepared():
    from intake_core.questionnaires import answers
    from intake_core.questionnaires.definitions import load_questionnaires

    choices._matcher.cache_clear()
    vocabularies = {
        tuple(question.choices)
        for questionnaire in load_questionnaires().values()
        for question in questionnaire.questions
        if question.kind == "choices"
    }
    assert answers.prepare() == choices._matcher.cache_info().currsize >= len(vocabularies) > 0


# --- issue 14: a yes/no answer starts with it; questions, confirmations, none --


@pytest.mark.parametrize(
    "text, expected",
    [
        ("确认无误", True),  # 无误 contains 无: still yes
        ("确认", True),
        ("他也同意离", True),  # 也同意 is not 不同意
        ("他同意离婚，就是抚养权谈不拢", True),  # the 不 of 谈不拢 is not the answer
        ("已经辞职了", False),
        ("活干完了，不在那了", False),
        ("我老公不是军人", False),
        ("还没离职", True),
        ("是不是要交钱？", None),  # a side question containing 是
        ("有什么用？", None),  # ... or 有
        ("那要多久呢", None),
    ],
)
def test_parse_yes_no_reads_the_answer_at_the_start(text, expected):
    assert parse_yes_no(text) is expected


HOME = "是否有房产房子房产买房住房"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我有辆车", None),  # an answer about another thing is no yes
        ("有一套房子，两个人的名字", True),
        ("有两套", True),
        ("没有房子，租房住", False),
        ("我有辆车，没有房子", False),
    ],
)
def test_parse_yes_no_about_the_question_topic(text, expected):
    assert parse_yes_no(text, topic=HOME) is expected


@pytest.mark.parametrize(
    "text", ["劳动仲裁要交钱吗？", "是不是要交钱？", "有什么用？", "那要多久呢", "为啥要问这个?", "没什么要注意的吗"]
)
def test_is_question(text):
    assert is_question(text) is True


@pytest.mark.parametrize("text", ["还没呢", "有", "2019年3月", "是的", "没有要改的", "没什么", "也没啥了"])
def test_answers_are_not_questions(text):
    assert is_question(text) is False


@pytest.mark.parametrize(
    "text",
    ["确认", "确认无误", "提交", "没问题", "对的", "都对", "没有要改的", "是的，都对", "OK，确认", "不用改", "没错"],
)
def test_is_confirmation(text):
    assert is_confirmation(text) is True


@pytest.mark.parametrize("text", ["不对", "需要修改", "不清楚", "算了", "不对，工资是八千", "提交了会怎样？", ""])
def test_is_not_a_confirmation(text):
    assert is_confirmation(text) is False


@pytest.mark.parametrize(
    "text, expected",
    [
        ("工资都结清了", True),
        ("没欠", True),
        ("工资没欠，就是加班费一分没给", True),
        ("不适用，工资都是按时发的", True),
        ("没有", True),
        ("没发工资", False),
        ("还欠三万", False),
        ("没有发工资", False),
    ],
)
def test_is_none(text, expected):
    assert is_none(text) is expected


@pytest.mark.parametrize(
    "text, expected", [("不适用", True), ("没有这回事", True), ("没有", True), ("没有孩子", False), ("三年", False)]
)
def test_is_not_applicable(text, expected):
    assert is_not_applicable(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("欠了三万多", True),
        ("两千来块", True),
        ("八千左右", True),
        ("两万多工钱", True),
        ("三万五千元", False),
        ("一万六", False),
    ],
)
def test_is_hedged_amount(text, expected):
    from intake_core.extraction import is_hedged_amount

    assert is_hedged_amount(text) is expected


def test_a_second_hand_numeral_is_no_amount():
    assert parse_amount("买二手房交了5万定金") == Decimal(50000)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("九月底辞职的", date(2026, 9, 30)),
        ("2024年2月底", date(2024, 2, 29)),
        ("上个月底", date(2026, 10, 31)),
        ("11月底", date(2025, 11, 30)),  # said on 22 November: the last one that has passed
    ],
)
def test_the_end_of_a_month_is_its_last_day(text, expected):
    parsed = parse_date(text, date(2026, 11, 22))
    assert (parsed.value, parsed.precision) == (expected, "day")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在网上买了一块手表", None),
        ("两块地被占了", None),
        ("1块手表", None),
        ("一块钱都没给", Decimal("1")),
        ("交了两千块押金", Decimal("2000")),
        ("借了一万块", Decimal("10000")),
    ],
)
def test_kuai_counting_a_thing_is_no_amount(text, expected):
    """块 counts objects too: "一块手表" is a watch, not 1 yuan (a first message prefilled 1元)."""
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["八千吨", "三万五千吨", "两百平米", "三套房", "五十公斤"])
def test_an_amount_with_a_unit_that_is_not_money_is_no_amount(text):
    """ "八千吨" to the wage question is not 8,000 yuan: the question is asked again."""
    assert parse_amount(text) is None

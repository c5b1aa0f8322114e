"""Colloquial interest rates and monthly overtime hours, as callers say them."""
from datetime import date
from decimal import Decimal

import pytest

from intake_core.extraction import parse_hours, parse_interest_rate
from intake_core.questionnaires.answers import display, interpret
from intake_core.questionnaires.definitions import Question


@pytest.mark.parametrize(
    "text, annual",
    [
        ("月息2分", "24"),  # 2% a month
        ("两分利", "24"),
        ("一个月两分利", "24"),
        ("利息每月2分", "24"),
        ("约定的是2分的月息", "24"),
        ("借了十万块月息两分", "24"),
        ("借期一年，月息2分", "24"),  # 一年 is the term, 月息 the rate
        ("利息一分", "12"),  # 1分 = 1% a month
        ("一分五的利息", "18"),
        ("1分半", "18"),
        ("月息1.5分", "18"),
        ("月息一分二", "14.4"),
        ("两分五厘", "30"),
        ("八厘", "9.6"),  # 0.8% a month
        ("年利率24%", "24"),
        ("年利率百分之二十四", "24"),
        ("年息10%", "10"),
        ("年化15.4%", "15.4"),
        ("说好的一年24%的利息", "24"),
        ("月利率百分之一点五", "18"),
        ("没有利息", "0"),
        ("无息借款", "0"),
        ("没约定利息", "0"),
    ],
)
def test_interest_rates_in_percent_a_year(text, annual):
    assert parse_interest_rate(text) == Decimal(annual)


@pytest.mark.parametrize(
    "text",
    [
        "24%",  # a month or a year? not guessed
        "年利率24",  # no unit
        "年息1分",  # yearly 分: conventions differ
        "日息千分之一",
        "每天万分之五",
        "利息挺高的",
        "",
        "两万",
    ],
)
def test_unclear_rates_are_not_guessed(text):
    assert parse_interest_rate(text) is None


@pytest.mark.parametrize(
    "text, hours",
    [
        ("20", "20"),
        ("20小时", "20"),
        ("每个月大概四十个小时", "40"),
        ("平时每月加班40个小时", "40"),
        ("一个月60", "60"),
        ("30左右", "30"),
        ("大概五十多个小时", "50"),
        ("差不多16个小时吧", "16"),
        ("十来个钟头", "10"),
        ("二三十个小时", "20"),  # a range keeps its lower figure
        ("20到30小时", "20"),
        ("8h", "8"),
        ("没加过", "0"),
        ("没有", "0"),
        ("不加班", "0"),
    ],
)
def test_hours_a_month(text, hours):
    assert parse_hours(text) == Decimal(hours)


@pytest.mark.parametrize(
    "text",
    ["每天两小时", "一周10小时", "每个周末加班8小时", "周末两天都加班", "500小时", "加了很多", ""],
)
def test_hours_not_a_month_or_not_a_figure_are_asked_again(text):
    assert parse_hours(text) is None


def test_the_questionnaire_reads_and_shows_the_new_kinds():
    hours = Question("x_hours", "hours", "加班", False)
    rate = Question("x_rate", "rate", "利率", False)
    today = date(2026, 1, 1)
    assert interpret(hours, "每月大概二十个小时", today) == "20"
    assert display(hours, "20") == "20小时"
    assert interpret(rate, "月息2分", today) == "24"
    assert display(rate, "24") == "年利率24%"
    assert interpret(rate, "挺高的", today) is None

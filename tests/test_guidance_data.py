"""The law the calculators and deadlines apply is data: parameters.yml and formats.yml.

A lawyer's edit of a figure changes the result, a malformed figure is refused
with its key named, and no caller-visible sentence is left in the Python code.
"""
import ast
import copy
import logging
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from intake_core.config import PROJECT_ROOT
from intake_core.guidance import calculators, deadlines, figures
from intake_core.guidance.calculators import FeeReduction
from intake_core.guidance.content import GUIDANCE_DIR, GuidanceError, load_formats
from intake_core.guidance.parameters import (
    FEE_REDUCTIONS,
    PARAMETERS_PATH,
    ParametersError,
    load_legal_figures,
    load_parameters,
    log_stale_figures,
    parse_legal_figures,
    stale_figures,
)

D = Decimal
GUIDANCE_CODE = Path(calculators.__file__).parent
REAL = yaml.safe_load(PARAMETERS_PATH.read_text(encoding="utf-8"))


def edited(change) -> dict:
    """A deep copy of the real parameters with ``change(raw)`` applied."""
    raw = copy.deepcopy(REAL)
    change(raw)
    return raw


@pytest.fixture
def parameters_copy(tmp_path, monkeypatch):
    """Write an edited copy of parameters.yml and make the calculators and deadlines read it."""

    def write(change) -> Path:
        path = tmp_path / "parameters.yml"
        path.write_text(yaml.safe_dump(edited(change), allow_unicode=True), encoding="utf-8")
        legal = load_legal_figures(path)
        parameters = load_parameters(path)
        for module in (calculators, deadlines, figures):
            monkeypatch.setattr(module, "load_legal_figures", lambda: legal)
        for module in (deadlines, figures):
            monkeypatch.setattr(module, "load_parameters", lambda: parameters)
        return path

    return write


# --- the real file -----------------------------------------------------------------


def test_the_statutory_figures_load():
    figures = load_legal_figures()
    assert figures is load_legal_figures()
    assert figures.economic_compensation.high_earner_multiple == D("3")
    assert figures.economic_compensation.high_earner_max_years == 12
    assert (figures.double_wage.max_months, figures.double_wage.day_divisor) == (11, 30)
    assert len(figures.court_fees.bands) == 9 and figures.court_fees.bands[-1].up_to is None
    assert figures.private_loan_lpr_multiple == D("4")
    assert figures.deadlines.revocation_major_misunderstanding.after(date(2024, 1, 1)) == date(2024, 3, 31)


def test_amounts_and_rates_are_exact_decimals_never_floats():
    def numbers(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from numbers(value)
        elif isinstance(node, list):
            for value in node:
                yield from numbers(value)
        else:
            yield node

    assert not [value for value in numbers(REAL) if isinstance(value, float)]


def test_every_fee_reduction_has_a_divisor_a_reason_and_an_article():
    formats = load_formats()
    assert {reduction.value for reduction in FeeReduction} == set(FEE_REDUCTIONS)
    for reduction in FeeReduction:
        assert reduction.value in load_legal_figures().court_fees.reduction_divisors
        assert f"reduction_{reduction.value}" in formats["calculation_steps"]
        assert f"fee_{reduction.value}" in formats["bases"]


# --- a lawyer's edit changes the result ----------------------------------------------


def test_a_changed_deposit_cap_changes_the_penalty(parameters_copy):
    parameters_copy(lambda raw: raw["deposit"].update(cap_rate="0.3"))
    estimate = calculators.deposit_penalty(D("100000"), D("30000"), True)
    assert estimate.amount == D("60000.00")
    assert estimate.steps[0] == "定金不得超过主合同总价款的30%：100000元 × 30% = 30000元"


def test_a_changed_fee_band_changes_the_court_fee(parameters_copy):
    parameters_copy(lambda raw: raw["court_fees"]["property"]["bands"][0].update(rate="0.03"))
    estimate = calculators.court_fee_property_case(D("100000"))
    assert estimate.amount == D("2750.00")  # 50 + 90000 x 3%
    assert "超过1万元至10万元的部分：90000元 × 3% = 2700元" in estimate.steps


def test_a_changed_high_earner_cap_changes_compensation(parameters_copy):
    def change(raw):
        raw["economic_compensation"].update(high_earner_multiple="4", high_earner_max_years=10)

    parameters_copy(change)
    estimate = calculators.economic_compensation(date(2010, 1, 1), date(2025, 1, 1), D("50000"), D("10000"))
    assert estimate.amount == D("400000.00")  # base 4 x 10000, 15 years capped at 10
    assert "高收入者年限最多按10年计算：15个月按10个月计算" in estimate.steps


def test_a_changed_notice_pay_and_old_rules_date_change_the_steps(parameters_copy):
    def change(raw):
        raw["economic_compensation"].update(notice_pay_months="2", current_rules_from="2010-01-01")

    parameters_copy(change)
    estimate = calculators.compensation_with_notice_pay(date(2009, 3, 1), date(2024, 10, 15), D("8000"))
    assert estimate.amount == D("144000.00")  # 15 years 7 months -> 16 months (128,000), plus 2 months
    assert any("2 × 8000元 = 16000元" in step for step in estimate.steps)
    assert any("2010年1月1日以前" in step for step in estimate.steps)


def test_a_changed_labor_fee_and_divisor(parameters_copy):
    def change(raw):
        raw["court_fees"]["labor"] = "20"
        raw["court_fees"]["reduction_divisors"]["simplified_procedure"] = "4"

    parameters_copy(change)
    fee = calculators.court_fee_labor()
    assert fee.amount == D("20.00") and fee.steps[0] == "劳动争议案件每件交纳20元"
    assert calculators.halved_court_fee(fee, FeeReduction.SIMPLIFIED_PROCEDURE).amount == D("5.00")


def test_a_changed_period_moves_the_deadline(parameters_copy):
    parameters_copy(lambda raw: raw["deadlines"].update(labor_arbitration={"months": 18}))
    deadline = deadlines.labor_arbitration_deadline(date(2024, 3, 15), date(2025, 1, 1), False, False)
    assert deadline.due == date(2025, 9, 15)


# --- a sentence that shows a figure follows the edit --------------------------------------


def test_the_sentences_show_the_figures_of_the_parameters_file():
    assert figures.with_figures(load_formats()["record"]["urgent_notice"]).startswith("有期限在30天内到期")
    bar = deadlines.divorce_resuit_bar(date(2025, 1, 10), date(2025, 2, 1))
    assert "不受六个月限制" in bar.note
    injury, _ = deadlines.work_injury_application(date(2025, 1, 10), date(2025, 1, 12))
    assert injury.name == "用人单位申请工伤认定的期限（30日）"


def test_a_changed_urgency_window_changes_the_urgent_notice(parameters_copy):
    from intake_core.guidance.advice import Advice, record_content

    parameters_copy(lambda raw: raw.update(urgent_within_days=14))
    notice = record_content(Advice("labor", True, []), [])["urgent_notice"]
    assert notice == "有期限在14天内到期，请尽快联系律师或自行采取行动。"
    assert deadlines.contract_limitation_deadline(date(2022, 1, 20), date(2025, 1, 1)).urgent is False


def test_a_changed_period_changes_the_sentences_that_name_it(parameters_copy):
    from intake_core.guidance.facts import deadlines_for

    parameters_copy(lambda raw: raw["deadlines"].update(divorce_resuit_bar={"months": 3},
                                                       injury_employer={"days": 45}))
    slots = {"divorce_previous_suit_refused": True, "divorce_previous_suit_date": "2025-01-10"}
    [bar] = deadlines_for("divorce", slots, date(2025, 2, 1))
    assert bar.name == "被判不离后再次起诉的等待期（三个月）"
    assert bar.due == date(2025, 4, 11)
    assert "不受三个月限制" in bar.note and "六个月" not in bar.note
    injury, _ = deadlines.work_injury_application(date(2025, 1, 10), date(2025, 1, 12))
    assert injury.name == "用人单位申请工伤认定的期限（45日）"
    assert "起45日内申请" in injury.note


def test_a_changed_remainder_rule_changes_its_step(parameters_copy):
    parameters_copy(lambda raw: raw["economic_compensation"].update(round_up_from_months=4))
    estimate = calculators.economic_compensation(date(2020, 1, 1), date(2023, 5, 1), D("5000"))
    assert "不满一年的部分在四个月以上，按一年计算" in estimate.steps
    assert estimate.amount == D("20000.00")


# --- malformed figures are refused, naming the key -------------------------------------


def _set(path: str, value):
    """A change that sets the dotted ``path`` (list items as [n]) to ``value``; None deletes it."""

    def change(raw):
        *parents, last = re.findall(r"[^.\[\]]+", path)
        node = raw
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return change


@pytest.mark.parametrize(
    "path, value, key",
    [
        ("economic_compensation", None, "economic_compensation"),
        ("economic_compensation.high_earner_multiple", 3.0, "economic_compensation.high_earner_multiple"),
        ("economic_compensation.high_earner_multiple", "three", "economic_compensation.high_earner_multiple"),
        ("economic_compensation.high_earner_max_years", "12", "economic_compensation.high_earner_max_years"),
        ("economic_compensation.notice_pay_months", 1, "economic_compensation.notice_pay_months"),
        ("economic_compensation.current_rules_from", "2008", "economic_compensation.current_rules_from"),
        ("double_wage.day_divisor", True, "double_wage.day_divisor"),
        ("overtime.holiday", None, "overtime.holiday"),
        ("deposit.cap_rate", "20", "deposit.cap_rate"),  # 20 for 20%: a rate is a share of one
        ("court_fees.property.bands[3].rate", "1.5", r"court_fees.property.bands\[3\].rate"),
        ("court_fees.property.bands[3].over", "300000", r"court_fees.property.bands\[3\].over"),
        ("court_fees.property.bands[8].up_to", "30000000", r"court_fees.property.bands\[8\].up_to"),
        ("court_fees.property.bands[2].up_to", None, r"court_fees.property.bands\[2\].up_to"),
        ("court_fees.property.bands", [], "court_fees.property.bands"),
        ("court_fees.divorce.high", "40", "court_fees.divorce.high"),
        ("court_fees.labor", "NaN", "court_fees.labor"),
        ("court_fees.reduction_divisors.simplified_procedure", None,
         "court_fees.reduction_divisors.simplified_procedure"),
        ("private_loan.lpr_multiple", 4, "private_loan.lpr_multiple"),
        ("private_loan.new_rules_from", "2020-8-20", "private_loan.new_rules_from"),
        ("private_loan.new_rules_from", None, "private_loan.new_rules_from"),
        ("deadlines.revocation", {"years": 1, "days": 1}, "deadlines.revocation"),
        ("deadlines.revocation", {"weeks": 2}, "deadlines.revocation"),
        ("deadlines.injury_employer", {"days": 0}, "deadlines.injury_employer.days"),
        ("deadlines.injury_worker", 1, "deadlines.injury_worker"),
    ],
)
def test_malformed_figures_name_the_key(path, value, key):
    with pytest.raises(ParametersError, match=rf"^{key}:"):
        parse_legal_figures(edited(_set(path, value)))


def test_loading_a_malformed_copy_fails_naming_the_file_and_the_key(tmp_path):
    path = tmp_path / "parameters.yml"
    text = PARAMETERS_PATH.read_text(encoding="utf-8")
    path.write_text(text.replace('cap_rate: "0.2"', "cap_rate: 0.2"), encoding="utf-8")
    with pytest.raises(ParametersError) as refused:
        load_legal_figures(path)
    assert str(refused.value).startswith(f"{path}: deposit.cap_rate: write the number as a quoted string")


# --- dated figures: staff are warned when one is past its review period -----------------


def test_a_stale_figure_is_logged_by_key_and_a_current_one_is_not(caplog):
    lpr = load_parameters().lpr_one_year
    with caplog.at_level(logging.WARNING, logger="intake_core.guidance.parameters"):
        assert log_stale_figures(load_parameters(), lpr.review_due) == []
        assert not caplog.records
        log_stale_figures(load_parameters(), lpr.review_due + timedelta(days=1))
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "lpr_one_year" in record.getMessage()
    assert str(lpr.latest.effective) in record.getMessage()


def test_the_action_server_checks_the_dated_figures_at_start_up():
    # What `rasa run actions --actions actions` does at start: import and register the package.
    start = ("import logging; logging.basicConfig(); from rasa_sdk.executor import ActionExecutor; "
             "ActionExecutor().register_package('actions')")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    started = subprocess.run([sys.executable, "-c", start], cwd=PROJECT_ROOT, env=env, capture_output=True,
                             text=True, timeout=600)
    assert started.returncode == 0, started.stderr[-2000:]
    expected = [figure.key for figure in stale_figures(load_parameters(), date.today())]
    logged = re.findall(r"Dated figure (\S+) is past its review period", started.stderr)
    assert logged == expected


# --- formats.yml ------------------------------------------------------------------------


@pytest.fixture
def formats_copy(tmp_path):
    """Write an edited copy of formats.yml; the cache goes back to the real file afterwards."""

    def write(change) -> Path:
        raw = yaml.safe_load((GUIDANCE_DIR / "formats.yml").read_text(encoding="utf-8"))
        change(raw)
        (tmp_path / "formats.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        return tmp_path

    yield write
    load_formats.cache_clear()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda raw: raw.pop("calculation_steps"), "calculation_steps: missing"),
        (lambda raw: raw["calculation_steps"].update(total="合计{total元"), "calculation_steps.total"),
        (lambda raw: raw["deadline_notes"].update(may_have_passed=""), "deadline_notes.may_have_passed"),
        (lambda raw: raw.update(bases=["劳动法第44条"]), "bases"),
    ],
)
def test_malformed_formats_are_refused_naming_the_file_and_the_key(formats_copy, change, message):
    directory = formats_copy(change)
    with pytest.raises(GuidanceError) as refused:
        load_formats(directory)
    assert str(refused.value).startswith(f"{directory / 'formats.yml'}: {message}"), refused.value


# --- no sentence left in the code ----------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _string_literals(path: Path):
    """String constants outside docstrings (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


@pytest.mark.parametrize("module", ["calculators.py", "deadlines.py"])
def test_no_chinese_text_in_the_code(module):
    chinese = [(line, text) for line, text in _string_literals(GUIDANCE_CODE / module) if CJK.search(text)]
    assert chinese == []

"""Conflict-of-interest check: names normalised, compared fuzzily, imported from CSV."""
import io

import pytest

from intake_core.desk.conflicts import MATCH, NONE, POSSIBLE, check_against_firm, import_parties, normalise_party_name

FIRM_CSV = """name,role,matter
深圳市腾飞科技有限公司,adverse,（2026）劳仲字第88号
广州宏达装饰工程有限公司,客户,装修合同纠纷常年顾问
李建国,对方,借款纠纷
"""


@pytest.mark.parametrize(
    "name, core",
    [
        ("深圳市腾飞科技有限公司", "腾飞科技"),
        ("腾飞科技（深圳）有限公司", "腾飞科技"),
        ("腾飞科技有限公司深圳分公司", "腾飞科技"),
        ("腾 飞 科 技 有 限 責 任 公 司", "腾飞科技"),
        ("ＡＢＣ貿易有限公司", "abc贸易"),
        ("腾飞科技(集团)股份有限公司", "腾飞科技"),
        ("李建国", "李建国"),
    ],
)
def test_names_are_normalised_to_their_core(name, core):
    assert normalise_party_name(name) == core


@pytest.fixture
def firm(database_url):
    assert import_parties(io.StringIO(FIRM_CSV)) == 3
    return database_url


@pytest.mark.parametrize("name", ["腾飞科技有限公司", "深圳腾飞科技有限责任公司", "腾飞科技（深圳）有限公司"])
def test_a_known_adverse_party_is_a_match_whatever_its_company_form(firm, name):
    result = check_against_firm(name)
    assert result.status == MATCH
    assert [(hit.party, hit.role) for hit in result.hits] == [("深圳市腾飞科技有限公司", "adverse")]


def test_a_close_but_different_name_is_flagged_as_possible(firm):
    result = check_against_firm("腾飞科技发展有限公司")
    assert result.status == POSSIBLE


def test_an_unrelated_company_is_not_flagged(firm):
    assert check_against_firm("北京蓝天物流有限公司").status == NONE


def test_no_name_means_nothing_to_check(firm):
    assert check_against_firm(None).status == NONE
    assert check_against_firm("  ").status == NONE


def test_chinese_role_names_are_understood(firm):
    result = check_against_firm("宏达装饰")
    assert result.status in (MATCH, POSSIBLE)
    assert result.hits[0].role == "client"


def test_a_bad_row_is_refused_with_its_line(database_url):
    with pytest.raises(ValueError, match="line 3"):
        import_parties(io.StringIO("name,role\n甲公司,client\n乙公司,friend\n"))


def test_missing_columns_are_named(database_url):
    with pytest.raises(ValueError, match="role"):
        import_parties(io.StringIO("name\n甲公司\n"))


def test_replace_empties_the_table_first(firm):
    import_parties(io.StringIO("name,role\n丙公司,client\n"), replace=True)
    assert check_against_firm("腾飞科技有限公司").status == NONE
    assert check_against_firm("丙公司").status == MATCH

"""The statute texts in content/laws and their loader (intake_core/statutes/texts.py)."""
from pathlib import Path

import pytest

from intake_core.config import PROJECT_ROOT
from intake_core.statutes.texts import (
    LAWS_DIR,
    StatuteError,
    heading_number,
    load_statutes,
    parse_articles,
    read_statutes,
)


@pytest.fixture(scope="module")
def statutes():
    return load_statutes()


def test_the_texts_are_inside_the_repository():
    assert LAWS_DIR == PROJECT_ROOT / "content" / "laws"
    assert (LAWS_DIR / "SOURCE.md").is_file()


def test_an_article_is_the_verbatim_text_from_its_heading_to_the_next(statutes):
    article = statutes.article("劳动合同法", 82)
    assert article.file == "劳动合同法"
    assert article.text == (
        "第八十二条 用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，"
        "应当向劳动者每月支付二倍的工资。\n\n"
        "用人单位违反本法规定不与劳动者订立无固定期限劳动合同的，自应当订立无固定期限"
        "劳动合同之日起向劳动者每月支付二倍的工资。"
    )


def test_a_chapter_heading_ends_the_article_before_it(statutes):
    # 第九十六条 is the first article of the 附则; 第九十五条 must not run into its heading.
    assert "附则" not in statutes.article("劳动合同法", 95).text
    assert statutes.article("劳动合同法", 96).text.startswith("第九十六条")


def test_the_civil_code_is_one_numbering_over_its_books(statutes):
    assert statutes.article("民法典", 1).file == "总则"
    assert statutes.article("民法典", 585).file == "合同编"
    assert statutes.article("民法典", 1079).file == "婚姻家庭编"
    assert statutes.article("民法典", 1165).file == "侵权责任编"
    assert statutes.article("民法典", 1079).text.startswith("第一千零七十九条 夫妻一方要求离婚的")
    # the guidance cites the books by file name
    assert statutes.file_article("婚姻家庭编", 1079) == statutes.article("民法典", 1079).text


def test_an_article_that_does_not_exist_is_none(statutes):
    assert statutes.article("劳动合同法", 200) is None
    assert not statutes.exists("劳动合同法", 200)
    assert not statutes.exists("劳动合同法", 0)
    assert statutes.article("民法典", 1300) is None
    assert not statutes.exists("民法典", 1300)


def test_an_article_of_a_book_not_held_here_exists_but_has_no_text(statutes):
    # 第三百条 is in the 物权编, which is not among the texts.
    assert statutes.article("民法典", 300) is None
    assert statutes.exists("民法典", 300)


def test_every_text_is_numbered_from_one_without_gaps(statutes):
    for law in statutes.laws.values():
        numbers = sorted(number for file in law.files for number in statutes.files[file])
        assert numbers, law.key
        if law.total_articles is None:
            assert numbers == list(range(1, len(numbers) + 1)), law.key
        else:
            assert numbers[-1] <= law.total_articles, law.key


def test_every_article_starts_with_its_own_heading(statutes):
    for file, articles in statutes.files.items():
        for number, text in articles.items():
            numeral = text.split("条", 1)[0][1:]
            assert heading_number(numeral) == number, (file, number)


@pytest.mark.parametrize("numeral, number", [("十", 10), ("十五", 15), ("一百零一", 101),
                                             ("一百一十", 110), ("一千零七十九", 1079)])
def test_heading_numerals(numeral, number):
    assert heading_number(numeral) == number


def test_an_article_appearing_twice_is_refused():
    with pytest.raises(StatuteError):
        parse_articles("第一条 甲。\n\n第一条 乙。", "broken.md")


def _copy_laws(tmp_path: Path, catalogue: str) -> Path:
    (tmp_path / "甲法(2020-01-01).md").write_text("# 甲法\n\n第一条 甲。\n", encoding="utf-8")
    (tmp_path / "laws.yml").write_text(catalogue, encoding="utf-8")
    return tmp_path


def test_a_text_without_a_catalogue_entry_is_refused(tmp_path):
    with pytest.raises(StatuteError, match="甲法"):
        read_statutes(_copy_laws(tmp_path, "version: 1\nlaws: {}\n"))


def test_an_alias_of_two_laws_is_refused(tmp_path):
    directory = _copy_laws(
        tmp_path,
        "version: 1\nlaws:\n  甲法: {title: 甲, aliases: [甲]}\n  乙法: {title: 乙, files: [甲法], aliases: [甲]}\n",
    )
    with pytest.raises(StatuteError, match="alias"):
        read_statutes(directory)


def test_a_catalogue_entry_without_its_file_is_refused(tmp_path):
    directory = _copy_laws(tmp_path, "version: 1\nlaws:\n  甲法: {title: 甲}\n  丙法: {title: 丙}\n")
    with pytest.raises(StatuteError, match="丙法"):
        read_statutes(directory)


def test_a_law_without_a_title_for_callers_is_refused(tmp_path):
    with pytest.raises(StatuteError, match="title"):
        read_statutes(_copy_laws(tmp_path, "version: 1\nlaws:\n  甲法: {aliases: [甲]}\n"))


def test_a_catalogue_without_the_words_that_read_a_question_is_refused(tmp_path):
    with pytest.raises(StatuteError, match="reading"):
        read_statutes(_copy_laws(tmp_path, "version: 1\nlaws:\n  甲法: {title: 甲}\n"))

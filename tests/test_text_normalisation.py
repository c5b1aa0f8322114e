import pytest

from intake_core.text import fold, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("離婚後孩子歸誰", "离婚后孩子归谁"),
        ("勞動仲裁要錢嗎", "劳动仲裁要钱吗"),
        ("ＨＲ說要辭退我", "HR说要辞退我"),
        ("工资３０００元", "工资3000元"),
        ("我要\u3000离婚", "我要 离婚"),
        ("", ""),
    ],
)
def test_fold_makes_simplified_half_width_text(raw, expected):
    assert fold(raw) == expected


@pytest.mark.parametrize("raw", ["離婚後孩子歸誰", "ＡＢＣ　１２３", "乾隆 後來 發財", "a\tb\nc"])
def test_fold_keeps_length_so_entity_offsets_stay_valid(raw):
    assert len(fold(raw)) == len(raw)


def test_normalize_collapses_and_trims_whitespace():
    assert normalize("  我要   离婚 \n ") == "我要 离婚"

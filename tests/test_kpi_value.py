"""parse_kpi_value: every printed form of a 指标值 seen in disclosures, and its invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetkg.extract.kpi_value import parse_general, parse_kpi_value
from budgetkg.extract.model import KpiValue

D = Decimal


def numeric(comparator, number, unit, scale=1, upper=None):
    """The fields a clean numeric reading must have."""
    return dict(kind="numeric", comparator=comparator, number=D(number),
                upper=None if upper is None else D(upper), unit=unit, scale=scale,
                deadline=None, flagged=False)


def deadline(text, comparator=None):
    """The fields a deadline reading must have: a date, no number."""
    return dict(kind="deadline", comparator=comparator, deadline=text, number=None,
                unit=None, scale=None, flagged=False)


def check(raw, expected):
    """Parse and compare only the fields the case names; raw is always the input."""
    value = parse_kpi_value(raw)
    assert value.raw == raw
    assert {key: getattr(value, key) for key in expected} == expected, value


@pytest.mark.parametrize("raw, comparator", [
    ("≥90%", "≥"), ("≤90%", "≤"), ("=90%", "="), (">90%", ">"), ("<90%", "<"),
    ("＞90%", ">"), ("＜90%", "<"), ("≧90%", "≥"), ("≦90%", "≤"), (">=90%", "≥"),
    ("<=90%", "≤"), ("＞＝90%", "≥"), ("≥ 90 %", "≥"),
])
def test_symbol_comparators_fold_to_canonical_symbols(raw, comparator):
    check(raw, numeric(comparator, "90", "%"))


@pytest.mark.parametrize("raw", ["不低于95%", "不少于95%", "不小于95%", "至少95%", "达到95%",
                                 "95%以上", "95%及以上", "大于等于95%"])
def test_words_like_不低于_fold_to_ge(raw):
    check(raw, numeric("≥", "95", "%"))


@pytest.mark.parametrize("raw", ["不高于10万元", "不超过10万元", "不多于10万元", "10万元以内",
                                 "10万元以下", "10万元及以下", "控制在10万元", "10万元内"])
def test_words_like_不超过_and_以下_fold_to_le_because_以下_includes_the_number(raw):
    check(raw, numeric("≤", "10", "元", 10**4))


@pytest.mark.parametrize("raw, comparator", [
    ("低于5%", "<"), ("少于5%", "<"), ("小于5%", "<"), ("不足5%", "<"), ("未达到5%", "<"),
    ("超过5%", ">"), ("高于5%", ">"), ("大于5%", ">"), ("多于5%", ">"),
])
def test_exclusive_words_like_低于_and_超过_fold_to_strict_comparators(raw, comparator):
    check(raw, numeric(comparator, "5", "%"))


@pytest.mark.parametrize("raw", ["约100人", "大约100人", "100人左右", "100人上下", "约100人左右"])
def test_approximate_words_fold_to_approx(raw):
    check(raw, numeric("≈", "100", "人"))


@pytest.mark.parametrize("raw, expected", [
    ("≥90%以上", numeric("≥", "90", "%")),
    ("不低于90%以上", numeric("≥", "90", "%")),
    ("≤10万元以内", numeric("≤", "10", "元", 10**4)),
    ("6个月及以上", numeric("≥", "6", "个月")),
])
def test_trailing_word_repeating_the_comparator_counts_once(raw, expected):
    check(raw, expected)


def test_contradicting_comparators_make_the_value_unparsed_but_keep_what_was_read():
    check("≥90%以下", dict(kind="unparsed", flagged=True, comparator="≥", number=D(90), unit="%"))


@pytest.mark.parametrize("raw", ["100%", "1次", "52457平方米", "25.01万元"])
def test_a_value_printed_without_comparator_has_none(raw):
    check(raw, dict(kind="numeric", comparator=None))


@pytest.mark.parametrize("raw, number", [
    ("100%", "100"), ("25.01万元", "25.01"), ("1,000人", "1000"), ("12,345,678元", "12345678"),
    ("１２３项", "123"), ("≥０.５万元", "0.5"), ("≤-5%", "-5"), ("3", "3"),
])
def test_numbers_are_exact_decimals_with_separators_and_width_folded(raw, number):
    value = parse_kpi_value(raw)
    assert value.kind == "numeric" and value.number == D(number)
    assert isinstance(value.number, Decimal)


@pytest.mark.parametrize("raw, expected", [
    ("6-20项", numeric(None, "6", "项", upper="20")),
    ("6～20项", numeric(None, "6", "项", upper="20")),
    ("6~20项", numeric(None, "6", "项", upper="20")),
    ("6至20项", numeric(None, "6", "项", upper="20")),
    ("6—20项", numeric(None, "6", "项", upper="20")),
    ("80%-90%", numeric(None, "80", "%", upper="90")),
    ("5万-10万元", numeric(None, "5", "元", 10**4, upper="10")),
    ("1.5-2.5万元", numeric(None, "1.5", "元", 10**4, upper="2.5")),
])
def test_ranges_set_number_to_the_low_end_and_upper_to_the_high_end(raw, expected):
    check(raw, expected)


@pytest.mark.parametrize("raw, unit, scale", [
    ("≥30万人次", "人次", 10**4), ("25.01万元", "元", 10**4), (">30亿元", "元", 10**8),
    ("≤7.5万元", "元", 10**4), ("≥16700万元", "元", 10**4), ("≥0.6万吨", "吨", 10**4),
    ("3千元", "元", 10**3), ("2百万元", "元", 10**6), ("1千万元", "元", 10**7),
    ("3万元/个", "元/个", 10**4), ("1.2万元/人/年", "元/人/年", 10**4),
    ("2万/项", "元/项", 10**4), ("3万/项", "元/项", 10**4), ("30万", None, 10**4),
    ("380元/份", "元/份", 1), ("≤300000元", "元", 1), ("3千克", "千克", 1), ("5千米", "千米", 1),
    ("2千瓦时", "千瓦时", 1), ("12人次", "人次", 1), ("100%", "%", 1), ("5‰", "‰", 1),
])
def test_scale_prefixes_万_亿_千_move_into_scale_and_leave_the_base_unit(raw, unit, scale):
    check(raw, dict(kind="numeric", unit=unit, scale=scale))


@pytest.mark.parametrize("raw, unit", [
    ("3项", "项"), ("4个", "个"), ("5家", "家"), ("2人", "人"), ("3篇", "篇"), ("1次", "次"),
    ("1场", "场"), ("20期", "期"), ("6000册", "册"), ("≥40套", "套"), ("52件套", "件套"),
    ("5条（套）", "条(套)"), ("≥5条（套）", "条(套)"), ("≥12人次", "人次"),
    ("62042平方米", "平方米"), ("≤58672㎡", "平方米"), ("≤1元/个", "元/个"), ("1次/年", "次/年"),
    ("≥637元/人/月", "元/人/月"), ("100分钟", "分钟"), ("≥220天", "天"), ("≥26站", "站"),
    ("分辨率像素值不低于2.1MP", "MP"), ("≥2月", "月"), ("99年", "年"), ("≤1年", "年"),
    ("3", None),
])
def test_unit_is_the_text_after_the_number_not_a_whitelist(raw, unit):
    check(raw, dict(kind="numeric", unit=unit, flagged=False))


def test_words_before_the_number_name_what_is_measured_and_keep_their_comparator():
    check("分辨率像素值不低于2.1MP", numeric("≥", "2.1", "MP"))


def test_verbs_like_提高_state_a_change_so_no_comparator_is_implied():
    check("提高90%", numeric(None, "90", "%"))


@pytest.mark.parametrize("raw, expected", [
    ("当年12月底前", deadline("--12", "≤")),
    ("12月底前", deadline("--12", "≤")),
    ("12月底之前", deadline("--12", "≤")),
    ("12月31日前", deadline("--12-31", "≤")),
    ("12月25日前", deadline("--12-25", "≤")),
    ("2023年6月", deadline("2023-06")),
    ("2026年10月", deadline("2026-10")),
    ("2026年8月底", deadline("2026-08")),
    ("2026年12月底前", deadline("2026-12", "≤")),
    ("2026年6月30日前", deadline("2026-06-30", "≤")),
    ("9月底", deadline("--09")),
    ("4月", deadline("--04")),
    ("当年11月份前", deadline("--11", "≤")),
    ("12月之前", deadline("--12", "≤")),
    ("12月以前", deadline("--12", "≤")),
    ("12月底前达成", deadline("--12", "≤")),
    ("2023/1/1-2023/2/1", deadline("2023-01-01/2023-02-01")),
    ("11至12月", deadline("--11/--12")),
    ("2026年3月-6月", deadline("2026-03/2026-06")),
    ("2021-2025年", deadline("2021/2025")),
    ("2026年", deadline("2026")),
    ("2026年底", deadline("2026-12")),
    ("年底前", deadline("--12", "≤")),
    ("当年底前", deadline("--12", "≤")),
    ("2026年第3季度", deadline("2026-Q3")),
    ("每月15日前", deadline("---15", "≤")),
    ("2026.06.30", deadline("2026-06-30")),
    ("2026-06", deadline("2026-06")),
    ("≤2026年12月", deadline("2026-12", "≤")),
    ("截至2026年12月", deadline("2026-12", "≤")),
])
def test_deadlines_normalize_to_iso_like_text_and_前_means_le(raw, expected):
    check(raw, expected)


def test_deadlines_are_not_checked_against_the_calendar():
    check("2026年9月31日前", deadline("2026-09-31", "≤"))


@pytest.mark.parametrize("raw, expected", [
    ("≥2月", numeric("≥", "2", "月")),
    ("≤3月", numeric("≤", "3", "月")),
    ("13月", numeric(None, "13", "月")),
    ("15日", numeric(None, "15", "日")),
    ("15日内", numeric("≤", "15", "日")),
    ("1年", numeric(None, "1", "年")),
    ("1000年", numeric(None, "1000", "年")),
])
def test_months_days_and_years_that_are_not_dates_are_durations(raw, expected):
    check(raw, expected)


@pytest.mark.parametrize("raw", [
    "持续提升", "有效提升", "不断丰富", "达到", "符合", "切合主题", "及时", "促进", "加快", "完成",
    "通过验收", "投入使用", "副高以上", "良好", "显著", "每季度", "每月", "按标准", "一流",
    "一次性补助", "进一步完善", "两学一做", "百分之九十",
])
def test_values_without_a_number_or_date_are_qualitative(raw):
    check(raw, dict(kind="qualitative", comparator=None, number=None, unit=None, scale=None,
                    deadline=None, flagged=False))


@pytest.mark.parametrize("raw", ["", "   ", "-", "/", "—", "——", "\t\n"])
def test_blank_and_placeholder_values_are_empty(raw):
    check(raw, dict(kind="empty", number=None, flagged=False))


@pytest.mark.parametrize("raw, expected", [
    ("两场", numeric(None, "2", "场")),
    ("不少于三次", numeric("≥", "3", "次")),
    ("十二项", numeric(None, "12", "项")),
    ("一次/年", numeric(None, "1", "次/年")),
    ("三万元", numeric(None, "3", "元", 10**4)),
    ("十二月底前", deadline("--12", "≤")),
    ("二〇二六年十二月", deadline("2026-12")),
    ("第三季度末前", deadline("--Q3", "≤")),
])
def test_chinese_numerals_are_read_when_they_count_a_known_measure_word_or_date(raw, expected):
    check(raw, expected)


@pytest.mark.parametrize("raw", [
    "及时消防维保2次/月、电力维保1次/、电梯维保2次/月", "1,2,3", "2026年13月5日",
])
def test_several_numbers_that_cannot_be_placed_are_flagged_not_dropped(raw):
    check(raw, dict(kind="unparsed", flagged=True, number=None))


@pytest.mark.parametrize("raw, number, unit", [
    ("24小时安保无忧", "24", "小时"), ("100%完成", "100", "%"), ("1次/", "1", "次"),
])
def test_text_left_after_the_unit_flags_the_value_but_keeps_what_was_read(raw, number, unit):
    check(raw, dict(kind="unparsed", flagged=True, number=D(number), unit=unit))


def test_range_whose_ends_have_different_units_is_flagged():
    check("6项-20个", dict(kind="unparsed", flagged=True, number=D(6), upper=D(20)))


# --- properties --------------------------------------------------------------------------

KINDS = {"numeric", "deadline", "qualitative", "empty", "unparsed"}
COMPARATORS = {"≥": "≥", "≤": "≤", ">": ">", "<": "<", "=": "=", "＞": ">", "＜": "<",
               ">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "不低于": "≥", "不少于": "≥",
               "至少": "≥", "达到": "≥", "不超过": "≤", "不高于": "≤", "低于": "<", "约": "≈"}
# 年 and 月 are left out: with ≤ and a year-like number they are deadlines, by design.
UNITS = {"项": ("项", 1), "个": ("个", 1), "%": ("%", 1), "人次": ("人次", 1),
         "万人次": ("人次", 10**4), "万元": ("元", 10**4), "亿元": ("元", 10**8),
         "元/份": ("元/份", 1), "万元/个": ("元/个", 10**4), "次/年": ("次/年", 1),
         "平方米": ("平方米", 1), "条（套）": ("条(套)", 1), "": (None, 1)}
decimals = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                       allow_infinity=False)


@given(st.text())
def test_never_raises_on_arbitrary_text_and_always_keeps_raw(raw):
    value = parse_kpi_value(raw)
    assert isinstance(value, KpiValue)
    assert value.raw == raw
    assert value.kind in KINDS
    assert value.flagged == (value.kind == "unparsed")


@given(st.text(alphabet="0123456789,.%-~至年月日底前≥≤<>=万亿千元项次/（）约以上下内两十一 "))
def test_never_raises_on_text_made_of_the_characters_the_parser_cares_about(raw):
    value = parse_kpi_value(raw)
    assert value.raw == raw and value.kind in KINDS


@given(st.text())
def test_parsing_is_deterministic(raw):
    assert parse_kpi_value(raw) == parse_kpi_value(raw)


@given(st.sampled_from(sorted(COMPARATORS)), decimals, st.sampled_from(sorted(UNITS)))
def test_generated_comparator_number_unit_reads_back_exactly(comparator, number, unit):
    raw = f"{comparator}{number}{unit}"
    value = parse_kpi_value(raw)
    assert value.kind == "numeric", value
    assert value.number == number
    assert value.comparator == COMPARATORS[comparator]
    assert (value.unit, value.scale) == UNITS[unit]


@given(decimals, st.sampled_from(sorted(UNITS)))
def test_thousands_separators_and_full_width_digits_do_not_change_the_number(number, unit):
    grouped = f"{number:,}{unit}"
    wide = f"{number}{unit}".translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_kpi_value(grouped).number == number
    assert parse_kpi_value(wide).number == number


@given(decimals, decimals, st.sampled_from(["-", "～", "至"]), st.sampled_from(["项", "%", "万元"]))
def test_generated_ranges_read_back_both_ends(low, high, sep, unit):
    value = parse_kpi_value(f"{low}{sep}{high}{unit}")
    assert (value.kind, value.number, value.upper) == ("numeric", low, high)


@given(
    st.sampled_from(["", "≥", "≤", ">", "<", "="]),
    st.from_regex(r"[0-9]{1,9}(\.[0-9]{1,6})?", fullmatch=True),
    st.sampled_from(list("%项个家人篇次场期所名件套台条种")),
)
def test_fast_path_for_simple_targets_agrees_with_the_general_reader(symbol, number, unit):
    raw = symbol + number + unit
    assert parse_kpi_value.__wrapped__(raw) == parse_general(raw)


@given(
    st.sampled_from(["", "≥", "≤", ">", "<", "="]),
    st.from_regex(r"[0-9]{1,9}(\.[0-9]{1,6})?", fullmatch=True),
    st.sampled_from(["元", "万元", "亿元"]),
    st.sampled_from([""] + ["/" + u for u in "项个家人篇次场期所名件套台条种"]),
)
def test_fast_path_for_money_targets_agrees_with_the_general_reader(symbol, number, unit, per):
    raw = symbol + number + unit + per
    fast = parse_kpi_value.__wrapped__(raw)
    assert fast == parse_general(raw) and repr(fast) == repr(parse_general(raw))

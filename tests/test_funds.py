"""项目资金: figures go to the label printed before them, whatever the layout."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetkg.extract.funds import parse_amount, read_funds


@pytest.mark.parametrize(
    "text, expected",
    [("14,663,000", 14663000), ("809,020.7", 809020.7), ("0", 0), ("", None), ("万元", None), ("1，000", 1000),
     ("23, 367. 00", 23367.0),  # spaces a converter put after the separators
     ("16,110,000 5,370,000", None)],  # two columns' figures in one cell: no figure, not 161100005370000
)
def test_amounts_are_read_as_printed(text, expected):
    assert parse_amount(text) == expected


def test_side_by_side_labels_and_figures_fill_both_columns():
    cells = ["实施期资金总额:", "200,000,000", "年度资金总额:", "120,000,000",
             "其中:中央财政资金", "0", "其中:中央财政资金", "0",
             "省级财政资金", "200,000,000", "省级财政资金", "120,000,000",
             "市县(区)财政资 金", "0", "市县(区)财政资金", "0", "单位自筹", "0", "单位自筹", "0",
             "其他资金", "其他资金"]
    period, annual = read_funds(cells)
    assert (period.total, annual.total) == (200000000, 120000000)
    assert (period.provincial, annual.provincial) == (200000000, 120000000)
    assert annual.city_county == 0 and annual.other is None


def test_labels_on_one_row_and_figures_on_the_next_pair_in_order():
    period, annual = read_funds(["实施期资金总额:", "年度资金总额:", "46,500,000", "15,500,000"])
    assert (period.total, annual.total) == (46500000, 15500000)


def test_labels_wrapped_over_lines_are_still_recognised():
    cells = ["实施期资", "金总额：", "600,000", "年度资金总额：", "600,000", "其中：中", "央财政资", "0",
             "其中：中央财政", "资金", "0", "市县", "（区）财", "600,000", "市县", "（区）财政资金", "600,000"]
    period, annual = read_funds(cells)
    assert period.total == annual.total == 600000
    assert (period.central, annual.central) == (0, 0)
    assert (period.city_county, annual.city_county) == (600000, 600000)


def test_a_single_source_column_goes_to_the_total_it_adds_up_to():
    cells = ["实施期资金总额:", "年度资金总额:", "46,500,000", "15,500,000", "其中:中央财政资金", "0",
             "市(区)财政资金", "15,500,000", "其他资金", "0"]
    period, annual = read_funds(cells)
    assert annual.city_county == 15500000 and period.city_county is None


def test_only_a_period_column_leaves_the_annual_figures_unknown():
    period, annual = read_funds(["实施期资金总额:", "6,000,000", "市县(区)财政资金", "6,000,000"])
    assert period.total == 6000000 and period.city_county == 6000000
    assert annual.total is None and annual.city_county is None


@given(st.lists(st.text(max_size=12), max_size=30))
def test_any_cells_read_without_error(cells):
    read_funds(cells)


def test_a_figure_printed_inside_its_label_cell_is_read():
    period, annual = read_funds(["实施期资金总额:", "356,500,000", "年度资金总额: 356,500,000",
                                 "其中:中央财政资金", "0", "其中:中央财政资金 0"])
    assert (period.total, annual.total) == (356500000, 356500000)
    assert (period.central, annual.central) == (0, 0)


# --- properties ----------------------------------------------------------------------------
@given(st.text(max_size=30))
def test_parse_amount_never_raises_and_reads_a_number_or_nothing(text):
    value = parse_amount(text)
    assert value is None or type(value) in (int, float)


@given(st.integers(-10**15, 10**15), st.sampled_from([",", "，"]), st.sampled_from(["", " ", "\u3000"]))
def test_an_integer_printed_with_any_thousands_separator_reads_back(n, sep, pad):
    printed = pad + f"{n:,}".replace(",", sep) + pad
    assert parse_amount(printed) == n and type(parse_amount(printed)) is int


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_a_decimal_amount_reads_back_as_a_float_and_again_from_its_own_text(d):
    value = parse_amount(f"{d:,.2f}")
    assert type(value) is float and value == float(d)
    assert parse_amount(str(value)) == value  # reading is a fixed point on what it returns


SOURCE_LABELS = ("其中:中央财政资金", "省级财政资金", "市县(区)财政资金", "单位自筹", "其他资金")


@given(st.lists(st.integers(0, 10**10), min_size=12, max_size=12), st.booleans())
def test_a_generated_side_by_side_funds_table_reads_back(amounts, glued):
    """实施期 | 年度 columns, each label beside its figure (or in one cell with it)."""
    labels = [("实施期资金总额:", "年度资金总额:")] + [(label, label) for label in SOURCE_LABELS]
    cells = []
    for (left, right), i in zip(labels, range(0, 12, 2)):
        for label, amount in ((left, amounts[i]), (right, amounts[i + 1])):
            cells += [f"{label} {amount:,}"] if glued else [label, f"{amount:,}"]
    period, annual = read_funds(cells)
    assert (period.total, annual.total) == (amounts[0], amounts[1])
    sources = ("central", "provincial", "city_county", "self_raised", "other")
    assert [getattr(period, s) for s in sources] == amounts[2::2]
    assert [getattr(annual, s) for s in sources] == amounts[3::2]


def test_a_row_of_labels_whose_figure_cells_are_blank_takes_no_figure_from_the_row_below():
    """其中：中央财政资金 | ⎵ | 其中：中央财政资金 | ⎵ then 省级 | 0 | 省级 | 0: the blank cells
    are the 中央 figures; the row's labels do not wait for the 省级 or 市县 figures below."""
    rows = [
        ["实施期资金总额：", "12,000,000", "年度资金总额：", "12,000,000"],
        ["其中：中央财政资金", "其中：中央财政资金"],
        ["省级财政资金", "0", "省级财政资金", "0"],
        ["市县（区）财政资金", "12,000,000", "市县（区）财政资金", "12,000,000"],
    ]
    cells = [c for row in rows for c in row]
    lines = [n for n, row in enumerate(rows, 1) for _ in row]
    period, annual = read_funds(cells, lines)
    assert (period.central, period.provincial, period.city_county) == (None, 0, 12000000)
    assert (annual.central, annual.provincial, annual.city_county) == (None, 0, 12000000)


def test_labels_on_one_row_and_their_figures_on_the_next_are_not_blank():
    period, annual = read_funds(["实施期资金总额:", "年度资金总额:", "46,500,000", "15,500,000"], [1, 1, 2, 2])
    assert (period.total, annual.total) == (46500000, 15500000)


@pytest.mark.parametrize("placeholder", ["—", "/", "-", "－", "无"])
def test_a_placeholder_in_a_figure_cell_is_no_figure(placeholder):
    cells = ["其中：中央财政资金", placeholder, "其中：中央财政资金", placeholder,
             "市县（区）财政资金", "10,000,000", "市县（区）财政资金", "10,000,000"]
    period, annual = read_funds(cells)
    assert (period.central, annual.central) == (None, None)
    assert (period.city_county, annual.city_county) == (10000000, 10000000)


@pytest.mark.parametrize("label, source", [
    ("自治区财政资金", "provincial"), ("省补助资金", "provincial"), ("盟市财政资金", "city_county"),
    ("市本级资金", "city_county"), ("县（市、区）财政资金", "city_county"), ("单位自有资金", "self_raised"),
])
def test_other_provinces_names_of_a_source_are_that_source(label, source):
    period, annual = read_funds(["实施期资金总额：", "500,000", "年度资金总额：", "500,000", label, "500,000", label, "500,000"])
    assert getattr(period, source) == getattr(annual, source) == 500000


def test_a_joint_source_label_gives_its_figure_to_neither_source():
    """中央和省级补助资金 300万: the split between them is not printed."""
    period, annual = read_funds(["年度资金总额：", "3,000,000", "中央和省级补助资金", "3,000,000", "市级财政资金", "0"])
    assert (annual.total, annual.central, annual.provincial, annual.city_county) == (3000000, None, None, 0)


def test_funds_written_as_label_and_figure_pairs_in_running_text_go_each_to_its_label():
    """Hunan's form writes the funds as text: 年度资金总额 | 总额：300万元 | 财政拨款：300万元（其中：
    上级财政资金：100万元；本级财政：200万元） | 自有资金：0万元. The total's figure goes to the total
    (not the last 0 to it), each pair to its own label, 上级 funds to no source."""
    period, annual = read_funds([
        "年度资金总额", "总额：300万元", "及构成", "财政拨款：300万元（其中：上级财政资金：100万元；本级财政：200万元）",
        "自有资金：0万元", "其他：0万元",
    ])
    assert (annual.total, annual.self_raised, annual.central, annual.provincial) == (3_000_000, 0, None, None)
    assert period.total is None


def test_a_source_printed_as_parts_in_one_column_is_their_sum():
    """地（市）资金 and 县（区）资金, both city and county funds, in one column: one figure, 200,000;
    the same label twice stays the two columns' (实施期, 年度)."""
    period, annual = read_funds(["年度资金总额", "300.00", "其中：中央资金", "200.00", "自治区资金", "80.00",
                                 "地（市）资金", "12.00", "县（区）资金", "8.00", "其他资金", "0.00", "（万元）"])
    assert (annual.total, annual.central, annual.provincial, annual.city_county) == (3_000_000, 2_000_000, 800_000, 200_000)
    period, annual = read_funds(["实施期资金总额：", "30", "年度资金总额：", "10", "市县财政资金", "30", "市县财政资金", "10"])
    assert (period.city_county, annual.city_county) == (30, 10)

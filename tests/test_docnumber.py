"""发文字号 normalization, parsing, finding, and the issuer table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetkg.extract.docnumber import (
    DocNumber,
    find_doc_numbers,
    iter_doc_numbers,
    load_issuers,
    lookup_issuer,
    name_level,
    normalize_doc_number,
    parse_doc_number,
    split_issuer_code,
)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("晋政办发〔2017〕160号", "晋政办发〔2017〕160号"),
        ("晋政办发[2017]59号", "晋政办发〔2017〕59号"),
        ("晋市政办【2025】29号", "晋市政办〔2025〕29号"),
        ("并财教(2022)181号", "并财教〔2022〕181号"),
        ("晋 驻村办（2022）14号", "晋驻村办〔2022〕14号"),
        ("晋科发［２０１７］８６号", "晋科发〔2017〕86号"),
        ("晋科发【2017〕86号", "晋科发〔2017〕86号"),
        ("晋科发〔 2017 〕\n86 号", "晋科发〔2017〕86号"),
        ("国发〔2021〕第9号", "国发〔2021〕9号"),
        ("中办、国办发〔2022〕53号", "中办、国办发〔2022〕53号"),
        ("中国科协 教育部〔2023〕7号", "中国科协教育部〔2023〕7号"),
    ],
)
def test_normalize_examples(written, expected):
    assert normalize_doc_number(written) == expected


def test_parse_splits_code_year_serial():
    assert parse_doc_number("晋政办发[2017]59号") == DocNumber("晋政办发〔2017〕59号", "晋政办发", 2017, "59")
    joint = parse_doc_number("中办、国办发〔2022〕53号")
    assert joint.issuer_code == "中办、国办发"
    assert joint.issuer_codes == ("中办", "国办发")


@pytest.mark.parametrize(
    "text", ["GB/T 41131-2021", "GT 41131_2021", "〔2022〕19次", "(2021-2035年)", "2026年", "", "《科普法》"]
)
def test_parse_rejects_what_is_no_number(text):
    assert parse_doc_number(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("根据晋市办字[2021]24号规定的", "晋市办字〔2021〕24号"),
        ("根据中国科协、教育部〔2025〕4号文件《…》", "中国科协、教育部〔2025〕4号"),
        ("根据中国宋庆龄基金会、中国发明协会〔2025〕4号文件", "中国宋庆龄基金会、中国发明协会〔2025〕4号"),
        ("中国科协、教育部、生态环境部、中央精神文明建设办公室、共青团中央〔2025〕17号",
         "中国科协、教育部、生态环境部、中央精神文明建设办公室、共青团中央〔2025〕17号"),
        ("按照山西省科技厅晋科发〔2019〕28号文件", "晋科发〔2019〕28号"),
        ("…的通知(晋办发【2025】5号)", "晋办发〔2025〕5号"),
        ("《科技馆展览教育服务规范》(GB/T 41131-2021)", None),
        ("《会议纪要》（〔2022〕19次）", None),
    ],
)
def test_find_reads_the_issuer_prefix(text, expected):
    found = [n for _, _, n in find_doc_numbers(text)]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("（大同市人民政府令第118号）", "大同市人民政府令第118号"),
        ("依据财政部令第 ８７ 号规定", "财政部令第87号"),
        ("根据中华人民共和国主席令第五十六号公布的", "中华人民共和国主席令第五十六号"),
        ("按照部令第5号", "部令第5号"),
        ("按照省政府令\n第285号", "省政府令第285号"),
        ("《条例》（国务院令第588）", "国务院令第588号"),
        ("上级下达命令第3号", None),
        ("口令第12号", None),
    ],
)
def test_find_decrees_numbered_without_a_year(text, expected):
    found = [n for _, _, n in find_doc_numbers(text)]
    assert found == ([expected] if expected else [])


def test_parse_decree_has_no_year():
    d = parse_doc_number("大同市人民政府令第118号")
    assert d == DocNumber("大同市人民政府令第118号", "大同市人民政府", None, "118")
    assert d.is_decree and not parse_doc_number("晋政发〔2020〕12号").is_decree
    assert parse_doc_number("命令第3号") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("根据晋政发〔2020〕第12号文件", "晋政发〔2020〕12号"),
        ("（晋科发【2019】第 28 号）", "晋科发〔2019〕28号"),
        ("科学技术部令第19号及晋政发(2020)第12号", None),
    ],
)
def test_find_serial_after_di(text, expected):
    found = [n for _, _, n in find_doc_numbers(text)]
    if expected is None:
        assert found == ["科学技术部令第19号", "晋政发〔2020〕12号"]
    else:
        assert found == [expected]


@pytest.mark.parametrize("text", [
    "（科协办函普字〔2\n022〕127号）",  # pdftotext wrapped the cell inside the year
    "（科协办函普字〔20 22〕127号）",  # a <br> or a joined line: a space there
    "（科协办函普字〔2022〕12\n7号）",
    "（科协办函普字〔2022〕12 7号）",
])
def test_a_line_break_or_space_inside_the_year_or_serial_leaves_the_number_whole(text):
    assert [n for _, _, n in find_doc_numbers(text)] == ["科协办函普字〔2022〕127号"]


def test_find_gives_offsets_of_the_written_number():
    text = "见(晋财资[2014]38号、晋财资[2017]43号)"
    assert [(text[s:e], n) for s, e, n in find_doc_numbers(text)] == [
        ("晋财资[2014]38号", "晋财资〔2014〕38号"),
        ("晋财资[2017]43号", "晋财资〔2017〕43号"),
    ]


def test_number_without_hao_closed_by_a_bracket_is_whole():
    (m,) = iter_doc_numbers("电价(发改价格[2021]1439)及")
    assert (m.normalized, m.truncated) == ("发改价格〔2021〕1439号", False)


def test_number_cut_off_by_the_end_of_text_is_truncated():
    (m,) = iter_doc_numbers("《办法（试行）》（忻科发[2017]30  ")
    assert (m.normalized, m.truncated) == ("忻科发〔2017〕30", True)


def test_issuer_table_loads_and_resolves():
    issuers = load_issuers()
    assert issuers["晋政办发"].authority == "山西省人民政府办公厅"
    assert issuers["国发"].level == "national"
    assert lookup_issuer("并财教").authority == "太原市财政局"
    assert lookup_issuer("晋发改") is None  # no prefix guessing: 晋发 is the 省委's code
    levels = {"national", "provincial", "municipal", "district"}
    assert {i.level for i in issuers.values()} <= levels
    assert all(parse_doc_number(f"{code}〔2020〕1号") for code in issuers)


@pytest.mark.parametrize(
    "code, parts",
    [
        ("中办、国办发", ("中办", "国办发")),
        ("中国科协教育部", ("中国科协", "教育部")),
        ("中国科协 教育部", ("中国科协", "教育部")),
        ("晋科规发", ("晋科规发",)),
        ("晋市政办发", ("晋市政办发",)),
        ("晋未知字", ("晋未知字",)),
        ("中国科协某某会", ("中国科协某某会",)),
    ],
    ids=["joined by 、", "names run together", "names split by a space", "one known code",
         "a code is never cut into codes", "an unknown code stays whole", "a name not wholly known"],
)
def test_joint_issuers_split_into_known_codes_or_names(code, parts):
    assert split_issuer_code(code) == parts


def test_a_name_after_a_name_is_a_joint_issuer_not_a_name_and_a_code():
    assert [n for _, _, n in find_doc_numbers("根据中国科协 教育部〔2023〕7号文件")] == ["中国科协教育部〔2023〕7号"]


def test_every_issuer_in_the_table_has_a_known_level():
    assert all(i.level in {"national", "provincial", "municipal", "district"} for i in load_issuers().values())
    assert lookup_issuer("晋编字").authority == "山西省机构编制委员会"
    assert lookup_issuer("中办").authority == lookup_issuer("中办发").authority


@pytest.mark.parametrize(
    "name, level",
    [("中华人民共和国主席", "national"), ("国务院办公厅", "national"), ("财政部", "national"),
     ("山西省人民政府", "provincial"), ("中共山西省委", "provincial"), ("大同市人民政府", "municipal"),
     ("山西省晋城市人民政府", "municipal"), ("北京市人民政府", "provincial"),
     ("山西转型综改示范区管委会", "district"), ("边远贫困地区", None), ("城市供水条例", None),
     ("省政府", None), ("", None)],
)
def test_level_from_how_a_name_begins(name, level):
    assert name_level(name) == level


# --- properties ---------------------------------------------------------------------------

# No authority-name endings (厅 部 委 协 …): 人社部国发 reads as 人社部 + known code 国发.
CODE_CHARS = "晋政办发科财教预行国人社市综函规资高字并忻"
OPENS = "〔[【(（［﹝〖"
CLOSES = "〕]】)）］﹞〗"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

codes = st.text(alphabet=CODE_CHARS, min_size=1, max_size=8)
years = st.integers(min_value=1900, max_value=2099)
serials = st.integers(min_value=1, max_value=99999).map(str)
spaces = st.sampled_from(["", " ", "\n", "\u3000", " \n "])


@given(st.text())
def test_normalize_never_raises_and_is_idempotent(text):
    once = normalize_doc_number(text)
    assert normalize_doc_number(once) == once


@given(codes, years, serials, st.sampled_from(OPENS), st.sampled_from(CLOSES), spaces, spaces,
       st.booleans())
def test_every_bracket_variant_maps_to_one_form(code, year, serial, op, cl, sp1, sp2, wide):
    digits = (lambda s: s.translate(FULLWIDTH)) if wide else str
    written = f"{code[:1]}{sp1}{code[1:]}{op}{digits(str(year))}{cl}{sp2}{digits(serial)}号"
    expected = f"{code}〔{year}〕{serial}号"
    assert normalize_doc_number(written) == expected
    assert parse_doc_number(written) == DocNumber(expected, code, year, serial)
    if not (code[:1] == "并" and code[1:2] in "晋国"):  # in running text 并 before a province's or
        # the state's code joins it to the number before (…1号并国发…): pinned in its own test
        assert [n for _, _, n in find_doc_numbers(f"根据{written}文件。")] == [expected]


@given(st.text())
def test_find_never_raises_and_spans_are_inside(text):
    for start, end, _ in find_doc_numbers(text):
        assert 0 <= start < end <= len(text)


@given(st.lists(st.sampled_from(["中国科协", "教育部", "国办发", "晋政办发", "晋未知字"]), min_size=1, max_size=4),
       st.sampled_from(["、", " ", ""]))
def test_splitting_issuers_loses_no_character(parts, sep):
    code = sep.join(parts)
    assert "".join(split_issuer_code(code)) == normalize_doc_number(code).replace("、", "")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("京财预〔2024〕1号和京政发〔2023〕12号", ["京财预〔2024〕1号", "京政发〔2023〕12号"]),
        ("晋财教〔2020〕1号并晋科发〔2021〕2号", ["晋财教〔2020〕1号", "晋科发〔2021〕2号"]),
        ("和政发〔2019〕5号", ["和政发〔2019〕5号"]),  # 和顺县's own code
        ("并财教〔2020〕3号", ["并财教〔2020〕3号"]),  # Taiyuan's
    ],
)
def test_he_and_bing_join_codes_only_before_a_provinces_or_the_states_code(text, numbers):
    assert [m.normalized for m in iter_doc_numbers(text)] == numbers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("一、临政发〔2022〕18号；二、按临财教〔2024〕5号文件要求执行。", ["临政发〔2022〕18号", "临财教〔2024〕5号"]),
        ("省政府以晋政函〔2023〕112号批复同意", ["晋政函〔2023〕112号"]),
        ("四、遵循晋政发〔2021〕27号", ["晋政发〔2021〕27号"]),
        ("据晋市财教〔2024〕3号、对照并财教〔2020〕3号", ["晋市财教〔2024〕3号", "并财教〔2020〕3号"]),
        ("中办、国办发〔2019〕1号", ["中办、国办发〔2019〕1号"]),  # joint issuers keep their 、
    ],
)
def test_a_list_number_or_a_preposition_before_a_bare_number_is_not_its_issuer(text, numbers):
    assert [m.normalized for m in iter_doc_numbers(text)] == numbers

"""Citations in text fields: one test per written form, properties, and the gold files."""

from __future__ import annotations

import importlib.util
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetkg.extract.citations import find_citations
from budgetkg.extract.model import Citation


def cite(text: str, line: int = 1) -> list[tuple[str | None, str | None]]:
    return [(c.title, c.doc_number) for c in find_citations([(line, text)])]


FORMS = {
    "title then bracketed number": (
        "1.《山西省科技重大专项管理办法》（晋政办发〔2017〕160号）",
        [("山西省科技重大专项管理办法", "晋政办发〔2017〕160号")],
    ),
    "title then bare number, then a title with its own": (
        "《晋城市支持科技创新的若干政策》晋市政办【2025】29号《省科技创新券实施管理办法》(晋科发【2024】16号)文件要求",
        [("晋城市支持科技创新的若干政策", "晋市政办〔2025〕29号"),
         ("省科技创新券实施管理办法", "晋科发〔2024〕16号")],
    ),
    "number alone": ("根据晋市办字[2021]24号规定的我单位主要职责", [(None, "晋市办字〔2021〕24号")]),
    "title alone": ("1.《中华人民共和国科普法》（2002年6月29日通过）明确规定", [("中华人民共和国科普法", None)]),
    "关于印发《…》的通知: the title inside the 《》": (
        "根据中共晋城市委组织部关于印发《晋引进人才生活补贴发放实施办法(试行)》的通知。",
        [("晋引进人才生活补贴发放实施办法(试行)", None)],
    ),
    "nested marks stay in the title": (
        "《关于印发〈职称评审管理实施细则〉的通知》(晋人社厅发〔2021〕28号)、"
        "《山西省人民政府办公厅关于印发《山西省支持科技创新的若干政策》的通知》",
        [("关于印发〈职称评审管理实施细则〉的通知", "晋人社厅发〔2021〕28号"),
         ("山西省人民政府办公厅关于印发《山西省支持科技创新的若干政策》的通知", None)],
    ),
    "two titles back to back": (
        "1.《国务院办公厅关于印发两个规定的通知》《山西省贯彻落实国办发[2008]114号文件的补充规定》",
        [("国务院办公厅关于印发两个规定的通知", None), ("山西省贯彻落实国办发[2008]114号文件的补充规定", None)],
    ),
    "enumeration 1. 2.": (
        "1.《A办法》(晋科发〔2021〕1号)2.《B办法》(晋科发〔2021〕2号)",
        [("A办法", "晋科发〔2021〕1号"), ("B办法", "晋科发〔2021〕2号")],
    ),
    "enumeration （1） and 1、": (
        "（1）《A办法》（晋科规〔2023〕1号）；2、《B条例》",
        [("A办法", "晋科规〔2023〕1号"), ("B条例", None)],
    ),
    "及其补充规定（number）": (
        "《山西省实验室建设与运行管理办法(试行)》(晋政办发〔2022〕40号)及其补充规定(晋政办发〔2023〕40号)、",
        [("山西省实验室建设与运行管理办法(试行)", "晋政办发〔2022〕40号"), (None, "晋政办发〔2023〕40号")],
    ),
    "issuer names before the number": (
        "根据中国科协、教育部〔2025〕4号文件《中国科协 教育部关于“中学生英才计划”工作管理办法（试行）的通知》精神。"
        "根据中国科协 教育部〔2023〕7号文件《关于推动广泛开展省级青少年高校科学营活动的通知》精神",
        [("中国科协 教育部关于“中学生英才计划”工作管理办法（试行）的通知", "中国科协、教育部〔2025〕4号"),
         ("关于推动广泛开展省级青少年高校科学营活动的通知", "中国科协教育部〔2023〕7号")],
    ),
    "number, 文件，then title": (
        "根据中国宋庆龄基金会、中国发明协会〔2025〕4号文件，《关于举办第二十届宋庆龄少年儿童发明奖的通知》，",
        [("关于举办第二十届宋庆龄少年儿童发明奖的通知", "中国宋庆龄基金会、中国发明协会〔2025〕4号")],
    ),
    "number then title": (
        "4.科协发普字〔2015〕20号《中国科学技术协会 中共中央宣传部 财政部关于科技馆免费开放的通知》",
        [("中国科学技术协会 中共中央宣传部 财政部关于科技馆免费开放的通知", "科协发普字〔2015〕20号")],
    ),
    "《…》的通知（number）": (
        "关于印发《各县(市、区)2025年度综合考核指标》的通知(晋办发【2025】5号);",
        [("各县(市、区)2025年度综合考核指标", "晋办发〔2025〕5号")],
    ),
    "plain name with a bracketed number has no title": (
        "3.山西省科学技术厅 关于开展科技创新券兑现工作的通知(晋科发[2025]11号)。",
        [(None, "晋科发〔2025〕11号")],
    ),
    "a standard number is no 发文字号": (
        "2.《科技馆展览教育服务规范》(GB/T 41131-2021)中“…”",
        [("科技馆展览教育服务规范", None)],
    ),
    "a 》 without 《 after a full stop is a title": (
        "《山西省十四五规划纲要》。国民经济和社会发展第十四个五年规划和二〇三五年远景目标》中明确提出",
        [("山西省十四五规划纲要", None), ("国民经济和社会发展第十四个五年规划和二〇三五年远景目标", None)],
    ),
    "《X》的补充协议》: one title that nests the one before": (
        "《甲乙共建研究院合作协议》、《甲乙共建研究院合作协议》的补充协议》。",
        [("甲乙共建研究院合作协议", None), ("〈甲乙共建研究院合作协议〉的补充协议", None)],
    ),
    "a 》 without 《 inside a sentence is garble": (
        "《关于做好职称评审工作的通知》要求,落实党组安排,加强我省科普专业队伍建设的意见》,明确",
        [("关于做好职称评审工作的通知", None)],
    ),
    "publications and aliases are no documents": (
        "《新科幻》编辑部等;开展《全民科学素质行动规划纲要》(简称《新纲要》)宣传,《新纲要》指出",
        [("全民科学素质行动规划纲要", None)],
    ),
    "a decree (令第N号) numbered without a year": (
        "《大同市科学技术奖励办法》（大同市人民政府令第118号）、《关于深化科技奖励制度改革的方案》（国办发〔2017〕55号）",
        [("大同市科学技术奖励办法", "大同市人民政府令第118号"),
         ("关于深化科技奖励制度改革的方案", "国办发〔2017〕55号")],
    ),
    "decrees of a ministry and of the 主席, one alone": (
        "《政府采购货物和服务招标投标管理办法》（财政部令第 87 号）；"
        "《中华人民共和国科学技术进步法》（中华人民共和国主席令第一〇三号）；依据科学技术部令第19号",
        [("政府采购货物和服务招标投标管理办法", "财政部令第87号"),
         ("中华人民共和国科学技术进步法", "中华人民共和国主席令第一〇三号"),
         (None, "科学技术部令第19号")],
    ),
    "a serial written with 第 after the year": (
        "《A办法》（晋政发〔2020〕第12号）",
        [("A办法", "晋政发〔2020〕12号")],
    ),
    "HTML tags and entities": (
        "<p>《国家统计局关于批准执行&lt;全国科普统计调查制度&gt;等7项统计调查制度的函》(国统制〔2025〕36号)</p>",
        [("国家统计局关于批准执行<全国科普统计调查制度>等7项统计调查制度的函", "国统制〔2025〕36号")],
    ),
}


@pytest.mark.parametrize("text, expected", FORMS.values(), ids=FORMS.keys())
def test_form(text, expected):
    assert cite(text) == expected


def test_each_document_once_per_field():
    text = ("1.《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号）…2.根据《全民科学素质行动规划纲要"
            "（2021—2035年）》，3.《中华人民共和国科学技术普及法》4.《中华人民共和国科学技术普及法》(国发[2021]9号)")
    assert cite(text) == [("全民科学素质行动规划纲要（2021—2035年）", "国发〔2021〕9号"),
                          ("中华人民共和国科学技术普及法", None)]


def test_one_number_under_two_titles_stays_two_citations():
    """A notice and the measures it issues share a 发文字号 but are named apart; the gold lists
    different titles separately and a later mention of either keeps its number."""
    text = ("《山西省人民政府办公厅关于印发强化市场主体倍增要素服务保障若干措施（试行）的通知》（晋政办发〔2022〕7号）、"
            "《关于强化市场主体倍增要素服务保障的若干措施（试行）》（晋政办发〔2022〕7号）、"
            "《关于强化市场主体倍增要素服务保障的若干措施（试行）》（晋政办发〔2022〕7号）")
    assert cite(text) == [
        ("山西省人民政府办公厅关于印发强化市场主体倍增要素服务保障若干措施（试行）的通知", "晋政办发〔2022〕7号"),
        ("关于强化市场主体倍增要素服务保障的若干措施（试行）", "晋政办发〔2022〕7号"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the notice's title cut short
        "《山西省人民政府办公厅关于印发强化市场主体倍增要素服务保障若干措施（试行）的通知》（晋政办发〔2022〕7号）、"
        "《山西省人民政府办公厅关于印发强化市场主体倍增要素服务保障若干措施（试行）》（晋政办发〔2022〕7号）",
        # the notice again, its 印发 left out, or its 〈〉 dropped
        "《山西省人民政府办公厅关于印发山西省支持科技创新若干政策的通知》（晋政办发〔2022〕7号）；"
        "《山西省支持科技创新若干政策的通知》（晋政办发〔2022〕7号）",
        "《关于印发〈山西省科技计划项目管理办法〉的通知》（晋政办发〔2022〕7号）、《山西省科技计划项目管理办法的通知》（晋政办发〔2022〕7号）",
    ],
)
def test_a_notice_named_again_in_other_words_under_its_number_is_one_citation(text):
    assert len(cite(text)) == 1


def test_a_later_mention_fills_in_the_number():
    assert cite("《A办法》要求…按照《A办法》(晋科发〔2020〕1号)") == [("A办法", "晋科发〔2020〕1号")]


def test_number_split_over_lines_keeps_both_lines():
    segments = [(10, "《忻州市深化市级财政科技计划（专项）管理改革的方案》（忻政发"), (11, ""), (12, "[2016]6号）")]
    (c,) = find_citations(segments)
    assert (c.doc_number, c.line, c.end_line, c.truncated) == ("忻政发〔2016〕6号", 10, 12, False)
    assert c.raw == "《忻州市深化市级财政科技计划（专项）管理改革的方案》（忻政发[2016]6号）"


def test_issuer_split_by_a_wrap_space():
    (c,) = find_citations([(1281, " 晋 驻村办（2022）14号山西省干部驻村工作领导小组办公室关于进一步")])
    assert (c.title, c.doc_number, c.raw) == (None, "晋驻村办〔2022〕14号", "晋 驻村办（2022）14号")


@pytest.mark.parametrize(
    "segments, expected",
    [
        ([(5, "《忻州市本级科研项目经费管理办法（试行）》（忻科发[2017]30")],
         ("忻州市本级科研项目经费管理办法（试行）", "忻科发〔2017〕30")),
        ([(5, "1.《中华人民共和国科普法》2.《山西省技术创新中心建设与"), (6, "运行管理")],
         ("山西省技术创新中心建设与运行管理", None)),
        ([(5, "技术开发的实施意见》（晋政发〔2014〕32号）")],
         ("技术开发的实施意见", "晋政发〔2014〕32号")),
    ],
    ids=["no 号", "no closing 》", "no opening 《 at the start of the field"],
)
def test_cut_off_citations_are_kept_as_truncated(segments, expected):
    last = [c for c in find_citations(segments) if c.truncated][-1]
    assert ((last.title, last.doc_number), last.truncated) == (expected, True)


def test_lines_and_relation():
    segments = [(7, "1.《A办法》"), (8, "2.《B"), (9, "条例》（晋政发〔2014〕32号）")]
    cits = find_citations(segments, relation="implementing_rule")
    assert [(c.title, c.line, c.end_line) for c in cits] == [("A办法", 7, 7), ("B条例", 8, 9)]
    assert {c.relation for c in cits} == {"implementing_rule"}
    assert all(isinstance(c, Citation) for c in cits)


ALPHABET = "《》〈〉<>（）()〔〕[]【】号第文件的通知，。、；晋科发国办 \n0123456789"


SEGMENTS = st.lists(st.tuples(st.integers(1, 10_000), st.text(alphabet=ALPHABET, max_size=40)),
                    max_size=5)


@given(SEGMENTS)
def test_never_raises_and_lines_come_from_segments(segments):
    lines = {line for line, _ in segments}
    for c in find_citations(segments):
        assert c.line in lines and c.end_line in lines
        assert c.title or c.doc_number


# --- the gold files -----------------------------------------------------------------------

def _shared() -> Path:
    here = Path(__file__).resolve().parents[2] / "shared"
    return Path(os.environ.get("BUDGETKG_SHARED", here if here.exists() else "/work/shared"))


def _score_module():
    path = _shared() / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("budgetkg_shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def legal_basis_segments(lines: list[str], start: int) -> list[tuple[int, str]]:
    """The 立项依据 field of the project whose 项目名称 row is `start` (1-based).

    The first row from `start` whose first filled cell is 立项依据; its text is the other
    filled cells of that row, or the next row when the label stands alone.
    """
    for i in range(start - 1, len(lines)):
        cells = [c for c in lines[i].split("\t") if c.strip()]
        if cells and cells[0].strip() == "立项依据":
            if len(cells) > 1:
                return [(i + 1, c) for c in cells[1:]]
            return [(i + 2, lines[i + 1])] if i + 1 < len(lines) else []
    return []


def _facts(score, key, citations) -> Counter:
    """Legal-basis facts the way score.py counts them."""
    out = Counter()
    for c in citations:
        if isinstance(c, Citation):
            number, title = c.doc_number, c.title
        else:
            number, title = c.get("doc_number"), c.get("title")
        if number:
            out[key + ("no", score.docno(number))] += 1
        if title:
            out[key + ("title", score.text(title).strip("《》"))] += 1
    return out


def test_gold_legal_bases(capsys):
    gold_dir = _shared() / "gold"
    if not gold_dir.is_dir():
        pytest.skip(f"no gold files at {gold_dir}")
    score = _score_module()
    expected, got = Counter(), Counter()
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        seed = _shared() / "seeds" / Path(gold.get("seed") or gold["source"]).name
        lines = seed.read_text(encoding="utf-8").split("\n")
        for project in gold["performance_projects"]:
            key = (gold_file.stem, project["name"], project["line"])
            segments = legal_basis_segments(lines, project["line"])
            expected += _facts(score, key, project.get("legal_bases") or [])
            got += _facts(score, key, find_citations(segments))
    tp, _, _, p, r, f1 = score.prf(expected, got)
    report = [f"legal_bases on gold: tp={tp} P={p:.3f} R={r:.3f} F1={f1:.3f}"]
    report += [f"  missed {k}" for k in sorted(expected - got)]
    report += [f"  extra  {k}" for k in sorted(got - expected)]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert f1 >= 0.95, "\n".join(report)


def test_a_title_keeps_no_gap_word_set_between_a_figure_and_chinese_text():
    """Word and WPS set figures apart from Chinese text (2035 年), and PDF converters print the
    gap as a space; a space between Chinese words (joint issuers) or in ISO 9001 stays."""
    found = find_citations([(3, "依据《规划和 2035 年远景目标纲要》和《中国科协 教育部 ISO 9001 认证办法》")])
    assert [c.title for c in found] == ["规划和2035年远景目标纲要", "中国科协 教育部 ISO 9001认证办法"]

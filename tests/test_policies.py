"""Policy entities: identity, issuer, level and type, resolution across the seeds, the command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetkg.extract.citations import doc_type, field_segments, match_key
from budgetkg.extract.docnumber import parse_doc_number
from budgetkg.extract.model import Citation, PerformanceProject, Row
from budgetkg.extract.pipeline import extract_file
from budgetkg.extract.policies import (
    Mention,
    NoIdentity,
    policy_key,
    policy_to_dict,
    CitationTally,
    Spelling,
    mentions_of,
    resolve,
    resolve_policies,
    resolve_spellings,
)
from conftest import GOLD, SEEDS, gold_records, seed_paths

BIN = Path(sys.executable).with_name("budgetkg")
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not beside the checkout")


def mention(title=None, number=None, *, source="a.txt", project="P", line=10, funds=100,
            relation="legal_basis", truncated=False) -> Mention:
    return Mention(source, project, line, line + 1, line + 1, relation, funds, title, number,
                   f"《{title}》{number or ''}", truncated)


def by_key(policies):
    return {p.key: p for p in policies}


def _spellings(records):
    return [Spelling.of(m) for r in records for m in mentions_of(r)]


def test_a_tally_of_the_citations_resolves_the_policies_resolve_finds_from_every_mention(seed_records):
    mentions = [m for r in seed_records.values() for m in mentions_of(r)]
    tally = CitationTally()
    for source, r in seed_records.items():
        tally.put(source, _spellings([r]))
    from_tally = [p for p, _ in resolve_spellings(tally.counts)]
    assert from_tally == sorted((replace(p, cited_by=()) for p in resolve(mentions)), key=lambda p: p.key)
    assert len(from_tally) > 20 and any(p.cited_as for p in from_tally)


def test_a_tally_grows_with_new_spellings_not_with_documents_that_repeat_them(seed_records):
    records = list(seed_records.values())
    tally = CitationTally()
    for n in range(200):
        tally.put(f"doc{n}", _spellings(records))
    assert set(tally.counts) == set(_spellings(records))
    assert sum(tally.counts.values()) == 200 * len(_spellings(records))
    assert len(tally._spellings) == len(set(_spellings(records)))


def test_a_document_put_again_replaces_its_citations_in_the_tally(seed_records):
    first, second = list(seed_records.values())[:2]
    tally = CitationTally()
    tally.put("doc", _spellings([first]))
    tally.put("other", _spellings([second]))
    tally.put("doc", _spellings([second]))
    assert tally.counts == Counter(_spellings([second]) * 2)
    tally.remove("doc")
    tally.remove("other")
    assert not tally.counts


def test_the_policy_read_from_citations_does_not_depend_on_their_order(seed_records):
    mentions = [m for r in seed_records.values() for m in mentions_of(r)]
    forward, backward = resolve(mentions), resolve(reversed(mentions))
    strip = lambda ps: {p.key: replace(p, cited_by=()) for p in ps}  # noqa: E731
    assert strip(forward) == strip(backward)


# --- identity -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "citation, key",
    [
        (Citation("A办法", "晋政办发〔2021〕42号", "", 1, 1), "晋政办发〔2021〕42号"),
        ({"title": None, "doc_number": "晋政办发[2021]42号"}, "晋政办发〔2021〕42号"),
        ({"title": "X", "doc_number": "中国科协 教育部〔2023〕7号"}, "中国科协、教育部〔2023〕7号"),
        ({"title": "《中华人民共和国科普法》", "doc_number": None}, "中华人民共和国科普法"),
        ({"title": "国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知"}, "全民科学素质行动规划纲要20212035年"),
    ],
    ids=["number", "bracket variant", "joint names run together", "title alone", "title in a notice"],
)
def test_policy_key_is_the_number_else_the_title_key(citation, key):
    assert policy_key(citation) == key


def test_a_citation_without_number_or_title_has_no_identity():
    with pytest.raises(NoIdentity):
        policy_key({"title": None, "doc_number": None})


OPENS, CLOSES = "〔[【(（［", "〕]】)）］"


@given(st.sampled_from(["晋政办发", "国科发农", "并财教", "中办、国办发"]), st.integers(1990, 2030),
       st.integers(1, 999), st.integers(0, len(OPENS) - 1), st.sampled_from(["", " ", "\n"]))
def test_every_spelling_of_a_number_is_one_key(code, year, serial, bracket, space):
    written = f"{code}{OPENS[bracket]}{space}{year}{space}{CLOSES[bracket]}{space}{serial}号"
    assert policy_key({"doc_number": written}) == f"{code}〔{year}〕{serial}号"


@given(st.text(min_size=1, max_size=30))
def test_policy_key_is_deterministic_and_never_raises_on_a_title(title):
    try:
        assert policy_key({"title": title}) == policy_key({"title": title})
    except NoIdentity:
        assert not "".join(title.split()) or match_key(title) is None


SAME_TITLE = [
    ("全民科学素质行动规划纲要（2021—2035年）", "全民科学素质行动规划纲要(2021-2035年)"),
    ("《山西省科技计划项目管理办法》", "山西省科技计划项目管理办法"),
    ("国务院关于印发全民科学素质行动规划纲要(2021—2035年)的通知", "全民科学素质行动规划纲要（2021—2035年）"),
    ("关于印发〈职称评审管理实施细则〉的通知", "职称评审管理实施细则"),
    ("中共中央办公厅印发关于加强社会组织党的建设工作的意见(试行)的通知", "关于加强社会组织党的建设工作的意见（试行）"),
    ("晋引进人才发放实施办法(试行)的通知", "晋引进人才发放实施办法（试行）"),
    ("山西省人民政府加入联合基 金协议书", "山西省人民政府加入联合基金协议书"),
]


@pytest.mark.parametrize("a, b", SAME_TITLE)
def test_spellings_of_one_title_share_a_match_key(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(
    "a, b",
    [("中华人民共和国科普法", "中华人民共和国科学技术普及法"),
     ("关于开展2025年度全国科普统计调查工作的通知", "2025年度全国科普统计调查工作"),
     ("省科技创新券实施管理办法", "山西省科技创新券实施管理办法")],
    ids=["an abbreviation is another name", "a notice that carries nothing stays a notice", "no words added"],
)
def test_different_titles_stay_different(a, b):
    assert match_key(a) != match_key(b)


@pytest.mark.parametrize(
    "title, kind",
    [("中华人民共和国科普法", "法"), ("山西省科技重大专项管理办法", "办法"), ("国家自然科学基金条例", "条例"),
     ("关于加快建设新型研发机构的实施意见", "意见"), ("关于开展2025年青少年科学调查体验活动的通知", "通知"),
     ("“十四五”国家科学技术普及规划", "规划"), ("晋城市农业科技特派员工作方案(试行)", "方案"),
     ("忻州市科技创新券实施细则（试行）", "细则"), ("山西省人民政府关于同意9家转制科研院所转制改革方案的批复", "批复"),
     ("全民科学素质行动规划纲要（2021—2035年）", "纲要"), ("国务院关于印发全民科学素质行动规划纲要的通知", "纲要"),
     ("火炬统计调查工作", None), ("", None)],
)
def test_document_type_from_how_the_title_ends(title, kind):
    assert doc_type(title) == kind


# --- resolution -----------------------------------------------------------------------------

def test_one_policy_per_number_whatever_the_brackets_with_every_title_as_an_alias():
    policies = resolve([mention("A办法", "晋科发[2020]1号", source="x.txt"),
                        mention("关于印发《A办法》的通知", "晋科发【2020】1号", source="y.txt")])
    (p,) = policies
    assert (p.key, p.number, p.year, p.issuer) == ("晋科发〔2020〕1号", "晋科发〔2020〕1号", 2020, "山西省科学技术厅")
    assert p.aliases == ("A办法", "关于印发《A办法》的通知")
    assert {m.source for m in p.cited_by} == {"x.txt", "y.txt"}


def test_a_title_only_citation_joins_the_numbered_document_of_that_title():
    policies = by_key(resolve([mention("A办法", "晋科发〔2020〕1号"), mention("《A办法》", project="Q", line=40)]))
    assert list(policies) == ["晋科发〔2020〕1号"]
    assert [m.project for m in policies["晋科发〔2020〕1号"].cited_by] == ["P", "Q"]


def test_a_title_matching_two_numbers_joins_neither_and_says_so():
    policies = by_key(resolve([mention("A制度", "晋科发〔2020〕1号"), mention("A制度", "晋财教〔2021〕7号", line=50),
                               mention("A制度", line=90)]))
    lone = policies[match_key("A制度")]
    assert lone.number is None
    assert {(n.key, n.reason) for n in lone.near_duplicates} == {
        ("晋科发〔2020〕1号", "title matches several numbered documents"),
        ("晋财教〔2021〕7号", "title matches several numbered documents")}


@pytest.mark.parametrize(
    "a, b, reason",
    [(("A规定", "晋人字〔2002〕10号"), ("A规定", "晋人工字〔2002〕10号"),
      "same year and serial; issuer code differs by one character"),
     ((None, "晋政办发〔2017〕59号"), ("B办法", "晋政办发〔2017〕79号"),
      "same issuer code and year; serial differs by one digit"),
     ((None, "晋市办〔2021〕24号"), (None, "晋市办字〔2021〕24号"),
      "same year and serial; issuer code differs by one character")],
    ids=["code differs by one character", "serial differs by one digit", "neither has a title"],
)
def test_near_duplicate_numbers_are_reported_not_merged(a, b, reason):
    policies = by_key(resolve([mention(*a), mention(*b, line=50)]))
    assert len(policies) == 2
    first = policies[parse_doc_number(a[1]).normalized]
    assert (parse_doc_number(b[1]).normalized, reason) in {(n.key, n.reason) for n in first.near_duplicates}


def test_numbers_one_digit_apart_with_different_titles_are_different_documents():
    policies = resolve([mention("A办法", "晋科规〔2023〕1号"), mention("B办法", "晋科规〔2023〕2号")])
    assert [p.near_duplicates for p in policies] == [(), ()]


def test_a_number_cut_off_by_the_page_joins_the_whole_number_it_begins():
    policies = resolve([mention("A办法（试行）", "忻科发〔2017〕30", truncated=True), mention("A办法（试行）", "忻科发〔2017〕30号")])
    assert [p.key for p in policies] == ["忻科发〔2017〕30号"]
    alone = resolve([mention("A办法", "忻科发〔2017〕30", truncated=True)])
    assert [(p.key, p.truncated) for p in alone] == [("忻科发〔2017〕30", True)]


def test_annual_funds_count_each_citing_project_once():
    (p,) = resolve([mention("A办法", "晋科发〔2020〕1号", funds=100),
                    mention("A办法", "晋科发〔2020〕1号", funds=100, relation="implementing_rule"),
                    mention("A办法", "晋科发〔2020〕1号", project="Q", line=40, funds=None),
                    mention("A办法", "晋科发〔2020〕1号", source="b.txt", funds=5)])
    assert p.annual_funds_yuan() == 105
    assert p.annual_funds_yuan("implementing_rule") == 100
    assert len(p.projects) == 3


@pytest.mark.parametrize(
    "number, title, issuer, level, level_from",
    [("晋政办发〔2021〕42号", "A办法", "山西省人民政府办公厅", "provincial", "issuer"),
     ("中办、国办发〔2022〕53号", "A意见", "中共中央办公厅、国务院办公厅", "national", "issuer"),
     ("大同市人民政府令第118号", "A办法", "大同市人民政府", "municipal", "issuer_name"),
     ("晋未知字〔2020〕3号", "晋城市A办法", None, "municipal", "title"),
     ("晋未知字〔2020〕3号", "A办法", None, None, None),
     (None, "中华人民共和国科普法", None, "national", "title"),
     (None, "山西省财政厅关于印发<A办法>的通知", None, "provincial", "title"),
     (None, "边远贫困地区人才支持计划实施方案", None, None, None)],
    ids=["known code", "joint codes", "decree", "unknown code, level from title", "unknown stays unknown",
         "law", "issuer named in the title", "no place name"],
)
def test_issuer_and_level_are_read_never_guessed(number, title, issuer, level, level_from):
    (p,) = resolve([mention(title, number)])
    assert (p.issuer, p.level, p.level_from) == (issuer, level, level_from)
    if number and issuer is None:
        assert p.issuer_code == parse_doc_number(number).issuer_code  # the code is kept


def test_policy_json_has_the_fields_the_issue_names():
    (p,) = resolve([mention("A办法", "晋科发〔2020〕1号")])
    out = policy_to_dict(p)
    assert {"number", "title", "aliases", "issuer_code", "issuer", "level", "type", "year", "cited_by"} <= set(out)
    assert {"source", "project", "line", "relation", "annual_funds_yuan"} <= set(out["cited_by"][0])
    json.dumps(out, ensure_ascii=False)


# --- other text fields ----------------------------------------------------------------------

def test_each_cell_of_a_wrapped_field_keeps_its_own_line():
    rows = (Row(30, 30, ("保证项目实施的制度、措施",), "保证项目实施的制度、措施"),
            Row(31, 31, ("《A办法》（晋科发",), "《A办法》（晋科发"),
            Row(33, 33, ("[2020]1号）",), "[2020]1号）"))
    project = PerformanceProject("P", 1, 40, texts={"measures": "《A办法》（晋科发\n[2020]1号）"},
                                 text_lines={"measures": (31, 33)})
    assert field_segments(project, "measures", rows) == [(31, "《A办法》（晋科发"), (33, "[2020]1号）")]


def test_other_fields_give_implementing_rules_and_mentions_apart_from_legal_bases(seed_records):
    records = list(seed_records.values())
    relations = Counter(c["relation"] for r in records for p in r["performance_projects"]
                        for c in p["other_citations"])
    assert set(relations) == {"implementing_rule", "mentioned"}
    assert all(c["relation"] == "legal_basis" for r in records for p in r["performance_projects"]
               for c in p["legal_bases"])


def test_a_citation_wrapped_over_pdftotext_lines_spans_them(seed_records):
    path = next(p for p in seed_paths() if p.name.startswith("004_"))
    lines = path.read_text("utf-8").split("\n")
    opening = next(i + 1 for i, ln in enumerate(lines) if "《忻州市科技计划（专项）及七个配套" in ln)
    closing = next(i + 1 for i, ln in enumerate(lines) if i + 1 > opening and "194号" in ln)
    cited = [c for p in seed_records[path.name]["performance_projects"] for c in p["other_citations"]
             if c["doc_number"] == "忻政办发〔2016〕194号"]
    assert [(c["line"], c["end_line"], c["relation"]) for c in cited] == [(opening, closing, "implementing_rule")]


# --- the five seeds -------------------------------------------------------------------------

_WRITTEN_NUMBER = re.compile(r"(?P<code>[\u4e00-\u9fff]{2,8})\s*[\[〔【(（［]\s*(?P<year>20\d\d)\s*[\]〕】)）］]\s*(?P<serial>\d+)\s*号")


def _raw_spellings() -> dict[tuple[str, str, str], set[str]]:
    """Every 发文字号 written in the seed files, read by a plain pattern independent of the
    extractor: (code, year, serial) → the spellings seen."""
    out: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for path in seed_paths():
        for m in _WRITTEN_NUMBER.finditer(unicodedata.normalize("NFKC", path.read_text("utf-8"))):
            out[(m["code"], m["year"], m["serial"])].add(m[0])
    return out


def test_every_spelling_of_a_number_in_the_seeds_is_one_entity(seed_records):
    keys = Counter(p.key for p in resolve_policies(seed_records.values()))
    written = {k: s for k, s in _raw_spellings().items() if len(s) > 1}
    assert written, "the seeds spell some numbers in several ways"
    for (code, year, serial), spellings in written.items():
        matches = [k for k in keys if k.endswith(f"{code}〔{year}〕{serial}号")]
        assert len(matches) == 1 and keys[matches[0]] == 1, (spellings, matches)


def test_a_number_cited_by_many_projects_is_one_entity_citing_them_all(seed_records):
    """晋政办发〔2021〕42号: the projects whose 立项依据 row prints it, or prints without a
    number the title it is most often printed with, read from the file."""
    path = next(p for p in seed_paths() if p.name.startswith("000_"))
    lines = path.read_text("utf-8").split("\n")
    number = re.compile(r"《([^《》]+)》[(（]晋政办发\s*[\[〔【(（]2021[\]〕】)）]\s*42\s*号")
    basis = [(i, ln) for i, ln in enumerate(lines) if ln.startswith("立项依据")]
    title = Counter(m[1] for _, ln in basis for m in number.finditer(ln)).most_common(1)[0][0]
    expected = set()
    for i, line in basis:
        if number.search(line) or f"《{title}》" in line:
            start = max(j for j in range(i) if lines[j].startswith("项目名称"))
            expected.add(start + 1)
    policy = by_key(resolve_policies(seed_records.values()))["晋政办发〔2021〕42号"]
    cited = {m.project_line for m in policy.cited_by if m.relation == "legal_basis"}
    assert len(expected) > 5 and cited == expected
    assert policy.issuer == "山西省人民政府办公厅" and policy.type == "办法" and policy.year == 2021


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold is not beside the checkout")
def test_policies_cite_the_projects_the_gold_says(seed_records):
    """Per normalized number in the gold, the projects citing it as a legal basis."""
    expected, got = set(), set()
    for gold in gold_records().values():
        source = Path(gold.get("source") or gold["seed"]).name
        for project in gold["performance_projects"]:
            for c in project.get("legal_bases") or []:
                if c.get("doc_number"):
                    expected.add((policy_key(c), source, project["line"]))
        for p in resolve_policies([seed_records[source]], ["legal_basis"]):
            got |= {(p.key, m.source, m.project_line) for m in p.cited_by if m.number}
    recall = len(expected & got) / len(expected)
    assert got <= expected, sorted(got - expected)  # no citation filed under a wrong number
    assert recall >= 0.97, sorted(expected - got)


@needs_seeds
def test_records_and_their_json_resolve_alike(seed_records):
    path = next(p for p in seed_paths() if p.name.startswith("002_"))
    from_record = resolve_policies([extract_file(path)])
    from_json = resolve_policies([seed_records[path.name]])
    assert [policy_to_dict(p) for p in from_record] == [policy_to_dict(p) for p in from_json]


def _numbered(seed_records):
    """(policy, citation) for each citation that prints a number itself."""
    return [(p, m) for p in resolve_policies(seed_records.values()) for m in p.cited_by if m.number]


@pytest.mark.parametrize("relations", [("legal_basis",), ("legal_basis", "implementing_rule", "mentioned")],
                         ids=["legal bases", "all citations"])
def test_issuer_resolved_for_nine_in_ten_numbered_citations(seed_records, relations, capsys):
    cited = [(p, m) for p, m in _numbered(seed_records) if m.relation in relations]
    unresolved = Counter(p.issuer_code for p, _ in cited if p.issuer is None)
    share = 1 - sum(unresolved.values()) / len(cited)
    with capsys.disabled():
        print(f"\nissuer resolved for {share:.1%} of {len(cited)} numbered citations ({'/'.join(relations)});"
              f" unresolved codes: {dict(unresolved.most_common())}")
    assert share >= 0.90


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold is not beside the checkout")
def test_legal_bases_meet_the_issue_threshold(scorer, seed_records):
    expected, got = Counter(), Counter()
    for gold in gold_records().values():
        record = seed_records[Path(gold.get("source") or gold["seed"]).name]
        expected += Counter({k: v for k, v in scorer.facts(gold).items() if k[0] == "legal_bases"})
        got += Counter({k: v for k, v in scorer.facts(record).items() if k[0] == "legal_bases"})
    assert scorer.prf(expected, got)[-1] >= 0.97


# --- the command ----------------------------------------------------------------------------

def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], check=False, capture_output=True, text=True, timeout=120)


def test_policies_command_is_listed_and_documented():
    assert "policies" in _run("--help").stdout
    helptext = _run("policies", "--help").stdout
    assert "--json" in helptext and "--format" in helptext and "--relation" in helptext


@needs_seeds
def test_policies_json_lists_entities_and_an_unreadable_file_exits_1(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    seed = next(p for p in seed_paths() if p.name.startswith("004_"))
    out = tmp_path / "policies.json"
    result = _run("policies", str(bad), str(seed), "--json", str(out))
    assert result.returncode == 1 and "broken.txt" in result.stderr
    policies = json.loads(out.read_text("utf-8"))
    numbers = {p["number"] for p in policies}
    assert {"忻政发〔2016〕6号", "晋驻村办〔2022〕14号"} <= numbers
    assert all(set(p) >= {"number", "title", "aliases", "issuer", "cited_by"} for p in policies)


@needs_seeds
def test_policies_reads_record_json_and_prints_a_table(tmp_path):
    seed = next(p for p in seed_paths() if p.name.startswith("002_"))
    records = tmp_path / "records.json"
    assert _run("extract", str(seed), "--json", str(records), "-q").returncode == 0
    result = _run("policies", str(records), "-q", "--relation", "legal_basis")
    assert result.returncode == 0
    header, *rows = result.stdout.splitlines()
    assert header.split()[:2] == ["number", "title"]
    assert any(r.startswith("晋市政办〔2025〕29号") for r in rows)
    assert "near duplicates" in result.stdout and "晋市办字〔2021〕24号" in result.stdout


def test_policies_rejects_json_that_is_no_records(tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}', "utf-8")
    result = _run("policies", str(other), "--format", "json")
    assert result.returncode == 1 and "budgetkg extract" in result.stderr
    assert json.loads(result.stdout) == []

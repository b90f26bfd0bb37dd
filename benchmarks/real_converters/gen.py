#!/usr/bin/env python3
"""Render gold seeds as government-style HTML (title page, 概况 text, 预算支出总表, 项目支出绩效目标表
with rowspans) -> src/<stem>.html, and write the matching expected record gold/<stem>.json.
The PDF is made by LibreOffice (run.py --convert)."""
import html
import json
import os
import re
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("REAL_CONVERTERS_WORK", REPO / "out" / "real_converters"))
HERE = WORK
SHARED = REPO.parent / "shared"
SEEDS = ["001_8417803c525f72fe", "002_1b38d3c3a02d2878"]
LABELS = ["项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划", "总体目标"]


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def paras(s):
    s = re.sub(r"</?p>", "\n", s)
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    parts = [p.strip() for p in re.split(r"\n|\t{2,}", s) if p.strip()]
    return parts


def seed_texts(lines, start, end):
    out = {}
    for ln in lines[start:end]:
        cells = [c for c in ln.split("\t")]
        if not cells:
            continue
        lab = cells[0].strip()
        for L in LABELS:
            if lab == L and L not in out:
                rest = "\t".join(cells[1:]).strip()
                out[L] = rest
    return out


def e(s):
    return html.escape(str(s)) if s is not None else ""


def yuan(v):
    if v is None:
        return ""
    return f"{int(v):,}"


def kpi_rows(kpis, with_empty):
    """group by level1 preserving order -> {level1: [(level2, level3, value)]}"""
    groups = {}
    for k in kpis:
        groups.setdefault(k["level1"], []).append((k["level2"], k["level3"] or "", k["value"] or ""))
    if with_empty and "效益指标" in groups:
        have = {r[0] for r in groups["效益指标"]}
        for l2 in ("经济效益", "社会效益", "生态效益", "可持续影响"):
            if l2 not in have:
                groups["效益指标"].append((l2, "", ""))
        order = {"经济效益": 0, "社会效益": 1, "生态效益": 2, "可持续影响": 3}
        groups["效益指标"].sort(key=lambda r: order.get(r[0], 9))
    return groups


def side_cells(rows, n):
    """rows: list of (l2,l3,v) for one level1 group on one side, padded to n rows.
    Returns per-row list of cell html (l2 cell only where it starts, with rowspan)."""
    out = [[] for _ in range(n)]
    i = 0
    padded = rows + [None] * (n - len(rows))
    while i < n:
        r = padded[i]
        if r is None:
            # blank filler until end
            span = n - i
            out[i].append(f'<td rowspan="{span}"></td>' if span > 1 else "<td></td>")
            for j in range(i, n):
                out[j] += ["<td></td>", "<td></td>"]
            break
        j = i
        while j + 1 < n and padded[j + 1] is not None and padded[j + 1][0] == r[0]:
            j += 1
        span = j - i + 1
        out[i].append(f'<td rowspan="{span}">{e(r[0])}</td>' if span > 1 else f"<td>{e(r[0])}</td>")
        for k in range(i, j + 1):
            out[k] += [f"<td>{e(padded[k][1])}</td>", f"<td>{e(padded[k][2])}</td>"]
        i = j + 1
    return out


def project_table(p, texts, title):
    two = bool(p["annual_kpis"])
    ncol = 8 if two else 5
    src = p.get("annual_funds_by_source_yuan") or {}
    tot = p.get("total_funds_yuan")
    ann = p.get("annual_funds_yuan")
    big = max(src, key=lambda k: src.get(k) or 0) if src else "provincial"
    psrc = {k: (tot if k == big else 0) for k in ("central", "provincial", "city_county", "self_raised")}
    if tot == ann:
        psrc = {k: src.get(k) for k in ("central", "provincial", "city_county", "self_raised")}
    h = [f'<p class="t">{e(title)}</p><p class="c">（2026年度）</p>',
         '<table border="1" cellspacing="0" cellpadding="3">']
    rest = ncol - 1
    lc = rest // 2
    rc = rest - lc - 1
    h.append(f'<tr><td>项目名称</td><td colspan="{rest}">{e(p["name"])}</td></tr>')
    h.append(f'<tr><td>主管部门及代码</td><td colspan="{lc}">{e(p["supervising_code"])}-{e(p["supervising_dept"])}</td>'
             f'<td>实施单位</td><td colspan="{rc}">{e(p["implementing_unit"])}</td></tr>')
    h.append(f'<tr><td>项目属性</td><td colspan="{lc}">{e(p["attribute"])}</td>'
             f'<td>项目期</td><td colspan="{rc}">{e(p["period"])}</td></tr>')
    labs = [("实施期资金总额：", "年度资金总额：", tot, ann)]
    for k, lab in (("central", "其中：中央财政资金"), ("provincial", "省级财政资金"),
                   ("city_county", "市县（区）财政资金"), ("self_raised", "单位自筹"), ("other", "其他资金")):
        labs.append((lab, lab, psrc.get(k), src.get(k)))
    a = lc - 1
    for i, (l1, l2, v1, v2) in enumerate(labs):
        first = f'<td rowspan="{len(labs)}">项目资金<br>（元）</td>' if i == 0 else ""
        h.append(f'<tr>{first}<td colspan="{max(a,1)}">{e(l1)}</td><td>{yuan(v1)}</td>'
                 f'<td colspan="{max(rc-1,1)}">{e(l2)}</td><td>{yuan(v2)}</td></tr>')
    for L in LABELS[:-1]:
        t = texts.get(L)
        body = "<br>".join(e(x) for x in paras(t)) if t else ""
        h.append(f'<tr><td>{e(L)}</td><td colspan="{rest}">{body}</td></tr>')
    goal = paras(texts.get("总体目标", ""))
    g1 = goal[0] if goal else ""
    g2 = goal[1] if len(goal) > 1 else g1
    h.append(f'<tr><td rowspan="2">总体目标</td><td colspan="{lc}">实施期目标</td><td colspan="{rest-lc}">年度目标</td></tr>')
    h.append(f'<tr><td colspan="{lc}">{e(g1)}</td><td colspan="{rest-lc}">{e(g2)}</td></tr>')
    # indicators
    pg = kpi_rows(p["period_kpis"], True)
    ag = kpi_rows(p["annual_kpis"], True) if two else {}
    l1s = list(pg) + [x for x in ag if x not in pg]
    body = []
    for l1 in l1s:
        pr, ar = pg.get(l1, []), ag.get(l1, [])
        n = max(len(pr), len(ar), 1)
        pc = side_cells(pr, n)
        ac = side_cells(ar, n) if two else [[] for _ in range(n)]
        for i in range(n):
            c0 = (f'<td rowspan="{n}">{e(l1)}</td>' if n > 1 else f"<td>{e(l1)}</td>") if i == 0 else ""
            body.append([c0 + "".join(pc[i]) + "".join(ac[i])])
    hdr = "<td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td>"
    if two:
        hdr += "<td>二级指标</td><td>三级指标</td><td>指标值</td>"
    n = len(body) + 1
    h.append(f'<tr><td rowspan="{n}">绩效指标</td>{hdr}</tr>')
    for b in body:
        h.append(f"<tr>{b[0]}</tr>")
    h.append("</table>")
    return "\n".join(h)


def functions_table(d):
    rows = ['<p class="t">表三 预算支出总表</p><p class="r">单位：万元</p>',
            '<table border="1" cellspacing="0" cellpadding="3">',
            "<tr><td>科目编码</td><td>科目名称</td><td>合计</td><td>基本支出</td><td>项目支出</td></tr>"]
    tb = sum((r["basic"] or 0) for r in d["expenditure_by_function"] if len(r["code"]) == 3)
    tp = sum((r["project"] or 0) for r in d["expenditure_by_function"] if len(r["code"]) == 3)
    rows.append(f"<tr><td></td><td>合计</td><td>{tb+tp:.2f}</td><td>{tb:.2f}</td><td>{tp:.2f}</td></tr>")
    for r in d["expenditure_by_function"]:
        f = lambda v: "" if v in (None, 0) else f"{v:.2f}"
        rows.append(f"<tr><td>{e(r['code'])}</td><td>{e(r['name'])}</td><td>{f(r['total'])}</td>"
                    f"<td>{f(r['basic'])}</td><td>{f(r['project'])}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def overview(lines):
    """first ~25 prose lines of 第一部分 概况 after the table of contents"""
    out, on = [], False
    for ln in lines:
        s = re.sub(r"<[^>]+>", "", ln).strip().lstrip("#").strip()
        if not on and re.match(r"^一、\s*(本)?部门职责", s) and "..." not in s and "…" not in s:
            on = True
        if on:
            if s.startswith("第二部分") or len(out) > 25:
                break
            if s and "\t" not in s:
                out.append(s)
    return out


CSS = """<style>
body { font-family: 'Noto Serif CJK SC', serif; font-size: 10.5pt; }
p.t { text-align: center; font-size: 15pt; font-weight: bold; }
p.c { text-align: center; } p.r { text-align: right; }
table { border-collapse: collapse; width: 100%; }
td { border: 1px solid #000; font-size: 9pt; vertical-align: middle; }
</style>"""


def main():
    (HERE / "src").mkdir(parents=True, exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for stem in SEEDS:
        d = json.loads((SHARED / "gold" / f"{stem}.json").read_text())
        lines = (SHARED / "seeds" / f"{stem}.txt").read_text().split("\n")
        dep = d["department"]
        parts = [f"<html><head><meta charset='utf-8'><title>{e(dep['name'])}</title>{CSS}</head><body>",
                 f'<p class="t">{e(dep["name"])}</p><p class="t">{dep["year"]}年度部门预算公开</p>',
                 '<p style="page-break-before: always" class="t">第一部分 概况</p>']
        parts += [f"<p>{e(x)}</p>" for x in overview(lines)]
        parts.append('<p style="page-break-before: always"></p>')
        parts.append(functions_table(d))
        projs = d["performance_projects"]
        title = "山西省省级预算部门（单位）项目支出绩效目标表" if dep["level"] == "province" else \
            "晋城市市级预算部门（单位）项目支出绩效目标表"
        fallback = 0
        for i, p in enumerate(projs):
            start = p["line"] - 1
            end = projs[i + 1]["line"] - 1 if i + 1 < len(projs) else len(lines)
            texts = seed_texts(lines, start, end)
            lb = norm(re.sub(r"<[^>]+>", "", texts.get("立项依据", "")))
            if not all(norm(x["raw"]) in lb or norm(x["title"]) in lb for x in p["legal_bases"]):
                texts["立项依据"] = "、".join(x["raw"] for x in p["legal_bases"])
                fallback += 1
            parts.append('<p style="page-break-before: always"></p>')
            parts.append(project_table(p, texts, title))
        parts.append("</body></html>")
        (HERE / "src" / f"{stem}.html").write_text("\n".join(parts), encoding="utf-8")
        exp = {"source": stem, "department": dep, "expenditure_by_function": d["expenditure_by_function"],
               "performance_projects": [{k: v for k, v in p.items() if k != "line"} for p in projs]}
        (HERE / "gold" / f"{stem}.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1))
        print(stem, len(projs), "projects;", fallback, "legal-basis texts from gold raw")


if __name__ == "__main__":
    main()

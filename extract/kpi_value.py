"""Performance-indicator target values (指标值) as comparable records.

Disclosures print a target in many hands: ≥90%, 不低于95%, 90%以上, 6～20项, ≤7.5万元,
2万/项, 2026年12月底前, 持续提升. The graph can only compare targets across projects once
each is folded to a comparator, a number, a unit and a scale, or to a date. `raw` always
keeps the text as printed, so nothing is lost when a reading is coarse or fails.

Decisions (each one is pinned by a test in tests/test_kpi_value.py):

* kind: numeric (a number or range), deadline (a date), qualitative (no number and no
  date), empty (blank, or only a placeholder such as - or /), unparsed (digits that could
  not be placed; flagged=True, and whatever could be read is still filled in).
* Comparator words follow the statutory reading of 以上/以下/以内 (民法典 第1259条: they
  include the number), so 以上/及以上 → ≥ and 以下/及以下/以内/内 → ≤, while 超过/高于/大于/
  多于 → > and 低于/小于/少于/不足/不满/未达到 → <. 不低于/不少于/不小于/至少/达到 → ≥;
  不高于/不超过/不多于/不大于/至多/控制在 → ≤; 约/大约/左右/上下 → "≈". A value printed with
  no comparator gets None, not "=": the disclosure did not say. A word that repeats the
  symbol (≥90%以上) counts once; a contradicting one (≥90%以下) makes the value unparsed.
* Verbs before a number (提高90%, 增长5%) state a change, not a bound: comparator None.
* unit is the text after the number (NFKC-folded, so 条（套） → 条(套); ㎡ and m² → 平方米),
  up to three /-separated parts of at most four characters each, not a whitelist. A
  leading 万/亿/千 (also 十万/百万/千万/万亿) of the first part moves into scale: 万元 → 元
  × 10**4, 万人次 → 人次 × 10**4; 千克/千米/千瓦时 … are units, not scaled. 2万/项 is money
  shorthand → 元/项; a bare trailing 万 keeps unit None with scale 10**4. number and upper
  are as printed, not multiplied by scale. Plain numbers have scale 1.
* Deadlines are written "2026-12-31", "2026-12", "2026", "2026-Q3", or, without a year, in
  the ISO 8601 / XML Schema year-less forms "--12-31", "--12", "---15" (day of month),
  "--Q3"; a range joins its ends with "/" (ISO 8601 interval). 底/末/初/旬 keep month
  precision (12月底 → "--12"), 年底 is month 12. 前/之前/以前 → ≤. Dates are not checked
  against the calendar (2026年9月31日 → "2026-09-31").
* A bare month (4月) is a deadline, but with a comparator and no year (≥2月) it is a
  duration: numeric, unit 月. N日 is a duration unless 前 follows or 每月 precedes it. A
  four-digit year 1900-2199 with 年 is a date; other 年 values (1年, 99年) are durations.
* Chinese numerals (两场, 不少于三次, 十二月底前) are read only when that yields a count with
  a known measure word or a date; otherwise the value stays qualitative (一次性补助, 一流).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from budgetkg.extract.model import KpiValue
from budgetkg.extract.units import known_units

# Comparators written in front of a number. One-character words (达, 约) count only when
# they are the whole prefix, so 节约10% is not read as ≈10%.
PREFIX_COMPARATORS: dict[str, str] = {
    ">=": "≥", "=>": "≥", "≥": "≥", "≧": "≥", "⩾": "≥",
    "<=": "≤", "=<": "≤", "≤": "≤", "≦": "≤", "⩽": "≤",
    ">": ">", "<": "<", "=": "=", "≈": "≈", "≒": "≈",
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "不短于": "≥", "大于等于": "≥",
    "大于或等于": "≥", "至少": "≥", "最少": "≥", "达到": "≥", "达": "≥",
    "不高于": "≤", "不超过": "≤", "不多于": "≤", "不大于": "≤", "不长于": "≤", "小于等于": "≤",
    "小于或等于": "≤", "至多": "≤", "最多": "≤", "控制在": "≤", "不晚于": "≤", "不迟于": "≤",
    "超过": ">", "高于": ">", "大于": ">", "多于": ">",
    "低于": "<", "小于": "<", "少于": "<", "不足": "<", "不满": "<", "未达到": "<",
    "等于": "=", "约": "≈", "大约": "≈",
}
# Comparators written after the number and unit (90%以上, 10万元以内, 100人左右).
SUFFIX_COMPARATORS: dict[str, str] = {
    "及以上": "≥", "或以上": "≥", "以上": "≥",
    "及以下": "≤", "或以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤", "内": "≤",
    "左右": "≈", "上下": "≈",
}
# Scale prefixes of a unit, longest first (千万元 before 千元).
SCALE_PREFIXES: dict[str, int] = {
    "万亿": 10**12, "千万": 10**7, "百万": 10**6, "十万": 10**5,
    "亿": 10**8, "万": 10**4, "千": 10**3,
}
# Units that start with a scale character but are units of their own.
UNSCALED_UNITS = ("千克", "千米", "千瓦", "千焦", "千伏", "千帕", "千卡", "千兆", "千字", "千赫")
MONEY_UNIT = "元"  # what 万/项 and 2万/个 leave out
# Unit symbols that NFKC would turn into digits (㎡ → m2); named before folding.
UNIT_SYMBOLS = {
    "㎡": "平方米", "m²": "平方米", "㎥": "立方米", "m³": "立方米", "㎞": "公里", "㎏": "千克",
    "㎎": "毫克", "㎝": "厘米", "㎜": "毫米",
}
# Words around a date: leads (with the comparator they imply), 前-words and closing verbs.
DEADLINE_LEADS: dict[str, str | None] = {
    "截至": "≤", "截止": "≤", "不晚于": "≤", "不迟于": "≤", "最迟": "≤",
    "当年度": None, "本年度": None, "当年": None, "本年": None, "今年": None,
    "每年": None, "每月": None, "于": None, "在": None,
}
DEADLINE_BEFORE = ("之前", "以前", "前")
DEADLINE_VERBS = ("完成", "达成", "完工", "实现", "到位", "交付", "结束", "截止")
MAX_UNIT_LENGTH = 16  # longest unit looked for at the start of a longer tail (万元/人/年)
TRAILING_PUNCT = " 。，,；;、.!！?？:："
NEGATIVE_SIGNS = ("-", "−")

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
# A Chinese numeral at the start or after a comparator, 年, 第 or a range word; inside a
# word (进一步, 统一) it is left alone.
CN_NUMERAL_RE = re.compile(r"(?<![^年第于少多到达约至≥≤<>=~\-])[零〇一二两三四五六七八九十百千]{1,8}")

DIGIT_RE = re.compile(r"[0-9]")
SPACES_RE = re.compile(r"\s+")
BARE_NUMBER_RE = re.compile(r"[0-9]{1,4}")
NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
RANGE_SEP = r"[-~〜—–―至到]"
NUMERIC_RE = re.compile(
    rf"(?P<pre>[^0-9]*?)(?P<num>{NUM})"
    rf"(?:(?P<mid>[^0-9\-~〜—–―至到]{{0,4}}?){RANGE_SEP}(?P<num2>{NUM}))?(?P<tail>[^0-9]*)"
)
RANGE_SEP_RE = re.compile(RANGE_SEP)
UNIT_PART_RE = re.compile(r"[%‰]|(?:[^\W\d_]|[()·°]){1,4}")
DATE_PATTERNS = (
    re.compile(r"(?P<y>[0-9]{4})(?P<sep>[-/])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<d>[0-9]{1,2}))?"),
    re.compile(r"(?P<y>[0-9]{4})\.(?P<m>[0-9]{1,2})\.(?P<d>[0-9]{1,2})"),
    re.compile(
        r"(?:(?P<y>[0-9]{4})年度?)?"
        r"(?:(?P<ye>(?<=年)[底末]|年[底末])|第?(?P<q>[1-4])季度"
        r"|(?:(?P<m>[0-9]{1,2})月份?)?(?:(?P<d>[0-9]{1,2})[日号])?)"
        r"(?:[底末初中]|上旬|中旬|下旬)?"
    ),
)


def _by_length(words):
    """Longest first, so 不低于 wins over 低于 and 及以上 over 以上."""
    return sorted(words, key=len, reverse=True)


class _Words(NamedTuple):
    """Words looked for at one end of a text, longest first. A text has one prefix (and one
    suffix) of each length, so a few set look-ups replace a startswith per word."""

    words: frozenset[str]
    sizes: tuple[int, ...]  # the words' lengths, longest first


def _words(words) -> _Words:
    words = frozenset(words)
    return _Words(words, tuple(sorted({len(w) for w in words}, reverse=True)))


_PREFIX_WORDS = _by_length(PREFIX_COMPARATORS)
_SUFFIX_WORDS = _by_length(SUFFIX_COMPARATORS)
_SYMBOLS = _words(w for w in _PREFIX_WORDS if not w.isalpha())
_LONGEST_PREFIX = len(_PREFIX_WORDS[0])
_LONGEST_SUFFIX = len(_SUFFIX_WORDS[0])
_LEADS = _words(DEADLINE_LEADS)
_BEFORE = _words(DEADLINE_BEFORE)
_VERBS = _words(DEADLINE_VERBS)
_SCALES = _words(SCALE_PREFIXES)


# The commonest targets (≥90%, 10个, 1项): one symbol, a plain number, a one-glyph unit. Read
# directly; the general reader gives the same record (tests/test_kpi_value.py checks it).
SIMPLE_RE = re.compile(r"([≥≤><=]?)([0-9]{1,9}(?:\.[0-9]{1,6})?)(%|[项个家人篇次场期所名件套台条种])")
# Money targets (≤1000万元, ≥6亿元, ≤50万元/项), the next commonest, are read directly too.
SIMPLE_MONEY_RE = re.compile(
    r"([≥≤><=]?)([0-9]{1,9}(?:\.[0-9]{1,6})?)([万亿]?)元(/[项个家人篇次场期所名件套台条种])?"
)


@lru_cache(maxsize=65536)
def parse_kpi_value(raw: str) -> KpiValue:
    """Read one 指标值; never raises, and `raw` is always the string as given."""
    simple = SIMPLE_RE.fullmatch(raw)
    if simple:
        symbol, number, unit = simple.groups()
        comparator = PREFIX_COMPARATORS[symbol] if symbol else None
        return KpiValue(raw, "numeric", comparator, Decimal(number), None, unit, 1)
    money = SIMPLE_MONEY_RE.fullmatch(raw)
    if money:
        symbol, number, scale, per = money.groups()
        comparator = PREFIX_COMPARATORS[symbol] if symbol else None
        unit = MONEY_UNIT + (per or "")
        return KpiValue(raw, "numeric", comparator, Decimal(number), None, unit, SCALE_PREFIXES.get(scale, 1))
    return parse_general(raw)


def parse_general(raw: str) -> KpiValue:
    """The full reader behind parse_kpi_value, for every form."""
    text = _normalize(raw)
    if not any(char.isalnum() for char in text):
        return KpiValue(raw=raw, kind="empty")
    folded = _fold_cn_numerals(text)
    if folded != text:
        value = _classify(raw, folded)
        if _is_clean_reading(value):
            return value
    return _classify(raw, text)


def _normalize(raw: str) -> str:
    """Fold width and compatibility forms so ＞, ９０％ and （套） read as >, 90% and (套)."""
    text = raw
    for symbol, name in UNIT_SYMBOLS.items():
        text = text.replace(symbol, name)
    text = SPACES_RE.sub("", unicodedata.normalize("NFKC", text))
    return text.rstrip(TRAILING_PUNCT)


def _classify(raw: str, text: str) -> KpiValue:
    """Dates first (2026年12月 holds digits too), then numbers; no digits means qualitative."""
    for reader in (_parse_deadline, _parse_numeric):
        value = reader(raw, text)
        if value is not None:
            return value
    if DIGIT_RE.search(text):
        return KpiValue(raw=raw, kind="unparsed", flagged=True)
    return KpiValue(raw=raw, kind="qualitative")


# --- numbers -----------------------------------------------------------------------------


def _parse_numeric(raw: str, text: str) -> KpiValue | None:
    """[words][comparator]number[-number]unit[以上 …]; None when more than one number is left."""
    match = NUMERIC_RE.fullmatch(text)
    if match is None:
        return None
    pre = match["pre"]
    negative = pre.endswith(NEGATIVE_SIGNS)
    tail, after = _strip_suffix_comparator(match["tail"])
    comparator, agree = _merge_comparators(_comparator_ending(pre.rstrip("-−")), after)
    unit, scale, clean = _read_unit(tail)
    clean = clean and agree and (not match["mid"] or tail.startswith(match["mid"]))
    return KpiValue(
        raw=raw, kind="numeric" if clean else "unparsed", comparator=comparator,
        number=_to_decimal(match["num"], negative), upper=_to_decimal(match["num2"]),
        unit=unit, scale=scale, flagged=not clean,
    )


def _to_decimal(digits: str | None, negative: bool = False) -> Decimal | None:
    """Decimal, not float, so 25.01万元 stays exactly 25.01; thousands commas dropped."""
    if digits is None:
        return None
    number = Decimal(digits.replace(",", ""))
    return -number if negative else number


def _comparator_ending(pre: str) -> str | None:
    """The comparator the text before the number ends with (分辨率不低于2.1MP → ≥)."""
    # Longest first; of each length only the text's own ending can match, so it is looked
    # up rather than every word tried with endswith.
    for size in range(min(_LONGEST_PREFIX, len(pre)), 0, -1):
        word = pre[-size:]
        if word in PREFIX_COMPARATORS and (size > 1 or pre == word or not word.isalpha()):
            return PREFIX_COMPARATORS[word]
    return None


def _strip_suffix_comparator(tail: str) -> tuple[str, str | None]:
    """Split 以上/以内/左右 … off the unit: %以上 → (%, ≥)."""
    for size in range(min(_LONGEST_SUFFIX, len(tail)), 0, -1):  # as _comparator_ending
        if tail[-size:] in SUFFIX_COMPARATORS:
            return tail[:-size], SUFFIX_COMPARATORS[tail[-size:]]
    return tail, None


def _merge_comparators(before: str | None, after: str | None) -> tuple[str | None, bool]:
    """≥90%以上 says ≥ twice, which is fine; ≥90%以下 contradicts itself."""
    if before and after and before != after:
        return before, False
    return before or after, True


def _read_unit(tail: str) -> tuple[str | None, int, bool]:
    """Unit, scale and whether the whole tail is a unit; if not, the known unit it starts with."""
    read = _unit_and_scale(tail)
    if read is not None:
        return read[0], read[1], True
    for end in range(min(len(tail) - 1, MAX_UNIT_LENGTH), 0, -1):
        read = _unit_and_scale(tail[:end])
        if read is not None and _is_known_unit(read[0]):
            return read[0], read[1], False
    return None, 1, False


def _unit_and_scale(text: str) -> tuple[str | None, int] | None:
    """万元/个 → (元/个, 10**4); None when the text does not look like a unit at all."""
    if not text:
        return None, 1
    head, *rest = text.split("/")
    base, scale = _strip_scale(head)
    parts_ok = all(UNIT_PART_RE.fullmatch(part) for part in rest) and len(rest) <= 2
    if not parts_ok or not (UNIT_PART_RE.fullmatch(base) or (not base and scale > 1)):
        return None
    if not base:
        return (MONEY_UNIT + "/" + "/".join(rest) if rest else None), scale
    return "/".join([base, *rest]), scale


def _strip_scale(head: str) -> tuple[str, int]:
    """万人次 → (人次, 10**4), but 千克 stays a unit of its own."""
    if head.startswith(UNSCALED_UNITS):
        return head, 1
    for size in _SCALES.sizes:
        prefix = head[:size]
        if prefix in _SCALES.words:
            return head[len(prefix):], SCALE_PREFIXES[prefix]
    return head, 1


def _is_known_unit(unit: str | None) -> bool:
    """True for units whose first part is a common measure word (次/年 → 次)."""
    return unit is not None and unit.split("/")[0] in known_units()


# --- dates -------------------------------------------------------------------------------


def _parse_deadline(raw: str, text: str) -> KpiValue | None:
    """当年12月底前, 2026年8月底, 2023/1/1-2023/2/1 …; None when the text is not a date."""
    symbol, core = _leading_symbol(text)
    if symbol not in (None, "≤", "<"):
        return None
    core, lead = _strip_start(core, _LEADS)
    if lead.endswith("年") and core[:1] in ("底", "末"):
        core = "年" + core  # 当年底前: the 年 belongs to 年底 too
    core = _strip_end(core, _VERBS)[0]
    core, before = _strip_end(core, _BEFORE)
    points = _date_range(core, day_ok=bool(before) or lead == "每月")
    if points is None or (symbol and not any("y" in point for point in points)):
        return None  # ≥2月, ≤3月: a comparator on a bare month is a duration
    comparator = symbol or DEADLINE_LEADS.get(lead) or ("≤" if before else None)
    deadline = "/".join(_format_date(point) for point in points)
    return KpiValue(raw=raw, kind="deadline", comparator=comparator, deadline=deadline)


def _leading_symbol(text: str) -> tuple[str | None, str]:
    """A comparator symbol in front of a date (≤2026年12月); words are handled as leads."""
    for size in _SYMBOLS.sizes:
        symbol = text[:size]
        if symbol in _SYMBOLS.words:
            return PREFIX_COMPARATORS[symbol], text[len(symbol):]
    return None, text


def _strip_start(text: str, words: _Words) -> tuple[str, str]:
    """Remove the longest of `words` that starts the text, if more text follows; return what
    is left and the word."""
    for size in words.sizes:
        if len(text) > size and text[:size] in words.words:
            return text[size:], text[:size]
    return text, ""


def _strip_end(text: str, words: _Words) -> tuple[str, str]:
    """Remove the longest of `words` that ends the text, if text is left before it; return
    what is left and the word."""
    for size in words.sizes:
        if len(text) > size and text[-size:] in words.words:
            return text[:-size], text[-size:]
    return text, ""


def _date_range(core: str, day_ok: bool) -> list[dict[str, int]] | None:
    """One date or two joined by -/~/至; each must name a year, month or quarter."""
    single = _date_fields(core)
    points = [single] if single else _split_range(core)
    if points and all(_anchored(point, day_ok) for point in points):
        return points
    return None


def _split_range(core: str) -> list[dict[str, int]] | None:
    """11至12月 or 2023/1/1-2023/2/1: try each separator; a bare left end borrows the right's unit."""
    for sep in RANGE_SEP_RE.finditer(core):
        left, right = core[: sep.start()], core[sep.end():]
        end = _date_fields(right)
        start = _date_fields(left) or _bare_field(left, end)
        if start and end:
            if "y" in start:
                end.setdefault("y", start["y"])
            if "m" in start and "d" in end:
                end.setdefault("m", start["m"])
            return [start, end]
    return None


def _bare_field(left: str, end: dict[str, int] | None) -> dict[str, int] | None:
    """The 11 of 11至12月 is a month because 12月 is; the 2021 of 2021-2025年 a year."""
    if not end or not BARE_NUMBER_RE.fullmatch(left):
        return None
    finest = next(key for key in ("d", "m", "q", "y") if key in end)
    fields = {finest: int(left)}
    return fields if _in_range(fields) else None


def _date_fields(text: str) -> dict[str, int] | None:
    """Year, month, day or quarter of one date, unvalidated against the calendar."""
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            groups = match.groupdict()
            fields = {key: int(groups[key]) for key in ("y", "m", "d", "q") if groups.get(key)}
            if groups.get("ye"):
                fields["m"] = 12
            return fields if fields and _in_range(fields) else None
    return None


def _in_range(fields: dict[str, int]) -> bool:
    """Plausible parts: year 1900-2199, month 1-12, day 1-31; with a year, a day needs a month."""
    return (
        1900 <= fields.get("y", 2000) <= 2199
        and 1 <= fields.get("m", 1) <= 12
        and 1 <= fields.get("d", 1) <= 31
        and ("d" not in fields or "m" in fields or "y" not in fields)
    )


def _anchored(fields: dict[str, int], day_ok: bool) -> bool:
    """A bare 15日 is a duration unless 前 follows or 每月 precedes it."""
    return bool(fields.keys() & {"y", "m", "q"}) or (day_ok and "d" in fields)


def _format_date(fields: dict[str, int]) -> str:
    """2026-06-30, 2026-06, 2026, 2026-Q3, --06-30, --06, ---15 (ISO 8601 year-less forms)."""
    year = f"{fields['y']:04d}" if "y" in fields else "-"
    if "q" in fields:
        return f"{year}-Q{fields['q']}"
    if "m" not in fields:
        return year if "d" not in fields else f"---{fields['d']:02d}"
    month = f"{year}-{fields['m']:02d}"
    return month if "d" not in fields else f"{month}-{fields['d']:02d}"


# --- Chinese numerals --------------------------------------------------------------------


def _fold_cn_numerals(text: str) -> str:
    """两场 → 2场, 十二月底前 → 12月底前; the caller keeps the result only if it reads cleanly."""
    return CN_NUMERAL_RE.sub(lambda match: str(_cn_to_int(match.group())), text)


def _cn_to_int(numeral: str) -> int:
    """二〇二六 digit by digit, 二十五 and 一百零五 by place value."""
    if not any(char in CN_MULTIPLIERS for char in numeral):
        return int("".join(str(CN_DIGITS[char]) for char in numeral))
    total, digit = 0, 0
    for char in numeral:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        else:
            total, digit = total + (digit or 1) * CN_MULTIPLIERS[char], 0
    return total + digit


def _is_clean_reading(value: KpiValue) -> bool:
    """A folded reading counts only as a date or a count of a known measure word (not 一流)."""
    return value.kind == "deadline" or (value.kind == "numeric" and _is_known_unit(value.unit))

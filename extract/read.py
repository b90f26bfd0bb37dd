"""Read a disclosure file into text, detecting its encoding instead of assuming it.

Disclosures arrive from many converters and offices: UTF-8 (with or without BOM), UTF-16
exported by Windows tools, and GBK/GB2312 from older systems. GB18030 is a superset of both,
so it is the last resort. Decoding is always strict: a file that decodes only with
replacement characters would put invented text into the graph, so it is refused with a
reason instead. Line structure is kept exactly (only CR LF and CR become LF) because every
record points back to a line of the original file.
"""

from __future__ import annotations

import codecs
import os
import re

__all__ = ["UnreadableInput", "decode_bytes", "read_text"]

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NEWLINES = re.compile(r"\r\n?")
# C0 controls other than TAB, LF, VT, FF, CR: text files do not contain them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_GB_SAMPLE = 20_000  # characters of a GB18030 reading checked for common Chinese
_MIN_GB2312_SHARE = 0.6


class UnreadableInput(ValueError):
    """The file cannot be turned into text without guessing; the message says why."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Return (text, encoding name) of the file at `path`, newlines normalised to LF."""
    with open(path, "rb") as handle:
        data = handle.read()
    return decode_bytes(data, path)


def decode_bytes(data: bytes, path: str | os.PathLike[str] = "<bytes>") -> tuple[str, str]:
    """Decode `data` strictly; raise UnreadableInput naming `path` when nothing fits."""
    if not data:
        raise UnreadableInput(path, "empty file")
    text, encoding = _decode_with_bom(data, path) or _decode_without_bom(data, path)
    _refuse_binary_text(text, path)
    return _NEWLINES.sub("\n", text), encoding


def _decode_with_bom(data: bytes, path) -> tuple[str, str] | None:
    """A BOM is an explicit declaration, so it wins over any sniffing."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.removesuffix("-sig")), name
            except UnicodeDecodeError as err:
                raise UnreadableInput(
                    path, f"declares {name} by its BOM but is not {name} at byte "
                    f"{err.start + len(bom)}"
                ) from None
    return None


def _decode_without_bom(data: bytes, path) -> tuple[str, str]:
    """UTF-8 first (it rarely decodes by accident), then GB18030."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableInput(path, f"binary file (NUL bytes at offset {nul})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if _cut_inside_a_character(data, utf8_error):  # GB18030 would read it, as mojibake
        raise UnreadableInput(
            path, f"UTF-8 text cut off inside a character at byte {utf8_error.start} "
            f"(line {_line_at(data, utf8_error.start)}), the end of the file: a truncated file?"
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as err:
        raise UnreadableInput(
            path, f"not UTF-8 (byte {utf8_error.start}, line {_line_at(data, utf8_error.start)}) "
            f"nor GB18030 at byte {err.start} (line {_line_at(data, err.start)})"
        ) from None
    _refuse_unlikely_gb(text, path)
    return text, "gb18030"


def _refuse_unlikely_gb(text: str, path) -> None:
    """GB18030 decodes almost any bytes; Chinese text in it is nearly all GB2312 characters
    (the 6,763 in common use), random or binary bytes only about a third."""
    wide = "".join(c for c in text[:_GB_SAMPLE] if c > "\x7f")
    if len(wide) < 50:
        return
    common = len(wide.encode("gb2312", "ignore")) // 2
    if common < _MIN_GB2312_SHARE * len(wide):
        raise UnreadableInput(
            path, f"not text: read as GB18030 only {common * 100 // len(wide)} % of its characters are "
            "common Chinese ones (random or binary data, or an encoding other than UTF-8/GB18030?)"
        )


def _cut_inside_a_character(data: bytes, err: UnicodeDecodeError) -> bool:
    """The file is UTF-8 up to an incomplete last character (a download cut short).

    Only when the text before it holds UTF-8 characters beyond ASCII: ASCII text ending in
    one GBK character can look the same, and is left to the GB18030 reading.
    """
    if err.end != len(data) or err.reason != "unexpected end of data":
        return False
    return not data[: err.start].isascii()


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of a byte offset, so the user can find the bad bytes in an editor."""
    return data.count(b"\n", 0, offset) + 1


def _refuse_binary_text(text: str, path) -> None:
    """Bytes that happen to decode but are full of control characters are not a text file."""
    found = _CONTROL.search(text)
    if found is None:
        return
    count = len(_CONTROL.findall(text))
    if count > max(1, len(text) * _MAX_CONTROL_SHARE):
        raise UnreadableInput(
            path, f"binary file ({count} control characters, first at character {found.start()})"
        )

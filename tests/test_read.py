"""Encoding detection and refusal of unreadable input (budgetkg.extract.read)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetkg.extract.read import UnreadableInput, decode_bytes, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "layouts"

SAMPLE = "项目名称\t科技创新券\n立项依据\t《某某省科技创新券实施管理办法（试行）》（晋科发〔2017〕86号）\n指标值\t≥90%\n"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_utf8(tmp_path):
    text, encoding = read_text(write(tmp_path, "a.txt", SAMPLE.encode("utf-8")))
    assert (text, encoding) == (SAMPLE, "utf-8")


def test_utf8_with_bom_drops_the_bom(tmp_path):
    text, encoding = read_text(write(tmp_path, "a.txt", codecs.BOM_UTF8 + SAMPLE.encode()))
    assert encoding == "utf-8-sig"
    assert text == SAMPLE


def test_committed_bom_fixture():
    text, encoding = read_text(FIXTURES / "bom_tsv.txt")
    assert encoding == "utf-8-sig"
    assert text.startswith("## 某某市项目支出绩效目标表\n")


def test_gbk_is_read_as_gb18030(tmp_path):
    text, encoding = read_text(write(tmp_path, "gbk.txt", SAMPLE.encode("gbk")))
    assert encoding == "gb18030"
    assert text == SAMPLE


def test_gb18030_only_characters(tmp_path):
    sample = "项目名称\t𠀀工程（€）\n"  # outside GBK: a CJK extension B character and €
    text, encoding = read_text(write(tmp_path, "gb.txt", sample.encode("gb18030")))
    assert (text, encoding) == (sample, "gb18030")


@pytest.mark.parametrize("codec, bom, name", [
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
])
def test_utf16_and_utf32_with_bom(tmp_path, codec, bom, name):
    text, encoding = read_text(write(tmp_path, "u.txt", bom + SAMPLE.encode(codec)))
    assert (text, encoding) == (SAMPLE, name)


def test_newlines_are_normalised_without_losing_lines(tmp_path):
    raw = "第一行\r\n第二行\r第三行\n\r\n第五行".encode("gbk")
    text, _ = read_text(write(tmp_path, "nl.txt", raw))
    assert text.split("\n") == ["第一行", "第二行", "第三行", "", "第五行"]


def test_empty_file_is_refused_by_name(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(UnreadableInput, match="empty file") as info:
        read_text(path)
    assert str(path) in str(info.value)
    assert info.value.reason == "empty file"


def test_binary_file_is_refused_with_offset(tmp_path):
    path = write(tmp_path, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableInput) as info:
        read_text(path)
    message = str(info.value)
    assert "logo.png" in message
    assert "binary file (NUL bytes at offset 8)" in message


def test_bytes_that_are_neither_utf8_nor_gb18030(tmp_path):
    path = write(tmp_path, "bad.txt", "合计".encode("gbk") + b"\x80\xff")
    with pytest.raises(UnreadableInput) as info:
        read_text(path)
    assert str(info.value).endswith("bad.txt: not UTF-8 (byte 0, line 1) nor GB18030 at byte 4 (line 1)")


def test_a_gbk_fragment_in_a_utf8_file_is_refused_naming_its_line(tmp_path):
    data = "第一行\n第二行\n".encode() + "项目名称".encode("gbk") + "\n第四行\n".encode()
    with pytest.raises(UnreadableInput) as info:
        read_text(write(tmp_path, "mixed.txt", data))
    assert info.value.reason.startswith("not UTF-8 (byte 20, line 3) nor GB18030 at byte 8 (line 1)")


def test_utf8_cut_inside_its_last_character_is_refused_as_truncated_not_read_as_gb18030(tmp_path):
    data = "合计".encode() + "项".encode()[:2]  # GB18030 would decode these 8 bytes as mojibake
    with pytest.raises(UnreadableInput) as info:
        read_text(write(tmp_path, "cut.txt", data))
    assert info.value.reason == (
        "UTF-8 text cut off inside a character at byte 6 (line 1), the end of the file: a truncated file?"
    )


def test_ascii_ending_in_one_gbk_character_is_still_gb18030(tmp_path):
    text, encoding = read_text(write(tmp_path, "g.txt", b"abc\n" + "与".encode("gbk")))
    assert (text, encoding) == ("abc\n与", "gb18030")


def test_broken_bom_declaration(tmp_path):
    path = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + b"ok\xff")
    with pytest.raises(UnreadableInput, match="declares utf-8-sig by its BOM"):
        read_text(path)


def test_control_characters_mean_binary(tmp_path):
    path = write(tmp_path, "blob.bin", bytes(range(1, 32)) * 20)
    with pytest.raises(UnreadableInput, match=r"blob\.bin: binary file \(\d+ control characters"):
        read_text(path)


def test_a_stray_control_character_is_tolerated(tmp_path):
    text, _ = read_text(write(tmp_path, "esc.txt", SAMPLE.encode() + b"\x1b"))
    assert text.endswith("\x1b")


TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from("\n\t合计项目名称〔〕《》")
)


@settings(max_examples=200, deadline=None)
@given(TEXT.filter(bool), st.sampled_from(["utf-8", "utf-16"]))
def test_round_trip(text, codec):
    data = text.encode(codec)  # Python's utf-16 writes a BOM
    decoded, _ = decode_bytes(data, "prop.txt")
    assert decoded == text


CJK_TEXT = st.text(st.sampled_from("项目名称合计〔〕《》ab1\n"), min_size=1).map(lambda t: "合计" + t)


@settings(max_examples=200, deadline=None)
@given(CJK_TEXT, st.data())
def test_utf8_cut_at_any_byte_reads_the_prefix_or_says_it_was_cut(text, data):
    """A download cut short: whole characters read as they are, a cut character is named."""
    encoded = text.encode("utf-8")
    cut = data.draw(st.integers(len("合计".encode()), len(encoded)))
    try:
        decoded, encoding = decode_bytes(encoded[:cut], "cut.txt")
    except UnreadableInput as err:
        assert err.reason.startswith("UTF-8 text cut off inside a character")
        assert encoded[:cut].decode("utf-8", errors="ignore") != encoded[:cut].decode("utf-8", errors="replace")
    else:
        assert (decoded, encoding) == (encoded[:cut].decode("utf-8"), "utf-8")

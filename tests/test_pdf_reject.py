"""PDFs that cannot be read are refused with the reason, never read into invented text."""

from __future__ import annotations

import pytest
from budgetkg.extract.load import document_from_bytes, load_document
from budgetkg.extract.pipeline import Failure, extract_many
from budgetkg.extract.read import UnreadableInput
from pdfbuild import project_pdf, sample_project, scan_pdf, text_pdf
from reportlab.lib.pdfencrypt import StandardEncryption

LINES = [
    ["项目名称 院士工作站建设", "立项依据 《山西省科技计划项目管理办法》（晋政办发〔2021〕42号）"]
]


def _reason(path) -> str:
    with pytest.raises(UnreadableInput) as err:
        load_document(path)
    assert err.value.path == str(path)
    return err.value.reason


def test_a_scan_without_a_text_layer_is_refused_as_needing_ocr(tmp_path):
    reason = _reason(scan_pdf(tmp_path / "scan.pdf", pages=2))
    assert "no text layer" in reason and "2 of 2 page(s) are images" in reason and "OCR" in reason


def test_pages_with_nothing_on_them_are_refused(tmp_path):
    assert _reason(text_pdf(tmp_path / "blank.pdf", [[], []])) == "no text on any of its 2 page(s)"


def test_a_pdf_that_needs_a_password_to_open_is_refused(tmp_path):
    reason = _reason(text_pdf(tmp_path / "locked.pdf", LINES, encrypt="secret"))
    assert reason.startswith("encrypted PDF: a password is needed to open it")


def test_a_pdf_whose_owner_password_only_restricts_copying_is_read(tmp_path):
    """It opens without a password, as in any viewer; pdfminer decrypts it (RC4 and AES)."""
    for strength in (40, 128):
        lock = StandardEncryption(
            "", ownerPassword="owner", canPrint=0, canCopy=0, strength=strength
        )
        path = text_pdf(
            tmp_path / f"restricted{strength}.pdf",
            [["Budget 2026", "Project 12"]],
            font="Helvetica",
            encrypt=lock,
        )
        assert [row.text for row in load_document(path).rows] == ["Budget 2026", "Project 12"]


def test_text_whose_font_has_no_unicode_mapping_is_refused_not_read_as_cid_codes(tmp_path):
    """reportlab's encrypted CJK fonts are such a case: pdfminer (and pdfium) cannot decrypt the
    font's CIDSystemInfo, so every glyph reads as (cid:N) and there is no text to read."""
    lock = StandardEncryption("", ownerPassword="owner", canCopy=0)
    reason = _reason(text_pdf(tmp_path / "cid.pdf", LINES, encrypt=lock))
    assert "no Unicode mapping" in reason and "(cid:N)" in reason


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_pdf_is_refused_as_damaged(tmp_path, share):
    data = project_pdf(tmp_path / "whole.pdf", [sample_project()]).read_bytes()
    with pytest.raises(UnreadableInput, match="damaged PDF"):
        document_from_bytes(data[: int(len(data) * share)], "cut.pdf")


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n", b"%PDF-1.4\n" + bytes(range(256)) * 20, b"%PDF-1.4\n1 0 obj <<"]
)
def test_garbage_behind_a_pdf_header_is_refused_as_damaged(data):
    with pytest.raises(UnreadableInput, match="damaged PDF"):
        document_from_bytes(data, "junk.pdf")


def test_a_file_named_pdf_that_is_not_one_is_refused_as_such():
    with pytest.raises(UnreadableInput, match="no %PDF- header"):
        document_from_bytes("项目名称\t科普经费\n".encode(), "notes.pdf")


def test_a_batch_reports_the_bad_pdfs_and_reads_the_good_one(tmp_path):
    good = project_pdf(tmp_path / "good.pdf", [sample_project()])
    scan = scan_pdf(tmp_path / "scan.pdf", pages=1)
    locked = text_pdf(tmp_path / "locked.pdf", LINES, encrypt="secret")
    results = list(extract_many([str(good), str(scan), str(locked)]))
    assert [r.performance_projects[0].name for r in results[:1]] == ["院士工作站建设"]
    assert [type(r) for r in results[1:]] == [Failure, Failure]
    assert "OCR" in results[1].reason and "password" in results[2].reason

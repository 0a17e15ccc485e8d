"""Tests of the ingest stage: every format, every refusal, and the text invariant."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fixtures.make_formats import (
    parse_plain,
    write_docx,
    write_docx_xml,
    write_html,
    write_pdf,
)
from graph import ingest
from graph.errors import InputError
from graph.formats import word
from graph.ingest import SUPPORTED, collect_paths, read_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
AGREEMENT = CORPUS / "london_health_devolution_agreement_2015.txt"
KNOWN = "Government and NHS England commit to publishing indicative multi-year allocations"


def squash(text: str) -> str:
    return " ".join(text.split())


def refused(path: Path, **kwargs) -> str:
    """The one-line message read_document raises for ``path``."""
    with pytest.raises(InputError) as caught:
        read_document(path, **kwargs)
    message = str(caught.value)
    assert caught.value.path == str(path)
    assert "\n" not in message
    return message


def assert_blocks_slice(doc) -> None:
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(doc.text)
        piece = doc.text[block.start:block.end]
        assert piece == piece.strip() and piece
        if block.kind == "list_item":
            assert doc.text[block.start - 2:block.start] == "\u2022 "


def one_page_pdf(path: Path, text: str, **encryption) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, text)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.output(str(path))
    return path


# Plain text and Markdown ------------------------------------------------------


def test_txt_reads_exact_text(tmp_path):
    source = " INTRODUCTION \n\nThe parties agree  to\tshare data. \n"
    path = tmp_path / "Health Deal (2015) v2.txt"
    path.write_text(source, encoding="utf-8", newline="")
    doc = read_document(path)
    assert doc.text == source
    assert doc.doc_id == "health-deal-2015-v2"
    assert doc.name == "Health Deal (2015) v2.txt"
    assert doc.path == str(path)
    assert doc.format == "txt"
    assert doc.sha256 == hashlib.sha256(source.encode("utf-8")).hexdigest()
    assert doc.title is None and doc.blocks == () and doc.warnings == ()


def test_corpus_reads_unchanged():
    doc = read_document(AGREEMENT)
    assert doc.text == AGREEMENT.read_text(encoding="utf-8")
    assert KNOWN in doc.text


def test_markdown_title_from_leading_heading(tmp_path):
    path = tmp_path / "deal.md"
    path.write_text("\n# Devolution Agreement #\n\nText.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Devolution Agreement"
    assert doc.format == "md" and doc.blocks == ()
    (tmp_path / "other.markdown").write_text("Intro.\n\n# Later heading\n", encoding="utf-8")
    assert read_document(tmp_path / "other.markdown").title is None


def test_utf8_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfThe Partners\xe2\x80\x99 plan.\n")
    doc = read_document(path)
    assert doc.text == "The Partners\u2019 plan.\n"
    assert doc.warnings == ()


def test_utf16_with_bom_is_decoded(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("\ufeffThe parties agree.\r\n".encode("utf-16-le"))
    doc = read_document(path)
    assert doc.text == "The parties agree.\n"
    assert doc.warnings == ("decoded as utf_16 (not UTF-8)",)


def test_windows_1252_is_decoded_with_a_warning(tmp_path):
    source = (
        "London Partners\u2019 plans \u2013 \u201csupported\u201d \u2022 caf\u00e9 \u00a35,000.\n"
    )
    path = tmp_path / "legacy.txt"
    path.write_bytes(source.encode("cp1252"))
    doc = read_document(path)
    assert doc.text == source
    assert doc.warnings == ("decoded as cp1252 (not UTF-8)",)


def test_line_ends_are_unified_and_nothing_else(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"one \r\ntwo\rthree\n\r\n  four\t\r")
    assert read_document(path).text == "one \ntwo\nthree\n\n  four\t\n"


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  "])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert refused(path) == f"{path}: the file is empty"


@pytest.mark.parametrize(
    "content",
    [
        b"agreement\x00\x00\x00\x01\x02text",
        bytes(range(1, 9)) * 200 + b"some words",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    ],
    ids=["nul", "controls", "png"],
)
def test_binary_junk_is_refused(tmp_path, content):
    path = tmp_path / "junk.txt"
    path.write_bytes(content)
    assert refused(path).endswith("this is not a text file (binary content)")


def test_few_control_characters_are_kept(tmp_path):
    path = tmp_path / "formfeed.txt"
    path.write_bytes(b"Page one.\fPage two.\x1b\n")
    assert read_document(path).text == "Page one.\fPage two.\x1b\n"


_TEXT = st.lists(
    st.one_of(
        st.characters(exclude_categories=("Cs", "Cc")),
        st.sampled_from(["\r", "\n", "\r\n", "\t", " ", "\u2022", "\u00a0", "\ufeff"]),
    ),
    max_size=300,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_txt_changes_only_line_ends(source):
    assume(source.strip() and not source.startswith(("\ufeff", "%PDF-")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "property.txt"
        path.write_bytes(source.encode("utf-8"))
        doc = read_document(path)
    assert doc.text == source.replace("\r\n", "\n").replace("\r", "\n")
    assert doc.warnings == ()


# Size limits -------------------------------------------------------------------


def test_oversized_file_is_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(60_000_000)  # sparse: no disk blocks, nothing to read
    opened = []
    monkeypatch.setattr(ingest, "open", lambda *args, **kw: opened.append(args), raising=False)
    started = time.perf_counter()
    message = refused(path)
    assert time.perf_counter() - started < 1.0
    assert opened == []
    assert message.endswith("the file is 60 MB, over the limit of 50 MB (--max-bytes)")


def test_max_bytes_is_an_argument(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text("x" * 1_500_001, encoding="utf-8")
    assert "the file is 1.5 MB, over the limit of 1 MB" in refused(path, max_bytes=1_000_000)
    assert read_document(path, max_bytes=2_000_000).text.startswith("xxx")


# HTML --------------------------------------------------------------------------

PAGE = b"""<!DOCTYPE html>
<html><head><title>  London   Agreement </title><style>p { color: red }</style>
<script>var x = "<p>not text</p>";</script></head>
<body><nav><a href="/">Home</a></nav>
<h1>Health  devolution</h1>
<p>The parties&nbsp;agree
   to <b>share</b> data.<br>A second line.</p>
<h2>a) Capital</h2>
<p>London partners are committed to:</p>
<ul><li>increasing value from estate;</li>
    <li><p>reinvesting proceeds; and</p>
        <ul><li>nested point</li></ul>
        <p>a continuation</p></li></ul>
<div class="footnotes"><p>1 Better Health for London, 2014.</p></div>
<p hidden>secret</p><!-- a comment -->
<script>alert(1)</script></body></html>
"""


def test_html_text_blocks_and_title(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    doc = read_document(path)
    assert doc.format == "html"
    assert doc.title == "London Agreement"
    assert doc.text == (
        "Health devolution\n\n"
        "The parties agree to share data.\nA second line.\n\n"
        "a) Capital\n\n"
        "London partners are committed to:\n\n"
        "\u2022 increasing value from estate;\n\n"
        "\u2022 reinvesting proceeds; and\n\n"
        "\u2022 nested point\n\n"
        "a continuation\n\n"
        "1 Better Health for London, 2014."
    )
    kinds = [(b.kind, b.level, doc.text[b.start:b.end]) for b in doc.blocks]
    assert kinds == [
        ("heading", 1, "Health devolution"),
        ("paragraph", 0, "The parties agree to share data.\nA second line."),
        ("heading", 2, "a) Capital"),
        ("paragraph", 0, "London partners are committed to:"),
        ("list_item", 1, "increasing value from estate;"),
        ("list_item", 1, "reinvesting proceeds; and"),
        ("list_item", 2, "nested point"),
        ("paragraph", 0, "a continuation"),
        ("footnote", 0, "1 Better Health for London, 2014."),
    ]
    assert_blocks_slice(doc)


def test_html_footnote_list_items_carry_their_numbers(tmp_path):
    path = tmp_path / "pandoc.html"
    path.write_text(
        '<p>Better Health<a class="footnote-ref" href="#fn1"><sup>1</sup></a> says so.</p>'
        '<section class="footnotes" role="doc-endnotes"><hr><ol start="4">'
        '<li id="fn1"><p>Report of the Commission, 2014.</p></li>'
        '<li id="fn2"><p>5 Already numbered.</p><p>Second paragraph.</p></li>'
        '<li id="fn3">2020 Vision.</li></ol></section>',
        encoding="utf-8",
    )
    doc = read_document(path)
    assert [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks] == [
        ("paragraph", "Better Health1 says so."),
        ("footnote", "4 Report of the Commission, 2014."),
        ("footnote", "5 Already numbered."),
        ("footnote", "Second paragraph."),
        ("footnote", "6 2020 Vision."),
    ]


def test_html_title_falls_back_to_first_h1(tmp_path):
    path = tmp_path / "notitle.htm"
    path.write_text("<body><p>Intro</p><h1>The  Agreement</h1></body>", encoding="utf-8")
    assert read_document(path).title == "The Agreement"


def test_html_declared_encoding_is_used(tmp_path):
    path = tmp_path / "latin.html"
    path.write_bytes(
        b'<html><head><meta charset="windows-1252"></head>'
        b"<body><p>Partners\x92 plan</p></body></html>"
    )
    assert read_document(path).text == "Partners\u2019 plan"


def test_html_without_text_is_refused(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>T</title></head><body><script>x()</script></body></html>")
    assert refused(path).endswith("the HTML page has no text")


def test_deeply_nested_html_does_not_overflow(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 5000 + "deep text" + "</div>" * 5000, encoding="utf-8")
    assert read_document(path).text == "deep text"


# Word --------------------------------------------------------------------------


def test_docx_styles_lists_tables_and_title(tmp_path):
    document = docx.Document()
    document.core_properties.title = "  Devolution   Agreement "
    document.add_paragraph("London Agreement", style="Title")
    document.add_heading("INTRODUCTION", level=1)
    document.add_paragraph("The parties\u00a0agree  to share data.")
    document.add_heading("a) Capital", level=2)
    document.add_paragraph("first point;", style="List Bullet")
    document.add_paragraph("sub point", style="List Bullet 2")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Owner"
    table.cell(0, 1).text = "NHS England"
    document.add_paragraph("")
    document.add_paragraph("Closing words.")
    path = tmp_path / "agreement.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.format == "docx"
    assert doc.title == "Devolution Agreement"
    kinds = [(b.kind, b.level, doc.text[b.start:b.end]) for b in doc.blocks]
    assert kinds == [
        ("heading", 1, "London Agreement"),
        ("heading", 1, "INTRODUCTION"),
        ("paragraph", 0, "The parties agree to share data."),
        ("heading", 2, "a) Capital"),
        ("list_item", 1, "first point;"),
        ("list_item", 2, "sub point"),
        ("paragraph", 0, "Owner"),
        ("paragraph", 0, "NHS England"),
        ("paragraph", 0, "Closing words."),
    ]
    assert doc.text.startswith("London Agreement\n\nINTRODUCTION\n\nThe parties agree")
    assert "\n\n\u2022 first point;\n\n\u2022 sub point\n\n" in doc.text
    assert_blocks_slice(doc)


def test_docx_title_from_title_paragraph(tmp_path):
    document = docx.Document()
    document.add_paragraph("Collaboration Agreement", style="Title")
    document.add_paragraph("Body.")
    path = tmp_path / "titled.docx"
    document.save(str(path))
    assert read_document(path).title == "Collaboration Agreement"


def test_docx_numbering_tracked_changes_and_footnotes(tmp_path):
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Before </w:t></w:r>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>inserted</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>deleted</w:delText></w:r></w:del>'
        '<w:r><w:t xml:space="preserve"> after</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:t>.</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr>'
        "<w:r><w:t>nested item</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Outline heading</w:t></w:r></w:p>'
    )
    notes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> See the annex.</w:t></w:r></w:p></w:footnote>'
    )
    path = write_docx_xml(body, tmp_path / "raw.docx", notes)
    doc = read_document(path)
    assert doc.text == (
        "Before inserted after1.\n\n\u2022 nested item\n\nOutline heading\n\n1 See the annex."
    )
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("paragraph", 0), ("list_item", 2), ("heading", 3), ("footnote", 0),
    ]
    assert doc.title is None  # no core properties in the package


def test_docx_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "plain.docx"
    path.write_text("The parties agree.", encoding="utf-8")
    assert refused(path).endswith("not a Word .docx file (it is not a ZIP package)")


def test_old_word_file_renamed_docx_is_refused(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "it is an old .doc or a password-protected document" in refused(path)


def test_zip_without_word_document_is_refused(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert "not a Word .docx file" in refused(path)


def test_zip_bomb_docx_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/document.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(30):  # 31 MB of zeros compress to about 30 kB
                member.write(block)
    assert path.stat().st_size < 100_000
    assert refused(path).endswith(
        "refused: the .docx expands to 31 MB (looks like a zip bomb)"
    )


def test_docx_over_total_unzipped_size_is_refused(tmp_path, monkeypatch):
    path = write_docx(AGREEMENT.read_text(encoding="utf-8"), tmp_path / "big.docx")
    monkeypatch.setattr(word, "MAX_UNZIPPED", 20_000)
    assert "looks like a zip bomb" in refused(path)


# PDF ---------------------------------------------------------------------------

SAMPLE = """INTRODUCTION

The London Partners' plans are strongly supported by the Government. They will
help to secure improvements in the health and wellbeing of London's residents.

a) Capital and estates

London partners are committed to:

 increasing value from unused estate;

 reinvesting disposal proceeds into the health and care system.
"""


def test_pdf_text_pages_and_title(tmp_path):
    path = write_pdf(SAMPLE, tmp_path / "sample.pdf", title="Sample Agreement")
    doc = read_document(path)
    assert doc.format == "pdf" and doc.title == "Sample Agreement"
    assert doc.blocks == (doc.blocks[0],) and doc.blocks[0].kind == "page"
    assert doc.blocks[0].page == 1
    assert doc.text == (
        "INTRODUCTION\n\n"
        "The London Partners' plans are strongly supported by the Government. "
        "They will help to secure\n"
        "improvements in the health and wellbeing of London's residents.\n\n"
        "a) Capital and estates\n\n"
        "London partners are committed to:\n\n"
        "- increasing value from unused estate;\n\n"
        "- reinvesting disposal proceeds into the health and care system."
    )


def test_pdf_title_falls_back_to_first_line(tmp_path):
    path = write_pdf(SAMPLE, tmp_path / "untitled.pdf")
    assert read_document(path).title == "INTRODUCTION"


def test_pdf_running_heads_and_page_numbers_are_dropped(tmp_path):
    text = AGREEMENT.read_text(encoding="utf-8")
    head = "London Health Devolution Agreement - December 2015"
    doc = read_document(write_pdf(text, tmp_path / "paged.pdf", running_head=head))
    assert len(doc.blocks) >= 5
    assert [b.page for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    assert "December 2015\n" not in doc.text and "Page " not in doc.text
    assert not re.search(r"^Page \d+ of \d+$", doc.text, re.MULTILINE)
    for before, after in zip(doc.blocks, doc.blocks[1:]):
        assert doc.text[before.end:after.start] in ("\n", "\n\n")
    assert doc.blocks[0].start == 0 and doc.blocks[-1].end == len(doc.text)
    assert_blocks_slice(doc)


def test_truncated_pdf_is_refused(tmp_path):
    whole = write_pdf(SAMPLE, tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    assert "the PDF is damaged or truncated: " in refused(path)


def test_corrupt_pdf_is_refused(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"not an object " * 50 + b"\n%%EOF\n")
    assert "the PDF is damaged or truncated: " in refused(path)


def test_repaired_pdf_reads_with_a_warning(tmp_path):
    whole = write_pdf(SAMPLE, tmp_path / "whole.pdf").read_bytes()
    first_line = whole.index(b"\n") + 1
    path = tmp_path / "shifted.pdf"  # a comment shifts every object: the xref is off
    path.write_bytes(whole[:first_line] + b"%" + b"x" * 37 + b"\n" + whole[first_line:])
    doc = read_document(path)
    assert doc.text == read_document(tmp_path / "whole.pdf").text
    assert doc.warnings[0].startswith("the PDF has format errors that were worked around (")


def test_password_protected_pdf_is_refused(tmp_path):
    text = "The parties agree. " * 10
    path = one_page_pdf(tmp_path / "locked.pdf", text, owner_password="o", user_password="secret")
    assert refused(path).endswith("the PDF is password-protected")


def test_pdf_with_only_an_owner_password_reads(tmp_path):
    path = one_page_pdf(tmp_path / "owner.pdf", "The parties agree. " * 10, owner_password="o")
    assert read_document(path).text.startswith("The parties agree.")


def test_scanned_pdf_is_refused(tmp_path):
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (200, 280), color=200).save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=190)
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert refused(path).endswith("the PDF has no text layer (it looks like a scan); run OCR first")


def test_blank_page_among_text_pages_is_a_warning(tmp_path):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for page in range(3):
        pdf.add_page()
        if page != 1:
            pdf.multi_cell(0, 6, "The parties agree to share data on every page. " * 5)
    path = tmp_path / "gap.pdf"
    pdf.output(str(path))
    doc = read_document(path)
    assert [b.page for b in doc.blocks] == [1, 3]
    assert any("no text on page 2" in w for w in doc.warnings)


def test_pdf_over_page_limit_is_refused(tmp_path):
    path = write_pdf(AGREEMENT.read_text(encoding="utf-8"), tmp_path / "long.pdf")
    assert "pages, over the limit of 2 (--max-pages)" in refused(path, max_pages=2)


# Misnamed files ------------------------------------------------------------------


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(write_pdf(SAMPLE, tmp_path / "real.pdf").read_bytes())
    doc = read_document(path)
    assert doc.format == "pdf" and doc.text.startswith("INTRODUCTION\n\n")
    assert doc.warnings[0] == "this is a PDF file despite its .txt name; read as PDF"


def test_docx_named_html_is_read_as_docx(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(write_docx(SAMPLE, tmp_path / "real.docx").read_bytes())
    doc = read_document(path)
    assert doc.format == "docx" and doc.text.startswith("INTRODUCTION\n\n")
    assert "Word .docx file despite its .html name" in doc.warnings[0]


@pytest.mark.parametrize(
    ("content", "looks"),
    [
        (b"The parties agree to share data.\n", "it looks like text"),
        (b"<!DOCTYPE html><html><body>Access denied</body></html>", "it is an HTML page"),
    ],
)
def test_text_named_pdf_is_refused(tmp_path, content, looks):
    path = tmp_path / "download.pdf"
    path.write_bytes(content)
    message = refused(path)
    assert "not a PDF file (it does not start with %PDF-" in message and looks in message


def test_unsupported_extension_is_refused(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    assert "unsupported file type '.xlsx'" in refused(path)


def test_missing_file_is_refused(tmp_path):
    assert refused(tmp_path / "nowhere.txt").endswith("no such file")


# Generated renderings of the corpus agreement -------------------------------------


@pytest.fixture(scope="module")
def renderings(tmp_path_factory):
    text = AGREEMENT.read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("renderings")
    title = "London health devolution agreement"
    return {
        "pdf": write_pdf(text, folder / "agreement.pdf", title=title),
        "docx": write_docx(text, folder / "agreement.docx", title=title),
        "html": write_html(text, folder / "agreement.html", title=title),
    }


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_renderings_read_back(renderings, fmt):
    doc = read_document(renderings[fmt])
    assert doc.format == fmt
    assert doc.doc_id == "agreement"
    assert doc.title == "London health devolution agreement"
    assert KNOWN in squash(doc.text)
    assert doc.warnings == ()
    assert_blocks_slice(doc)
    assert read_document(renderings[fmt]) == doc  # deterministic


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_structured_renderings_keep_the_structure(renderings, fmt):
    doc = read_document(renderings[fmt])
    items = parse_plain(AGREEMENT.read_text(encoding="utf-8"))
    expected = [
        ("list_item" if kind == "bullet" else kind, level, text) for kind, level, text in items
    ]
    found = [(b.kind, b.level, doc.text[b.start:b.end]) for b in doc.blocks]
    assert found == expected
    assert sum(kind == "list_item" for kind, _, _ in found) == 15


def test_pdf_rendering_keeps_paragraph_breaks(renderings):
    doc = read_document(renderings["pdf"])
    paragraphs = [squash(p) for p in doc.text.split("\n\n")]
    assert "OVERARCHING PRINCIPLES" in paragraphs
    assert "h) Governance arrangements and accountability" in paragraphs
    assert any(p.startswith(KNOWN) for p in paragraphs)


# Collecting paths -------------------------------------------------------------------


def test_collect_paths_walks_folders_sorted_and_warns(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ["b/z.txt", "a/deep/x.md", "a/y.pdf", "c.html", "notes.xlsx", ".hidden.txt",
                 ".git/config.txt", "README.md", "Deal.TXT"]:
        (tmp_path / name).write_text("text", encoding="utf-8")
    given = tmp_path / "b" / "z.txt"
    paths, warnings = collect_paths([given, tmp_path])
    assert paths == [
        given,
        tmp_path / "Deal.TXT",
        tmp_path / "a" / "deep" / "x.md",
        tmp_path / "a" / "y.pdf",
        tmp_path / "c.html",
    ]
    assert warnings == [
        f"{tmp_path / 'README.md'}: skipped (a README describes its folder; name the file to read it)",
        f"{tmp_path / 'notes.xlsx'}: skipped ('.xlsx' files are not read)",
    ]


def test_a_readme_named_explicitly_is_read(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("text", encoding="utf-8")
    assert collect_paths([readme]) == ([readme], [])


def test_collect_paths_is_deterministic(tmp_path):
    for name in ["q.txt", "p.md", "r.html"]:
        (tmp_path / name).write_text("text", encoding="utf-8")
    assert collect_paths([tmp_path]) == collect_paths([tmp_path])


def test_collect_paths_warns_about_shared_document_ids(tmp_path):
    (tmp_path / "Deal 1.txt").write_text("text", encoding="utf-8")
    (tmp_path / "deal-1.md").write_text("text", encoding="utf-8")
    paths, warnings = collect_paths([tmp_path])
    assert len(paths) == 2
    assert warnings == [
        f"{tmp_path / 'Deal 1.txt'}, {tmp_path / 'deal-1.md'}: "
        "these files share the document id 'deal-1'"
    ]


def test_collect_paths_refuses_a_missing_path(tmp_path):
    with pytest.raises(InputError) as caught:
        collect_paths([tmp_path / "absent"])
    assert str(caught.value) == f"{tmp_path / 'absent'}: no such file or folder"


def test_collect_paths_skips_an_explicit_unsupported_file(tmp_path):
    path = tmp_path / "scan.tiff"
    path.write_bytes(b"II*\x00")
    assert collect_paths([path]) == ([], [f"{path}: skipped ('.tiff' files are not read)"])


def test_supported_extensions():
    assert SUPPORTED == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}


@pytest.mark.parametrize(
    ("stem", "slug"),
    [("London Health Devolution Agreement 2015", "london-health-devolution-agreement-2015"),
     ("Über_Vertrag__v2", "uber-vertrag-v2"), ("--x--", "x")],
)
def test_doc_id_is_a_slug_of_the_stem(tmp_path, stem, slug):
    path = tmp_path / f"{stem}.txt"
    path.write_text("text", encoding="utf-8")
    assert read_document(path).doc_id == slug


def test_doc_id_of_a_name_without_ascii_letters(tmp_path):
    path = tmp_path / "\u5408\u610f.txt"
    path.write_text("text", encoding="utf-8")
    assert re.fullmatch(r"doc-[0-9a-f]{8}", read_document(path).doc_id)


def test_reading_is_deterministic_for_text(tmp_path):
    path = tmp_path / "same.txt"
    path.write_text("The parties agree.\n", encoding="utf-8")
    assert read_document(path) == read_document(path)
    assert os.fspath(path) == read_document(path).path

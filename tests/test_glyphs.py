"""Text the embedded font cannot show (emoji, rare symbols): the checker names it, field and
U+XXXX, and the DOCX and the PDF print the same substitute in its place (read both back)."""

from __future__ import annotations

import io
import json
import re

import docx
import pdfplumber

from dirdesk import fonts
from dirdesk.checks import ERROR, check_draft
from dirdesk.cli import main
from dirdesk.draft import draft_from_dict, load_draft
from dirdesk.glyphs import SUBSTITUTE, printable
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from tests.readback import FIXTURES

PARTY = "🎉"  # U+1F389
CHECK = "✅"  # U+2705
VS16 = "\ufe0f"  # emoji presentation selector: invisible, dropped


def with_emoji(name: str = "state-cong-van.json"):
    data = json.loads((FIXTURES / name).read_text("utf-8"))
    data["subject"] = f"V/v tổ chức Tết {PARTY} cho thiếu nhi"
    data["body"] = f"Đề nghị các tổ dân phố {CHECK}{VS16} hoàn thành trước ngày 20.\n" + data["body"]
    data["signer"]["name"] = "Nguyễn Văn An"
    return draft_from_dict(data)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(p.text for row in table.rows for cell in row.cells for p in cell.paragraphs)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_checker_names_the_characters_their_field_and_code_point():
    findings = [f for f in check_draft(with_emoji()) if f.code == "text.no-glyph"]
    by_field = {f.field: f for f in findings}
    assert set(by_field) == {"subject", "body"}
    assert f"'{PARTY}' (U+1F389)" in by_field["subject"].message
    assert f"'{CHECK}' (U+2705)" in by_field["body"].message
    assert "FE0F" not in by_field["body"].message  # the invisible selector is no character to put right
    assert all(f.severity == ERROR for f in findings)
    assert fonts.embedded().family in by_field["subject"].message
    assert "Phụ lục I, mục I.4" in by_field["subject"].source  # Nghị định 30/2020: Times New Roman


def test_a_clean_draft_has_no_such_finding():
    for name in ("state-cong-van.json", "seed-000.json", "seed-003.json"):
        assert not [f for f in check_draft(load_draft(FIXTURES / name)) if f.code == "text.no-glyph"], name


def test_docx_and_pdf_carry_the_same_substitute():
    doc = build_layout(with_emoji())
    in_docx = squash(docx_text(render_docx_bytes(doc)))
    in_pdf = squash(pdf_text(render_pdf_bytes(doc)))
    for text in (in_docx, in_pdf):
        assert PARTY not in text and CHECK not in text and VS16 not in text
        assert f"tổ chức Tết {SUBSTITUTE} cho thiếu nhi" in text
        assert f"tổ dân phố {SUBSTITUTE} hoàn thành" in text


def test_the_draft_keeps_what_the_clerk_typed():
    draft = with_emoji()
    build_layout(draft)
    assert PARTY in draft.subject and CHECK in draft.body


def test_printable_replaces_each_stretch_once_and_drops_invisible_marks():
    assert printable("Tổ 1 👨\u200d👩\u200d👧 xong") == f"Tổ 1 {SUBSTITUTE} xong"  # one family emoji, one mark
    assert printable(f"©{VS16} 2026") == "© 2026"  # the symbol is in the font; its selector goes
    assert printable("Phường Ngô Quyền – “Đảng uỷ”") == "Phường Ngô Quyền – “Đảng uỷ”"
    assert printable("a\U0001F600b\nc") == f"a{SUBSTITUTE}b\nc"


def test_dirdesk_check_prints_the_finding(tmp_path, capsys):
    data = json.loads((FIXTURES / "seed-000.json").read_text("utf-8"))
    data["subject"] = f"{data['subject']} {PARTY}"
    path = tmp_path / "emoji.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "LỖI subject:" in out and "U+1F389" in out and "Phông chữ của tệp PDF" in out


def test_dirdesk_render_names_the_font_and_warns_of_what_it_replaced(tmp_path, capsys):
    path = tmp_path / "emoji.json"
    path.write_text(json.dumps(with_emoji().to_dict(), ensure_ascii=False), "utf-8")
    assert main(["render", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"đã ghi {tmp_path / 'emoji.pdf'} (phông {fonts.embedded().family})" in captured.out
    assert "chú ý: subject:" in captured.err and "U+1F389" in captured.err and "chú ý: body:" in captured.err
    assert SUBSTITUTE in docx_text((tmp_path / "emoji.docx").read_bytes())


def test_every_field_is_looked_at_with_its_place_in_lists():
    data = json.loads((FIXTURES / "state-cong-van.json").read_text("utf-8"))
    data["recipients"][1] = data["recipients"][1] + " ★"  # U+2605: not in the font
    data["signer"]["title"] = "CHỦ TỊCH ⚑"
    fields = {f.field for f in check_draft(draft_from_dict(data)) if f.code == "text.no-glyph"}
    assert fields == {"recipients[1]", "signer.title"}

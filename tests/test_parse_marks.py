"""The optional marks read out of a received document (dirdesk/intake/marks_of.py): our own PDFs of the
two mark fixtures give them back, and none of them is taken for the signer, the body or Nơi nhận."""

import pytest

from dirdesk.draft import draft_from_dict, load_draft
from dirdesk.intake import parse_file, parse_text
from dirdesk.layout import build_layout
from dirdesk.render import render_pdf_bytes

from .conftest import FIXTURES


@pytest.mark.parametrize("name", ["party-nghi-quyet-du-thao", "state-cong-van-chi-dan"])
def test_our_pdf_gives_its_marks_back(tmp_path, name):
    draft = load_draft(FIXTURES / f"{name}.json")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_pdf_bytes(build_layout(draft)))
    parsed = parse_file(path)
    back = draft_from_dict(parsed)
    expected = draft.marks
    if draft.style == "state":  # read as printed: "PL.(30)"
        expected = type(expected)(**{**vars(expected), "drafter": expected.drafter.upper()})
    assert back.marks == expected
    assert back.signer == draft.signer and back.cc == draft.cc
    assert back.body == draft.body and back.subject == draft.subject


def test_a_body_line_with_a_telephone_number_stays_in_the_body():
    lines = ["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Số: 12/GM-UBND", "Ba Đình, ngày 05 tháng 11 năm 2026", "GIẤY MỜI",
             "Ủy ban nhân dân phường trân trọng kính mời đồng chí dự hội nghị.",
             "Mọi chi tiết xin liên hệ đồng chí Lan, điện thoại: 0912.345.678.", "Nơi nhận:", "- Như trên;",
             "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]
    parsed = parse_text(lines)
    assert "điện thoại: 0912.345.678" in parsed["body"] and "contact" not in parsed
    assert not {"draft_round", "circulation", "no_media", "drafter", "copies"} & set(parsed)

"""The reading phases of intake/zones.py, each on its own: run in order up to the phase tested,
on the lines of a document, and what that phase found."""

from __future__ import annotations

from dirdesk.intake import zones
from dirdesk.intake.wording import plain

STATE = ["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "Số: 856/UBND-VP", "V/v phòng cháy", "chữa cháy", "",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Ba Đình, ngày 14 tháng 10 năm 2025", "",
         "Kính gửi:", "- Công an phường Ba Đình;", "- Ban Chỉ huy Quân sự", "phường Ba Đình.", "", "Nội dung thứ nhất.",
         "", "Nội dung thứ hai.", "", "Nơi nhận:", "- Như trên;", "- Lưu: VT, VP.", "", "TM. ỦY BAN NHÂN DÂN",
         "CHỦ TỊCH", "", "Nguyễn Văn An"]


def _upto(lines, last):
    doc = zones.Doc(raw=list(lines), plains=[plain(line) for line in lines])
    for phase in zones.PHASES:
        phase(doc)
        if phase is last:
            return doc
    raise AssertionError(last)


def test_ends_finds_noi_nhan_or_a_signature_without_its_heading():
    doc = _upto(STATE, zones.ends)
    assert doc.cc_at == 19 and doc.limit == 19 and doc.headless is None
    headless = [line for line in STATE if line != "Nơi nhận:"]
    doc = _upto(headless, zones.ends)
    assert doc.cc_at is None and headless[doc.headless] == "- Như trên;" and doc.limit == doc.headless
    doc = _upto(headless, zones.signature)
    assert doc.result["cc"] == ["Như trên", "Lưu: VT, VP"] and doc.result["signer"]["title"] == "CHỦ TỊCH"
    assert doc.result["body"] == "Nội dung thứ nhất.\nNội dung thứ hai."


def test_the_header_phases():
    doc = _upto(STATE, zones.national)
    assert doc.style == "state" and {6, 7} <= doc.used
    doc = _upto(STATE, zones.number_line)
    assert (doc.sym_at, doc.sym_parts, doc.result["number"]) == (2, (856, "/", "UBND-VP"), 856)
    doc = _upto(STATE, zones.date_line)
    assert (doc.result["place"], doc.result["date"]) == ("Ba Đình", "2025-10-14")
    doc = _upto(STATE, zones.type_and_code)
    assert doc.title_at is None and doc.result["type"] == "CV"
    assert (doc.result["issuer"]["code"], doc.result["issuer"]["unit"]) == ("UBND", "VP")
    doc = _upto(STATE, zones.issuer)
    assert doc.result["issuer"]["name"] == "ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH" and doc.result["issuer"]["parent"] is None


def test_title_takes_a_types_exact_name_over_a_line_like_one():
    lines = ["ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU", "PHÒNG VĂN HÓA VÀ", "THÔNG TIN", "Số: 25/TB-VHTT", "",
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "THÔNG BÁO", "Về việc hội thi", "", "Nội dung."]
    doc = _upto(lines, zones.title)
    assert lines[doc.title_at] == "THÔNG BÁO" and doc.title_type[:2] == ("state", "TB")


def test_subject_recipients_body_and_signature():
    doc = _upto(STATE, zones.subject)
    assert doc.result["subject"] == "V/v phòng cháy chữa cháy"
    doc = _upto(STATE, zones.recipients)
    assert doc.result["recipients"] == ["Công an phường Ba Đình", "Ban Chỉ huy Quân sự phường Ba Đình"]
    doc = _upto(STATE, zones.body)
    assert doc.result["body"] == "Nội dung thứ nhất.\nNội dung thứ hai." and doc.result["preamble"] is None
    doc = _upto(STATE, zones.signature)
    assert doc.result["cc"] == ["Như trên", "Lưu: VT, VP"]
    assert doc.result["signer"] == {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn An"}


def test_a_decisions_preamble_is_kept_apart_from_its_body():
    lines = ["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "Số: 12/QĐ-UBND", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Ba Đình, ngày 14 tháng 10 năm 2025", "", "QUYẾT ĐỊNH", "Về việc thành lập Tổ công tác", "",
             "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH", "Căn cứ Luật Tổ chức chính quyền địa phương;",
             "QUYẾT ĐỊNH:", "Điều 1. Thành lập Tổ công tác."]
    doc = _upto(lines, zones.body)
    assert doc.result["type"] == "QĐ" and doc.result["subject"] == "Về việc thành lập Tổ công tác"
    assert doc.result["preamble"].split("\n")[1] == "Căn cứ Luật Tổ chức chính quyền địa phương;"
    assert doc.result["body"].startswith("# QUYẾT ĐỊNH:")

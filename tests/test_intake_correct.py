"""What OCR loses and the reader puts back: tone marks (correct.py), a signing title cut or run
into a Nơi nhận line, the handwritten blanks of page 1 (handwriting.py), a wrapped recipient."""

from __future__ import annotations

import pytest

from dirdesk.intake import handwriting
from dirdesk.intake.confidence import reading_of
from dirdesk.intake.correct import correct_line, known, strip_tones
from dirdesk.intake.parse import parse_text


@pytest.mark.parametrize(("read", "meant"), [
    ("giải quyêt khiếu nại", "giải quyết khiếu nại"),  # a checked syllable without its tone
    ("Sở Kế hoạch và Đâu tư", "Sở Kế hoạch và Đầu tư"),
    ("PHO CHU TỊCH", "PHÓ CHỦ TỊCH"),
    ("PHÓ CHỦ TỊC", "PHÓ CHỦ TỊCH"),  # the last letter lost
    ("CHÁNH VAN PHONG", "CHÁNH VĂN PHÒNG"),
    ("Lê Văn Hung", "Lê Văn Hùng"),  # a name line: a known name
    ("- PCT UBND tỉnh; CHÁNH VAN PHONG", "- PCT UBND tỉnh; CHÁNH VĂN PHÒNG"),
])
def test_lost_tone_marks_and_cut_titles_are_put_back(read, meant):
    assert correct_line(read) == meant


@pytest.mark.parametrize("line", [
    "Trân trọng cảm ơn.",  # a known word without a tone mark stays
    "Quảng Ngãi, ngày 04 tháng 02 năm 2025",
    "KT. CHỦ TỊCH",  # not a title alone: the authority
    "TỜ TRÌNH",  # a type name, not "TỔ TRƯỞNG"
    "Số: 12/UBND-VP",
    "xyz qwe",  # unknown words with no candidate stay as read
])
def test_what_is_right_or_unknown_is_left_as_read(line):
    assert correct_line(line) == line


def test_strip_tones_keeps_the_other_marks():
    assert strip_tones("triển") == "triên" and strip_tones("Trần") == "Trân" and strip_tones("đường") == "đương"


def test_confidence_on_a_scan_marks_unknown_words_and_handwriting():
    parsed = {"issuer": {"name": "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI"}, "type": "CV",
              "subject": "V/v xqzt bổ sung", "recipients": ["Sở Tài chính"],
              "signer": {"title": "CHỦ TỊCH", "name": "Nguyễn Văn Hùng"}}
    reading = reading_of(parsed, scan=True, handwritten=["day"])
    assert reading["handwritten"] == ["doc_date"]
    assert reading["confidence"] == {"author": "sure", "symbol": "sure", "doc_date": "check", "type": "sure",
                                     "subject": "check", "recipient": "sure", "signer": "sure"}
    assert set(reading_of(parsed, scan=False, handwritten=[])["confidence"].values()) == {"sure"}
    assert known("Ủy ban nhân dân TTHC") and not known("lmà|š")


def _data(words):
    """A Tesseract image_to_data dict of one line of (text, left, width, conf) words."""
    d = {k: [] for k in ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")}
    for text, left, width, conf in words:
        for k, v in (("text", text), ("conf", conf), ("left", left), ("top", 100), ("width", width),
                     ("height", 50), ("block_num", 1), ("par_num", 1), ("line_num", 1)):
            d[k].append(v)
    return d


def test_the_blanks_are_found_between_the_typed_words_even_run_together():
    data = _data([("Số:", 400, 62, 93), ("†4/UBND-KTTH", 477, 439, 0), ("ngày", 1532, 104, 93),
                  ("O†tháng", 1645, 195, 76), ("02", 1856, 49, 96), ("năm", 1922, 88, 96), ("2025", 2027, 108, 96)])
    blanks = {b.name: b for b in handwriting.find_blanks(data, 3500)}
    assert set(blanks) == {"number", "day"}
    number, day = blanks["number"], blanks["day"]
    assert 455 <= number.box[0] <= 475 and 540 <= number.box[2] <= 600  # after "Số:", before "/UBND"
    assert 1630 <= day.box[0] <= 1645 and 1650 <= day.box[2] <= 1710
    number.value, day.value = "574", None
    handwriting.fill_blanks(data, [number, day])
    words = [t for t in data["text"] if t]
    assert words[:2] == ["Số:", "/UBND-KTTH"] and "574" in words and "tháng" in words and "O†tháng" not in words


def test_a_typed_number_is_not_handwritten_and_disagreeing_readings_give_nothing():
    data = _data([("Số:", 400, 62, 96), ("12", 480, 40, 96), ("/UBND-VP", 540, 200, 96)])
    (blank,) = handwriting.find_blanks(data, 3500)
    assert handwriting._typed(data, blank) == "12"
    assert handwriting._agreed(["544", "514", "54410", "544", ""], "number") is None
    assert handwriting._agreed(["04", "04", "4", "04", "6"], "day") == "04"
    assert handwriting._agreed(["34", "34", "34", "4"], "day") is None  # no 34th day


def test_a_recipient_wrapped_onto_the_next_line_and_a_signature_without_its_noi_nhan_heading():
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 23/BC-UBND", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 23 tháng 01 năm 2025", "", "BÁO CÁO",
             "Tình hình thực hiện", "", "Kính gửi:", "- Văn phòng Chính phủ;",
             "- Bộ trưởng Bộ Nội vụ, Tổ phó Tổ công tác cải cách", "thủ tục hành chính của Thủ tướng Chính phủ.",
             "Nội dung báo cáo như sau.", "TL. CHỦ TỊCH", "- Như trên;", "- Lưu: VT; CHÁNH VĂN PHÒNG", "",
             "Nguyễn Quốc Việt"]
    got = parse_text(lines)
    assert got["recipients"] == ["Văn phòng Chính phủ", "Bộ trưởng Bộ Nội vụ, Tổ phó Tổ công tác cải cách "
                                 "thủ tục hành chính của Thủ tướng Chính phủ"]
    assert got["signer"] == {"authority": "TL. CHỦ TỊCH", "title": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Quốc Việt"}
    assert got["cc"] == ["Như trên", "Lưu: VT"]
    assert got["body"] == "Nội dung báo cáo như sau."


def _page_with_a_frame(skew: float = 0.0):
    from PIL import Image, ImageDraw

    image = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 600, 690, 820), outline=0, width=4)  # a ĐẾN stamp: 5.3 × 1.9 cm
    draw.line((200, 600, 200, 820), fill=0, width=3)
    draw.line((560, 330, 760, 330), fill=0, width=3)  # the rule under the issuer: no frame
    draw.line((1310, 330, 1910, 330), fill=0, width=3)
    draw.rectangle((200, 1500, 2300, 2200), outline=0, width=3)  # a table: wider than a stamp
    return image.rotate(skew, fillcolor=255) if skew else image


@pytest.mark.parametrize("skew", [0.0, 1.0])
def test_another_offices_framed_stamp_is_found_and_its_words_dropped(skew):
    from dirdesk.intake import frames

    found = frames.stamp_frames(_page_with_a_frame(skew), 300)
    assert len(found) == 1
    left, top, right, bottom = found[0]
    assert abs(left - 60) < 30 and abs(right - 690) < 30 and abs(top - 600) < 30 and abs(bottom - 820) < 30
    data = _data([("lmà|š", 300, 60, 20), ("hành", 900, 100, 96)])
    data["top"] = [690, 690]
    frames.outside_frames(data, found)
    assert data["text"] == ["", "hành"]


def test_a_number_typed_against_the_slash_is_typed():
    data = _data([("Số:", 400, 62, 96), ("856/UBND-VP", 480, 300, 80)])
    (blank,) = handwriting.find_blanks(data, 3500)
    assert handwriting._typed(data, blank) == "856"


@pytest.mark.parametrize(("read", "meant"), [
    ("về việc chuẩn bị đại hội chỉ bộ nhiệm kỳ", "về việc chuẩn bị đại hội chi bộ nhiệm kỳ"),  # a wrong tone
    ("V⁄w chỉ đạo tăng cường", "V/v chỉ đạo tăng cường"),
])
def test_a_wrong_tone_mark_gives_way_only_to_strong_evidence(read, meant):
    assert correct_line(read) == meant


def test_a_signatures_scribble_is_not_its_title_nor_specks_its_name():
    from dirdesk.intake.wording import is_scribble

    got = parse_text(["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "Số: 12/UBND-VP", "V/v họp", "", "Nội dung.",
                      "Nơi nhận:", "- Lưu: VT.", "", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "YÀY) ¡WW", "'WVWV",
                      "_Nguyễn Đức Giang"])
    assert got["signer"] == {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Đức Giang"}
    assert not any(is_scribble(t) for t in ("TM. BCH", "T/M BAN THƯỜNG VỤ", "Y Jút", "HĐND"))

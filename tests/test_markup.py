"""Body markup: emphasis, nesting, escapes, centred lines, dash and numbered items."""

from dirdesk.markup import Span, parse_body, parse_inline, spans_to_markup


def styles(text):
    return [(s.text, s.bold, s.italic, s.underline) for s in parse_inline(text)]


def test_bold_italic_underline():
    assert styles("a **b** *c* __d__") == [
        ("a ", False, False, False), ("b", True, False, False), (" ", False, False, False),
        ("c", False, True, False), (" ", False, False, False), ("d", False, False, True),
    ]


def test_nesting():
    assert styles("**đậm *và nghiêng* đậm**") == [
        ("đậm ", True, False, False), ("và nghiêng", True, True, False), (" đậm", True, False, False),
    ]
    assert styles("***cả hai***") == [("cả hai", True, True, False)]
    assert styles("__gạch **đậm**__") == [("gạch ", False, False, True), ("đậm", True, False, True)]


def test_escapes_print_literally():
    assert styles(r"Mục \*1\* và a\_b") == [("Mục *1* và a_b", False, False, False)]


def test_unpaired_or_spaced_markers_stay_literal():
    assert styles("5 * 3 = 15") == [("5 * 3 = 15", False, False, False)]
    assert styles("**chưa đóng") == [("**chưa đóng", False, False, False)]


def test_line_kinds():
    body = "# QUYẾT ĐỊNH:\n\n- Mục gạch đầu dòng;\n1. Mục một\n2.1. Mục con\na) Điểm a\nII. NỘI DUNG\nĐoạn thường"
    kinds = [(line.kind, line.text) for line in parse_body(body)]
    assert kinds == [
        ("heading", "QUYẾT ĐỊNH:"), ("dash", "- Mục gạch đầu dòng;"), ("numbered", "1. Mục một"),
        ("numbered", "2.1. Mục con"), ("numbered", "a) Điểm a"), ("numbered", "II. NỘI DUNG"),
        ("text", "Đoạn thường"),
    ]


def test_blank_lines_are_ignored():
    assert len(parse_body("a\n\n\n   \nb")) == 2


def test_markup_round_trip():
    for text in ["a **b *c* d** e", r"x \* y \_ z", "__u__ thường", "Phát động \"*Phát hiện sớm*\"."]:
        spans = parse_inline(text)
        again = parse_inline(spans_to_markup(spans))
        assert "".join(s.text for s in again) == "".join(s.text for s in spans)
        assert [(s.bold, s.italic, s.underline) for s in again if s.text.strip()] == [
            (s.bold, s.italic, s.underline) for s in spans if s.text.strip()]


def test_spans_to_markup_escapes():
    assert spans_to_markup([Span("3*4_5")]) == r"3\*4\_5"

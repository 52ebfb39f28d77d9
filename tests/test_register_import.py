"""Importing registers a clerk kept in Excel or CSV: the heading row found under
the titles, every skipped row reported with its row number and reason, the
good rows entered, numbered and searchable, and nothing written by a dry run
or by an import that fails part way."""

import csv
import dataclasses
import datetime as dt
import io
import json
import sqlite3
import unicodedata

import openpyxl
import pytest

from dirdesk.cli import main
from dirdesk.draft import load_draft
from dirdesk.registers import RegisterError, audit, incoming, open_registry, outgoing, search
from dirdesk.registers.columns import columns_of, year_period
from dirdesk.registers.importing import import_register
from dirdesk.registers.profile import load_profile, set_profile_value
from tests.conftest import FIXTURES

D = dt.date


def nfd(text: str) -> str:
    """Text as some keyboards and old files store it: letters and tone marks apart."""
    return unicodedata.normalize("NFD", text)


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed, tone marks apart."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return out


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


@pytest.fixture
def reg(tmp_path):
    with open_registry(tmp_path / "so.sqlite") as registry:
        yield registry


@pytest.fixture
def party(reg):
    set_profile_value(reg, "style", "party")
    set_profile_value(reg, "issuer", {"parent": "Đảng bộ phường Bách Quang", "name": "Đảng ủy phường Bách Quang",
                                      "code": "ĐU"})
    set_profile_value(reg, "place", "Bách Quang")
    return reg


def write_xlsx(path, rows, title="Sổ đi 2021"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path, rows, *, delimiter=",", encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def skipped(report):
    """The report's skipped rows as the clerk reads them: "dòng 14: thiếu ngày văn bản"."""
    return [str(s) for s in report.skipped_rows]


def outgoing_rows(reg):
    return reg.query("SELECT * FROM outgoing ORDER BY id")


def counts(reg):
    tables = ("outgoing", "incoming", "audit", "search_index")
    return {t: reg.one(f"SELECT COUNT(*) AS n FROM {t}")["n"] for t in tables}


# A Party register kept by hand: office and title above the headings, headings spelled
# the clerk's way (some in decomposed Unicode), the form's row of column numbers, Excel
# date cells and typed dates, a blank row, and the mistakes the report must name.
CLERK_OUTGOING = [
    ["ĐẢNG BỘ PHƯỜNG BÁCH QUANG"],
    [nfd("ĐẢNG ỦY PHƯỜNG BÁCH QUANG")],
    [None, None, nfd("SỔ ĐĂNG KÝ VĂN BẢN ĐI")],
    ["Năm 2021"],
    ["STT", nfd("Số, ký hiệu"), nfd("NGÀY THÁNG"), nfd("Tên loại và  trích yếu\nnội dung"), "Người ký",
     nfd("Nơi nhận"), "Ghi chú"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
    [1, "64-CV/ĐU", dt.datetime(2021, 9, 6), nfd("Công văn V/v tăng cường phòng, chống dịch Covid-19"),
     nfd("Nguyễn Văn Hùng"), nfd("Các chi bộ trực thuộc"), None],  # row 7
    [2, "65 - KH/ĐU", "07/09/2021", nfd("Kế hoạch tổ chức hội nghị sơ kết"), None, None, "KHẨN"],  # row 8
    [],  # row 9: blank
    [3, "66-CV/ĐU", "8/9/2021", "V/v triển khai Nghị quyết", None, None, None],  # row 10
    [4, None, "09/09/2021", "Công văn không ghi số", None, None, None],  # row 11: no symbol
    [5, "67-NQ/ĐU", "31/02/2021", "Nghị quyết chuyên đề", None, None, None],  # row 12: bad date
    [6, "66-CV/ĐU", "10/09/2021", "Công văn trùng số", None, None, None],  # row 13: repeats row 10
    [7, "68-TB/ĐU", None, "Thông báo kết luận", None, None, None],  # row 14: no date
    [8, "05-QĐ/ĐU", "2021-09-12", nfd("Quyết định về việc khen thưởng"), None, None, nfd("Hủy do ghi sai")],
    [9, "01-BC/ĐU", "02/09/2021", "Báo cáo tháng 8", None, None, None],  # row 16: number already in the register
    [10],  # row 17: a pre-numbered empty line
]


def test_a_clerks_outgoing_register_is_imported_and_every_bad_row_reported(party, tmp_path):
    reg = party
    outgoing.reserve(reg, "BC", on=D(2021, 9, 1))  # 01-BC/ĐU is already in the register
    path = write_xlsx(tmp_path / "so-di-2021.xlsx", CLERK_OUTGOING)

    report = import_register(reg, "outgoing", path)

    assert skipped(report) == [
        "dòng 11: thiếu số, ký hiệu văn bản",
        "dòng 12: ngày '31/02/2021' không hợp lệ ở cột «NGÀY THÁNG»",
        "dòng 13: số 66-CV/ĐU trùng với dòng 10 của tệp",
        "dòng 14: thiếu ngày văn bản",
        "dòng 16: số 01-BC/ĐU đã có trong sổ (ngày 01/09/2021)",
    ]
    assert (report.read, report.imported, report.skipped) == (9, 4, 5)
    assert report.heading_row == 5
    assert report.ignored_columns == ["STT"]

    rows = {r["symbol"]: r for r in outgoing_rows(reg)}
    assert set(rows) == {"01-BC/ĐU", "64-CV/ĐU", "65-KH/ĐU", "66-CV/ĐU", "05-QĐ/ĐU"}
    first = rows["64-CV/ĐU"]
    assert (first["seq_key"], first["number"], first["date"], first["type"]) == ("party/-/CV", 64, "2021-09-06", "CV")
    assert (first["type_name"], first["subject"]) == ("Công văn", "V/v tăng cường phòng, chống dịch Covid-19")
    assert first["signer"] == "Nguyễn Văn Hùng" and first["recipients"] == "Các chi bộ trực thuộc"
    assert (first["status"], first["draft_json"], first["docx_sha256"], first["pdf_sha256"]) == ("issued", None, None,
                                                                                                  None)
    plan = rows["65-KH/ĐU"]
    assert (plan["number"], plan["type"], plan["date"], plan["urgency"]) == (65, "KH", "2021-09-07", "KHẨN")
    assert (plan["type_name"], plan["subject"]) == ("Kế hoạch", "tổ chức hội nghị sơ kết")
    assert (rows["66-CV/ĐU"]["type_name"], rows["66-CV/ĐU"]["subject"]) == ("", "V/v triển khai Nghị quyết")
    assert rows["66-CV/ĐU"]["date"] == "2021-09-08"
    cancelled = rows["05-QĐ/ĐU"]
    assert (cancelled["status"], cancelled["cancel_reason"], cancelled["seq_key"]) == ("cancelled", "Hủy do ghi sai",
                                                                                      "party/-/QĐ")
    for row in rows.values():
        assert all(is_nfc(v) for v in row.values() if isinstance(v, str))

    # every row entered is in the audit log and in the search
    logged = {e["row_id"] for e in audit.history(reg, "outgoing", limit=100) if e["action"] == "insert"}
    assert logged == {r["id"] for r in rows.values()}
    hits = search.search(reg, "phong chong dich")
    assert [h.symbol for h in hits] == ["64-CV/ĐU"]
    assert [h.symbol for h in search.search(reg, "Hùng")] == ["64-CV/ĐU"]
    assert [h.symbol for h in search.search(reg, "66-CV/ĐU")] == ["66-CV/ĐU"]

    # numbering continues after the highest number imported in each sequence
    assert outgoing.preview_next(reg, "CV", on=D(2021, 10, 1)).symbol == "67-CV/ĐU"
    assert outgoing.preview_next(reg, "QĐ", on=D(2021, 10, 1)).number == 6


def test_state_register_as_semicolon_csv_infers_the_style_and_shares_the_years_sequence(reg, tmp_path):
    set_profile_value(reg, "issuer", {"name": "Ủy ban nhân dân phường Bách Quang", "code": "UBND"})
    path = write_csv(tmp_path / "so-di.csv", [
        ["UBND PHƯỜNG BÁCH QUANG", "", "", ""],
        ["SỔ ĐĂNG KÝ VĂN BẢN ĐI", "", "", ""],
        [nfd("Số ký hiệu"), nfd("Ngày văn bản"), nfd("Trích yếu"), nfd("Nơi nhận")],
        ["05/QĐ-UBND", "03/01/2025", nfd("Quyết định về việc thành lập Tổ công tác"), "Các tổ dân phố"],
        ["Số: 12 / UBND-VP", "15/01/2025", "V/v phòng cháy, chữa cháy", "Công an phường"],
        ["05/UBND-VP", "16/01/2025", "V/v dùng lại số 05", ""],
        ["13/KH-UBND", "20/01/2025", "Kế hoạch năm 2025", ""],
        ["07/QĐ-UBND", "05/01/2024", "Quyết định năm trước", ""],
    ], delimiter=";")

    report = import_register(reg, "outgoing", path)

    assert load_profile(reg).style == "state"
    assert "đã ghi vào hồ sơ" in report.notes[0]
    assert skipped(report) == [
        "dòng 6: số 05/UBND-VP: số 05 (năm 2025, chung mọi loại) đã dùng cho 05/QĐ-UBND ở dòng 4 của tệp",
    ]
    rows = {r["symbol"]: r for r in outgoing_rows(reg)}
    assert {s: (r["number"], r["type"], r["seq_key"]) for s, r in rows.items()} == {
        "05/QĐ-UBND": (5, "QĐ", "state/2025/*"),
        "12/UBND-VP": (12, "CV", "state/2025/*"),
        "13/KH-UBND": (13, "KH", "state/2025/*"),
        "07/QĐ-UBND": (7, "QĐ", "state/2024/*"),
    }
    assert rows["05/QĐ-UBND"]["type_name"] == "Quyết định"
    assert outgoing.preview_next(reg, "QĐ", on=D(2025, 2, 1)).symbol == "14/QĐ-UBND"
    assert outgoing.preview_next(reg, "QĐ", on=D(2024, 2, 1)).number == 8

    later = write_csv(tmp_path / "bo-sung.csv", [["Số ký hiệu", "Ngày tháng", "Trích yếu"],
                                                 ["12/TB-UBND", "02/02/2025", "Thông báo"]])
    assert skipped(import_register(reg, "outgoing", later)) == [
        "dòng 2: số 12/TB-UBND: số 12 (năm 2025, chung mọi loại) đã dùng cho 12/UBND-VP ngày 15/01/2025 (đã ban hành)"]


def test_the_style_is_refused_when_the_symbols_cannot_tell_it(reg, tmp_path):
    path = write_csv(tmp_path / "so.csv", [
        ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Trích yếu"],
        ["05/QĐ-UBND", "03/01/2025", "a"],
        ["66-CV/ĐU", "03/01/2025", "b"],
    ])
    with pytest.raises(RegisterError, match="có cả hai dạng.*dirdesk profile set style"):
        import_register(reg, "outgoing", path)
    assert load_profile(reg).style is None and counts(reg)["outgoing"] == 0


def test_a_clerks_incoming_register(reg, tmp_path):
    incoming.add(reg, incoming.IncomingEntry(received_date=D(2024, 3, 1), symbol="01/UBND-VP", subject="Có sẵn"))
    path = write_xlsx(tmp_path / "so-den.xlsx", [
        [nfd("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")],
        ["Năm 2024"],
        [nfd("Ngày đến"), nfd("Số đến"), nfd("Cơ quan ban hành"), "Số, ký hiệu văn bản", "Ngày tháng",
         nfd("Trích yếu"), nfd("Người xử lý"), nfd("Hạn xử lý"), nfd("Độ khẩn"), "Ghi chú"],
        [dt.datetime(2024, 3, 4), 2, nfd("UBND quận Ba Đình"), "123/UBND-VP", dt.datetime(2024, 3, 1),
         nfd("Kế hoạch phòng, chống thiên tai năm 2024"), nfd("Trần Thị Lan"), "15/03/2024", "Khẩn", None],
        ["05/03/2024", None, nfd("Quận ủy Ba Đình"), "45-CV/QU", "04/03/2024", "V/v sơ kết", None, None, None,
         None],  # row 5: no số đến: the next of the year
        ["06/03/2024", "03", "Sở Nội vụ", "7/SNV", "01/03/2024", "Thông báo lịch họp", None, None, None, None],
        [None, 4, "Sở Tài chính", "8/STC", "01/03/2024", "Không ghi ngày đến", None, None, None, None],  # row 7
        ["07/03/2024", 3, "Sở Y tế", "9/SYT", "01/03/2024", "Trùng số đến", None, None, None, None],  # row 8
        ["07/03/2024", 1, "Sở Xây dựng", "10/SXD", "01/03/2024", "Số đến đã có", None, None, None, None],  # row 9
        ["07/03/2024", 6, "Sở Công Thương", "11/SCT", "09/03/2024", "Văn bản ghi ngày sau ngày đến", None, None,
         None, None],  # row 10
        ["08/03/2024", 7, "Công an quận", "12/CAQ", "01/03/2024", "Độ khẩn lạ", None, None, "Gấp lắm", None],
        ["02/01/2025", None, "Thành ủy", "1-CV/TU", "01/01/2025", "Năm sau", None, None, None, None],  # row 12
    ], title="Sổ đến")

    report = import_register(reg, "incoming", path)

    assert skipped(report) == [
        "dòng 7: thiếu ngày đến",
        "dòng 8: số đến 03/2024 trùng với dòng 6 của tệp",
        "dòng 9: số đến 01/2024 đã có trong sổ (ngày đến 01/03/2024, 01/UBND-VP)",
        "dòng 10: ngày của văn bản không thể sau ngày đến",
        "dòng 11: độ khẩn 'Gấp lắm' không hợp lệ (chỉ nhận: KHẨN, THƯỢNG KHẨN, HỎA TỐC)",
    ]
    assert (report.read, report.imported, report.skipped) == (9, 4, 5)
    rows = {r["symbol"]: r for r in incoming.list_rows(reg)}
    first = rows["123/UBND-VP"]
    assert (first["year"], first["number"], first["received_date"], first["doc_date"]) == (2024, 2, "2024-03-04",
                                                                                           "2024-03-01")
    assert (first["author"], first["handler"], first["deadline"], first["urgency"]) == (
        "UBND quận Ba Đình", "Trần Thị Lan", "2024-03-15", "KHẨN")
    assert (first["type"], first["type_name"], first["subject"]) == ("KH", "Kế hoạch",
                                                                    "phòng, chống thiên tai năm 2024")
    # a missing số đến follows the highest of the year, in the register or anywhere in the file
    assert rows["45-CV/QU"]["number"] == 8
    assert rows["7/SNV"]["number"] == 3
    assert (rows["1-CV/TU"]["year"], rows["1-CV/TU"]["number"]) == (2025, 1)
    for row in rows.values():
        assert all(is_nfc(v) for v in row.values() if isinstance(v, str))
    assert [h.symbol for h in search.search(reg, "thien tai")] == ["123/UBND-VP"]
    assert [h.symbol for h in search.search(reg, "tran thi lan")] == ["123/UBND-VP"]
    assert incoming.add(reg, incoming.IncomingEntry(received_date=D(2024, 3, 9)))["number"] == 9


def test_dry_run_reports_the_same_and_writes_nothing(party, tmp_path):
    reg = party
    path = write_xlsx(tmp_path / "so.xlsx", CLERK_OUTGOING)
    before = counts(reg)
    report = import_register(reg, "outgoing", path, dry_run=True)
    assert (report.read, report.imported, report.skipped, report.dry_run) == (9, 5, 4, True)
    assert report.lines()[-1] == "Chạy thử: chưa ghi gì vào sổ."
    assert counts(reg) == before
    # the real import then does what the dry run said
    real = import_register(reg, "outgoing", path)
    assert (real.imported, real.skipped_rows) == (report.imported, report.skipped_rows)


def test_dry_run_does_not_store_an_inferred_style(reg, tmp_path):
    path = write_csv(tmp_path / "so.csv", [["Số ký hiệu", "Ngày tháng", "Trích yếu"],
                                           ["05/QĐ-UBND", "03/01/2025", "a"]])
    assert import_register(reg, "outgoing", path, dry_run=True).imported == 1
    assert load_profile(reg).style is None
    assert counts(reg) == {"outgoing": 0, "incoming": 0, "audit": 0, "search_index": 0}


@pytest.mark.parametrize("error", [sqlite3.OperationalError("disk I/O error"), RuntimeError("bug")])
def test_a_failure_part_way_writes_nothing(party, tmp_path, monkeypatch, error):
    reg = party
    path = write_xlsx(tmp_path / "so.xlsx", CLERK_OUTGOING)
    before = counts(reg)
    real_index, calls = search.index_entry, []

    def failing_index(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise error
        return real_index(*args, **kwargs)

    monkeypatch.setattr(search, "index_entry", failing_index)
    expected = RegisterError if isinstance(error, sqlite3.Error) else type(error)
    with pytest.raises(expected) as caught:
        import_register(reg, "outgoing", path)
    if expected is RegisterError:
        assert "dòng 10" in str(caught.value) and "không dòng nào được ghi" in str(caught.value)
    assert len(calls) == 3
    assert counts(reg) == before
    assert not reg.conn.in_transaction


def draft(name, **changes):
    return dataclasses.replace(load_draft(FIXTURES / f"{name}.json"), number=None, **changes)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_register_exported_by_dirdesk_imports_back(tmp_path, fmt):
    from dirdesk.registers.export import export_register

    compared = ("seq_key", "number", "symbol", "status", "style", "type", "secret", "urgency", "date", "type_name",
                "subject", "signer", "recipients", "copy_holder", "copies", "sent_date", "receipt", "note",
                "cancel_reason")
    with open_registry(tmp_path / "a.sqlite") as source:
        outgoing.issue(source, draft("seed-000"), date=D(2026, 3, 2), copies=3, render=False)
        outgoing.issue(source, draft("seed-003"), date=D(2026, 3, 3), render=False)
        outgoing.issue(source, draft("seed-000", urgency="KHẨN", secrecy="MẬT"), date=D(2026, 3, 4), render=False)
        row = outgoing.issue(source, draft("seed-000"), date=D(2026, 3, 5), render=False)
        outgoing.edit(source, row["id"], sent_date="2026-03-06", receipt="Lan", note="Gửi qua mạng; bản giấy sau")
        outgoing.cancel(source, "03-CV/ĐU", "ghi nhầm nơi nhận")
        outgoing.reserve(source, "TB", on=D(2026, 3, 9), note="chờ ký")
        export_register(source, "outgoing", year_period(2026), fmt, tmp_path / f"so-di.{fmt}")
        first = incoming.add(source, incoming.IncomingEntry(
            received_date=D(2026, 3, 2), author="UBND quận", symbol="12/UBND-VP", doc_date=D(2026, 3, 1),
            type="KH", type_name="Kế hoạch", subject="tổ chức Tết trồng cây", recipient="Văn phòng",
            urgency="THƯỢNG KHẨN", secrecy="MẬT", handler="Trần Thị Lan", deadline=D(2026, 3, 20), note="gấp"))
        incoming.edit(source, first["id"], status="in_progress", sent_date=D(2026, 3, 3), receipt="Lan")
        incoming.add(source, incoming.IncomingEntry(received_date=D(2026, 3, 4), author="Sở Nội vụ",
                                                    symbol="7/SNV", subject="V/v báo cáo"))
        export_register(source, "incoming", year_period(2026), fmt, tmp_path / f"so-den.{fmt}")
        expected_out = [{k: r[k] for k in compared} for r in outgoing_rows(source)]
        in_compared = [k for k in incoming.EDITABLE + ("year", "number")
                       if k not in ("body", "done_date", "reply_outgoing_id", "reply_symbol")]
        expected_in = [{k: r[k] for k in in_compared} for r in incoming.list_rows(source)]

    with open_registry(tmp_path / "b.sqlite") as target:
        set_profile_value(target, "style", "party")
        report = import_register(target, "outgoing", tmp_path / f"so-di.{fmt}")
        assert (report.skipped_rows, report.imported, report.ignored_columns) == ([], 5, [])
        assert [{k: r[k] for k in compared} for r in outgoing_rows(target)] == expected_out
        report = import_register(target, "incoming", tmp_path / f"so-den.{fmt}")
        assert (report.skipped_rows, report.imported) == ([], 2)
        assert [{k: r[k] for k in in_compared} for r in incoming.list_rows(target)] == expected_in
        # importing the same file again enters nothing twice
        again = import_register(target, "outgoing", tmp_path / f"so-di.{fmt}")
        assert again.imported == 0 and again.skipped == 5
        assert "đã có trong sổ" in again.skipped_rows[0].reason


def test_the_exact_headings_of_columns_toml_are_recognised(party, tmp_path):
    for register in ("outgoing", "incoming"):
        headings = [c.heading for c in columns_of(register)[1]]
        path = write_csv(tmp_path / f"{register}.csv", [headings])
        report = import_register(party, register, path)
        assert len(report.columns) == len(headings) and report.read == 0


def test_csv_encodings_and_delimiters(party, tmp_path):
    rows = [["Sổ văn bản đi"], ["Số ký hiệu", "Ngày tháng", "Trích yếu", "Nơi nhận"],
            ["70-CV/ĐU", "01/10/2021", "V/v phòng, chống dịch", "Các chi bộ"]]
    tab = write_csv(tmp_path / "tab.csv", rows, delimiter="\t", encoding="utf-8")
    report = import_register(party, "outgoing", tab, dry_run=True)
    assert (report.imported, report.columns["recipients"]) == (1, "Nơi nhận")
    assert "tab" in report.source

    legacy = tmp_path / "cp1258.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    legacy.write_bytes(cp1258(buffer.getvalue()))
    with pytest.raises(RegisterError, match="không phải chữ mã UTF-8.*--encoding cp1258"):
        import_register(party, "outgoing", legacy)
    report = import_register(party, "outgoing", legacy, encoding="cp1258")
    assert report.imported == 1
    row = outgoing_rows(party)[0]
    assert row["subject"] == "V/v phòng, chống dịch" and is_nfc(row["subject"])

    utf16 = tmp_path / "utf16.csv"
    utf16.write_text("\n".join("\t".join(r) for r in rows), encoding="utf-16")
    assert import_register(party, "outgoing", utf16, dry_run=True).columns["symbol"] == "Số ký hiệu"


def test_the_register_is_found_on_another_sheet_than_the_open_one(party, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active.append(["Sổ này ghi theo Nghị định 30/2020/NĐ-CP"])
    ws = wb.create_sheet("Năm 2021")
    for _ in range(3):
        ws.append([])
    ws.append(["Số ký hiệu", "Ngày tháng", "Trích yếu"])
    ws.append(["70-CV/ĐU", "01/10/2021", "V/v họp"])
    wb.save(tmp_path / "so.xlsx")
    report = import_register(party, "outgoing", tmp_path / "so.xlsx")
    assert (report.source, report.heading_row, report.imported) == ("trang «Năm 2021»", 4, 1)
    assert report.lines()[0] == "Nhập sổ văn bản đi từ so.xlsx (trang «Năm 2021», dòng tiêu đề 4)."


def test_files_that_are_refused(party, tmp_path):
    no_headings = write_csv(tmp_path / "a.csv", [["Họ tên", "Địa chỉ"], ["An", "Hà Nội"]])
    with pytest.raises(RegisterError, match="Không tìm thấy dòng tiêu đề"):
        import_register(party, "outgoing", no_headings)
    incoming_file = write_csv(tmp_path / "den.csv", [[c.heading for c in columns_of("incoming")[1]]])
    with pytest.raises(RegisterError, match="có vẻ là sổ văn bản đến"):
        import_register(party, "outgoing", incoming_file)
    no_date = write_csv(tmp_path / "b.csv", [["Số ký hiệu", "Trích yếu", "Người ký", "Nơi nhận"]])
    with pytest.raises(RegisterError, match="không có cột «Ngày tháng văn bản»"):
        import_register(party, "outgoing", no_date)
    old_excel = tmp_path / "so.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RegisterError, match=r"\.xls.*\.xlsx"):
        import_register(party, "outgoing", old_excel)
    not_xlsx = tmp_path / "hong.xlsx"
    not_xlsx.write_text("không phải excel")
    with pytest.raises(RegisterError, match="Không đọc được"):
        import_register(party, "outgoing", not_xlsx)
    with pytest.raises(RegisterError, match="Không có tệp"):
        import_register(party, "outgoing", tmp_path / "khong-co.xlsx")
    with pytest.raises(RegisterError, match="Chỉ nhập được"):
        import_register(party, "followup", no_headings)
    assert counts(party)["outgoing"] == 0


def test_dates_and_numbers_in_the_forms_clerks_write(party, tmp_path):
    rows = [["Số ký hiệu", "Ngày tháng", "Trích yếu", "Số lượng bản", "Ngày chuyển"],
            ["01-CV/ĐU", "1/2/2022", "a", "3", "ngày 02 tháng 02 năm 2022"],
            ["02-CV/ĐU", "2022-02-03", "b", 2.0, "04.02.2022"],
            ["03-CV/ĐU", 44600, "c", None, "05-02-22"],  # an Excel day number without a date format
            ["04-CV/ĐU", "04/02/2022", "d", "ba", None],
            ["05-CV/ĐU", "04/02/2022", "e", None, "mai"],
            ["06-XX/ĐU", "04/02/2022", "f", None, None],
            ["07-XX/ĐU", "04/02/2022", "Giấy mời họp", None, None],
            ["00-CV/ĐU", "04/02/2022", "g", None, None],
            ["08/QĐ-UBND", "04/02/2022", "h", None, None]]
    report = import_register(party, "outgoing", write_xlsx(tmp_path / "so.xlsx", rows))
    assert skipped(report) == [
        "dòng 5: số lượng bản 'ba' không hợp lệ",
        "dòng 6: ngày 'mai' không hợp lệ ở cột «Ngày chuyển»",
        "dòng 7: không nhận ra loại văn bản trong số, ký hiệu '06-XX/ĐU'",
        "dòng 9: số, ký hiệu '00-CV/ĐU' mang số 0",
        "dòng 10: số, ký hiệu '08/QĐ-UBND' không đúng dạng văn bản Đảng, dạng 66-CV/ĐU",
    ]
    got = [(r["symbol"], r["date"], r["copies"], r["sent_date"], r["type"]) for r in outgoing_rows(party)]
    assert got == [("01-CV/ĐU", "2022-02-01", 3, "2022-02-02", "CV"), ("02-CV/ĐU", "2022-02-03", 2, "2022-02-04", "CV"),
                   ("03-CV/ĐU", "2022-02-08", None, "2022-02-05", "CV"), ("07-XX/ĐU", "2022-02-04", None, None, "GM")]


# --- the command line ----------------------------------------------------------


def test_cli_import_reports_skipped_rows_and_exits_1(party, tmp_path, capsys):
    db = str(party.path)
    path = write_xlsx(tmp_path / "so.xlsx", CLERK_OUTGOING)
    assert main(["register", "import", "outgoing", str(path), "--db", db, "--dry-run"]) == 1
    text = capsys.readouterr().out
    assert "dòng 14: thiếu ngày văn bản" in text and "Chạy thử" in text
    assert counts(party)["outgoing"] == 0

    assert main(["register", "import", "outgoing", str(path), "--db", db, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["read"], data["imported"], data["skipped"]) == (9, 5, 4)
    assert {"row": 11, "reason": "thiếu số, ký hiệu văn bản", "kind": "empty",
            "message": "dòng 11: thiếu số, ký hiệu văn bản"} in \
        data["skipped_rows"]
    assert counts(party)["outgoing"] == 5


def test_cli_import_exit_0_when_all_rows_are_entered(tmp_path, capsys):
    path = write_csv(tmp_path / "den.csv", [["Ngày đến", "Số đến", "Tác giả", "Trích yếu"],
                                            ["02/01/2026", "1", "Sở Nội vụ", "Thông báo nghỉ Tết"]])
    db = str(tmp_path / "so.sqlite")
    assert main(["register", "import", "incoming", str(path), "--db", db]) == 0
    assert "đã nhập 1, bỏ qua 0" in capsys.readouterr().out
    with open_registry(db) as reg:
        assert [(r["number"], r["type_name"], r["subject"]) for r in incoming.list_rows(reg)] == [
            (1, "Thông báo", "nghỉ Tết")]


def test_cli_import_exit_2_on_a_refused_file(tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    assert main(["register", "import", "incoming", str(path), "--db", str(tmp_path / "so.sqlite")]) == 2
    assert "lỗi: Không tìm thấy dòng tiêu đề" in capsys.readouterr().err

"""The incoming register and the follow-up of documents to be answered."""

import datetime as dt
import unicodedata

import pytest

from dirdesk.registers import RegisterError, audit, incoming, outgoing
from dirdesk.registers.attachments import read_attachment
from tests.conftest import fixture_draft

D = dt.date


def add(reg, **fields):
    fields.setdefault("author", "UBND thành phố Sông Công")
    fields.setdefault("subject", "V/v báo cáo kết quả")
    return incoming.add(reg, incoming.IncomingEntry(**fields))


def test_arrival_numbers_run_from_01_each_calendar_year(registry):
    assert add(registry, received_date=D(2025, 12, 30))["number"] == 1
    assert add(registry, received_date=D(2025, 12, 31))["number"] == 2
    first = add(registry, received_date=D(2026, 1, 2))
    assert (first["number"], first["year"]) == (1, 2026)
    # entered late, a document received on 31/12 still takes the old year's next number
    assert add(registry, received_date=D(2025, 12, 31))["number"] == 3
    assert [r["number"] for r in incoming.list_rows(registry, start=D(2026, 1, 1))] == [1]


def test_text_is_stored_in_nfc_and_files_by_hash(registry):
    nfd = unicodedata.normalize("NFD", "Ủy ban Mặt trận Tổ quốc")
    row = add(registry, author=nfd, files=[("Công văn 12.pdf", b"%PDF-1.7 received")])
    assert row["author"] == "Ủy ban Mặt trận Tổ quốc"
    (f,) = incoming.files_of(registry, row["id"])
    assert f["name"] == "Công văn 12.pdf"
    assert read_attachment(registry, f["sha256"]) == b"%PDF-1.7 received"


def test_bad_entries_are_refused_with_a_reason_and_use_no_number(registry):
    with pytest.raises(RegisterError, match="Độ khẩn"):
        add(registry, urgency="GẤP")
    with pytest.raises(RegisterError, match="Ngày của văn bản không thể sau ngày đến"):
        add(registry, received_date=D(2026, 5, 10), doc_date=D(2026, 5, 11))
    assert add(registry, received_date=D(2026, 5, 10))["number"] == 1


def test_late_and_backdated_entries_are_numbered_in_order_of_entry_and_noted(registry):
    first = add(registry, received_date=D(2026, 12, 5))
    assert incoming.receipt_notes(registry, first) == []
    late = add(registry, received_date=D(2026, 12, 2), deadline=D(2026, 11, 30))  # came after its deadline
    assert late["number"] == 2 and late["deadline"] == "2026-11-30"
    assert incoming.receipt_notes(registry, late) == [
        "Văn bản đến sau hạn giải quyết (hạn 30/11/2026, ngày đến 02/12/2026): vẫn vào sổ, và hiện ngay trong "
        "danh sách quá hạn.",
        "Số đến 02/2026 được cấp theo thứ tự vào sổ; ngày đến 02/12 sớm hơn văn bản số 01/2026 (05/12)."]
    plan = incoming.preview(registry, incoming.IncomingEntry(received_date=D(2026, 12, 1), signatures=[]))
    assert incoming.receipt_notes(registry, plan.row) == [
        "Số đến 03/2026 được cấp theo thứ tự vào sổ; ngày đến 01/12 sớm hơn văn bản số 02/2026 (02/12)."]


def test_find_by_arrival_number(registry):
    add(registry, received_date=D(2025, 3, 1))
    row = add(registry, received_date=D(2026, 3, 1))
    assert incoming.find(registry, "1/2026")["id"] == row["id"]
    assert incoming.find(registry, "01", today=D(2026, 6, 1))["id"] == row["id"]
    with pytest.raises(RegisterError, match="Không có văn bản đến số 07/2026"):
        incoming.find(registry, "7/2026")
    with pytest.raises(RegisterError, match="không phải số đến"):
        incoming.find(registry, "abc")


def test_follow_up_overdue_due_this_week_progress_and_reply(registry):
    today = D(2026, 11, 18)  # a Wednesday
    late = add(registry, received_date=D(2026, 11, 2), deadline=D(2026, 11, 16))
    this_week = add(registry, received_date=D(2026, 11, 10), deadline=D(2026, 11, 22))
    next_week = add(registry, received_date=D(2026, 11, 10), deadline=D(2026, 11, 23))
    add(registry, received_date=D(2026, 11, 10))  # nothing to answer
    assert [r["id"] for r in incoming.overdue(registry, today)] == [late["id"]]
    assert [r["id"] for r in incoming.due_this_week(registry, today)] == [this_week["id"]]

    row = incoming.add_progress(registry, late["id"], "Đã giao Văn phòng dự thảo trả lời", on=D(2026, 11, 17))
    assert row["status"] == "in_progress"
    assert incoming.progress_of(registry, late["id"]) == [{"date": "2026-11-17",
                                                           "text": "Đã giao Văn phòng dự thảo trả lời"}]
    reply = outgoing.issue(registry, fixture_draft("seed-000"), render=False)
    done = incoming.mark_done(registry, late["id"], on=D(2026, 11, 19), reply=reply["symbol"])
    assert (done["status"], done["reply_outgoing_id"], done["reply_symbol"]) == ("done", reply["id"], "01-CV/ĐU")
    assert incoming.overdue(registry, today) == []
    assert [r["id"] for r in incoming.list_rows(registry, followup=True)] == [late["id"], this_week["id"],
                                                                              next_week["id"]]
    actions = [a["action"] for a in audit.history(registry, "incoming", late["id"])]
    assert actions == ["update", "update", "insert"]


def test_deleted_entry_keeps_its_number_and_can_be_restored(registry):
    row = add(registry, received_date=D(2026, 2, 1))
    with registry.transaction():
        audit.soft_delete(registry, "incoming", row["id"])
    assert incoming.list_rows(registry) == []
    assert add(registry, received_date=D(2026, 2, 2))["number"] == 2
    with registry.transaction():
        audit.undelete(registry, "incoming", row["id"])
    assert [r["number"] for r in incoming.list_rows(registry)] == [1, 2]

"""One search over the registers and drafts, without diacritics, đ included."""

import datetime as dt
import unicodedata

import pytest

from dirdesk.registers import audit, drafts, incoming, outgoing, search
from dirdesk.registers.profile import add_term
from tests.conftest import fixture_draft


@pytest.fixture
def filled(registry):
    add_term(registry, dt.date(2020, 10, 1))
    reg = registry
    outgoing.issue(reg, fixture_draft("seed-000", number=66), render=False)  # phòng, chống dịch COVID-19
    outgoing.issue(reg, fixture_draft("seed-000", number=166, subject="V/v tổ chức hội nghị sơ kết",
                                      body="Tổ chức hội nghị sơ kết công tác quý III."), render=False,
                   skip_numbers=True)  # 67–165 were numbered elsewhere
    outgoing.issue(reg, fixture_draft("seed-003", number=60), render=False)  # a nghị quyết
    incoming.add(reg, incoming.IncomingEntry(
        received_date=dt.date(2021, 10, 4), author="Ban Tuyên giáo Thành ủy", symbol="215-CV/BTGTU",
        subject="V/v tuyên truyền kỷ niệm ngày thành lập Đảng bộ", deadline=dt.date(2021, 10, 20)))
    drafts.save(reg, fixture_draft("seed-000", subject="V/v kiểm tra công tác đảng viên dự bị"))
    return reg


def kinds_and_symbols(hits):
    return [(h.kind, h.symbol) for h in hits]


def test_fold_removes_diacritics_and_d_stroke():
    assert search.fold("Phòng, CHỐNG dịch – Đảng ủy") == "phong, chong dich – dang uy"
    assert search.fold(unicodedata.normalize("NFD", "Đảng ủy")) == "dang uy"


def test_words_without_diacritics_find_vietnamese_text(filled):
    assert ("outgoing", "66-CV/ĐU") in kinds_and_symbols(search.search(filled, "phong chong dich"))
    hits = search.search(filled, "dang bo")
    assert kinds_and_symbols(hits)[0] == ("incoming", "215-CV/BTGTU")


def test_d_stroke_and_case_are_ignored_in_both_directions(filled):
    for query in ("dang vien du bi", "ĐẢNG VIÊN DỰ BỊ", "Đảng viên dự bị", unicodedata.normalize("NFD", "đảng viên")):
        assert "draft" in [h.kind for h in search.search(filled, query)], query


def test_exact_symbol_finds_that_document_first_and_not_a_longer_number(filled):
    hits = search.search(filled, "66-CV/ĐU")
    assert kinds_and_symbols(hits) == [("outgoing", "66-CV/ĐU")]
    assert kinds_and_symbols(search.search(filled, "166-cv/du")) == [("outgoing", "166-CV/ĐU")]


def test_symbol_matches_rank_above_mentions_in_the_body(filled):
    outgoing.issue(filled, fixture_draft("seed-000", number=70, subject="V/v thực hiện Nghị quyết 60",
                                         body="Thực hiện Nghị quyết số 60-NQ/ĐU của Đảng ủy phường."), render=False)
    hits = search.search(filled, "60-NQ/ĐU")
    assert kinds_and_symbols(hits)[:2] == [("outgoing", "60-NQ/ĐU"), ("outgoing", "70-CV/ĐU")]


def test_last_word_matches_as_a_prefix_for_search_as_you_type(filled):
    assert ("outgoing", "166-CV/ĐU") in kinds_and_symbols(search.search(filled, "hoi ngh"))


def test_filters_by_register_month_type_and_status(filled):
    assert {h.kind for h in search.search(filled, "dang", kinds=("incoming",))} == {"incoming"}
    assert kinds_and_symbols(search.search(filled, "dang uy", month="2021-09", doc_type="NQ")) == [
        ("outgoing", "60-NQ/ĐU")]
    assert search.search(filled, "tuyen truyen", status="done") == []
    assert [h.kind for h in search.search(filled, "tuyen truyen", status="new")] == ["incoming"]


def test_deleted_entries_are_not_found_until_restored(filled):
    row = outgoing.find(filled, "166-CV/ĐU")
    with filled.transaction():
        audit.soft_delete(filled, "outgoing", row["id"])
    assert ("outgoing", "166-CV/ĐU") not in kinds_and_symbols(search.search(filled, "hoi nghi so ket"))
    with filled.transaction():
        audit.undelete(filled, "outgoing", row["id"])
    assert kinds_and_symbols(search.search(filled, "hoi nghi so ket"))[0] == ("outgoing", "166-CV/ĐU")


def test_changes_are_searchable_at_once(filled):
    entry = incoming.find(filled, "1/2021")
    incoming.add_progress(filled, entry["id"], "Đã giao Ban Tuyên giáo chuẩn bị pa-nô", on=dt.date(2021, 10, 6))
    assert [h.kind for h in search.search(filled, "pa-no")] == ["incoming"]
    outgoing.cancel(filled, "166-CV/ĐU", "Trùng lịch họp")
    hit = search.search(filled, "trung lich hop")[0]
    assert (hit.symbol, hit.status) == ("166-CV/ĐU", "cancelled")


@pytest.mark.parametrize("query", ["", "   ", "--", "\"", "*", "AND OR NOT", "(", "a:b"])
def test_odd_queries_never_raise(filled, query):
    assert isinstance(search.search(filled, query), list)


def test_a_broad_query_ranks_its_newest_matches_and_still_finds_rare_ones(filled, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 2)
    for n in range(200, 204):
        outgoing.issue(filled, fixture_draft("seed-000", number=n), render=False, skip_numbers=True)
    broad = kinds_and_symbols(search.search(filled, "dang uy", kinds=("outgoing",)))
    assert broad == [("outgoing", "203-CV/ĐU"), ("outgoing", "202-CV/ĐU")]
    assert kinds_and_symbols(search.search(filled, "66-CV/ĐU")) == [("outgoing", "66-CV/ĐU")]
    assert kinds_and_symbols(search.search(filled, "dang uy", doc_type="NQ")) == [("outgoing", "60-NQ/ĐU")]

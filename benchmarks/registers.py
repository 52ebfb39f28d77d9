#!/usr/bin/env python3
"""Register benchmark for DirDesk: prints figures, is not a test.

    python3 benchmarks/registers.py [--entries N] [--keep DIR]

On a new register file in a temporary folder (or DIR):

1. bulk load: N outgoing and N incoming entries (default 100,000 each) over
   ten years, through the same audited, indexed insert path the import uses,
   in transactions of 5,000 rows; rows per second;
2. single issues: 500 `outgoing.issue` calls (numbers only, each its own
   durable transaction with fsync) and 500 `incoming.add`, per-call ms;
3. open time of the full file (header check, quick_check, pragmas), median of 5;
4. search: p50 and p95 over 20 queries x 10 runs (words without diacritics,
   symbols, filters);
5. export of one month holding 1,000 entries to XLSX and PDF (and DOCX, CSV);
6. peak memory (RSS) of this process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None

from dirdesk.draft import Draft, Issuer, Signer
from dirdesk.registers import incoming, open_registry, outgoing, search
from dirdesk.registers.audit import insert_row
from dirdesk.registers.numbering import next_number, sequence_for
from dirdesk.registers.profile import add_term, load_profile, set_profile_value

WORDS = ("tăng cường công tác phòng, chống dịch bệnh; tuyên truyền kỷ niệm ngày thành lập Đảng bộ; tổ chức hội nghị "
         "sơ kết công tác quý; kiểm tra, giám sát đảng viên dự bị; triển khai kế hoạch chuyển đổi số; báo cáo kết "
         "quả thực hiện nghị quyết; đại hội chi bộ nhiệm kỳ; phát triển đảng viên mới; an ninh trật tự trên địa "
         "bàn phường; cải cách hành chính, một cửa liên thông; xây dựng nông thôn mới; vệ sinh an toàn thực "
         "phẩm; phòng cháy, chữa cháy; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh").split("; ")
AUTHORS = ("Thành ủy Sông Công", "Ban Tuyên giáo Thành ủy", "UBND thành phố Sông Công", "Ủy ban Kiểm tra Thành ủy",
           "Ban Tổ chức Thành ủy", "Văn phòng Thành ủy", "Công an thành phố", "Mặt trận Tổ quốc thành phố")
TYPES = (("CV", "Công văn"), ("KH", "Kế hoạch"), ("TB", "Thông báo"), ("BC", "Báo cáo"), ("NQ", "Nghị quyết"),
         ("QĐ", "Quyết định"), ("GM", "Giấy mời"))
MONTH = (2026, 10)  # the month that gets 1,000 of each


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def dates(n, rng):
    """n dates over 2017-2026, with 1,000 of them in MONTH."""
    start = dt.date(2017, 1, 1)
    span = (dt.date(2026, 12, 31) - start).days
    month_days = [dt.date(*MONTH, d) for d in range(1, 32)]
    out = [rng.choice(month_days) for _ in range(min(1000, n))]
    while len(out) < n:
        day = start + dt.timedelta(days=rng.randrange(span))
        if (day.year, day.month) != MONTH:
            out.append(day)
    return sorted(out)


def bulk_outgoing(reg, n, rng):
    profile = load_profile(reg)
    counters: dict[str, int] = {}
    rows = dates(n, rng)
    t0 = time.perf_counter()
    for chunk in range(0, n, 5000):
        with reg.transaction():
            for on in rows[chunk:chunk + 5000]:
                code, name = rng.choice(TYPES)
                seq = sequence_for(profile, "party", code, False, on)
                number = counters.get(seq.key) or next_number(reg, seq.key)
                counters[seq.key] = number + 1
                subject = "V/v " + rng.choice(WORDS) if code == "CV" else rng.choice(WORDS).capitalize()
                row_id = insert_row(reg, "outgoing", {
                    "seq_key": seq.key, "number": number, "symbol": f"{number:02d}-{code}/ĐU", "status": "issued",
                    "style": "party", "type": code, "date": on.isoformat(), "type_name": name, "subject": subject,
                    "signer": "Nguyễn Đức Giang", "recipients": "Các chi bộ trực thuộc", "copy_holder": "Văn phòng"})
                search.index_entry(reg, "outgoing", row_id, date=on.isoformat(), doc_type=code, status="issued",
                                   symbol=f"{number:02d}-{code}/ĐU",
                                   subject=f"{name} {subject}", issuer="ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
                                   body=" ".join(rng.sample(WORDS, 5)), notes="Các chi bộ trực thuộc")
    return n / (time.perf_counter() - t0)


def bulk_incoming(reg, n, rng):
    counters: dict[int, int] = {}
    rows = dates(n, rng)
    t0 = time.perf_counter()
    for chunk in range(0, n, 5000):
        with reg.transaction():
            for on in rows[chunk:chunk + 5000]:
                number = counters.get(on.year, 0) + 1
                counters[on.year] = number
                code, name = rng.choice(TYPES)
                symbol = f"{rng.randrange(1, 900)}-{code}/TU"
                subject = "V/v " + rng.choice(WORDS)
                row_id = insert_row(reg, "incoming", {
                    "year": on.year, "number": number, "received_date": on.isoformat(),
                    "author": rng.choice(AUTHORS), "symbol": symbol, "type": code, "doc_date": on.isoformat(),
                    "type_name": name,
                    "subject": subject, "recipient": "Văn phòng Đảng ủy",
                    "deadline": (on + dt.timedelta(days=14)).isoformat() if rng.random() < 0.3 else None})
                search.index_entry(reg, "incoming", row_id, date=on.isoformat(), doc_type=code, status="new",
                                   symbol=symbol, subject=f"{name} {subject}",
                                   issuer=rng.choice(AUTHORS), body="", notes="Văn phòng Đảng ủy")
    return n / (time.perf_counter() - t0)


def single_calls(reg, n):
    draft = Draft(style="party", type="CV", issuer=Issuer(name="ĐẢNG ỦY PHƯỜNG BÁCH QUANG", code="ĐU"),
                  place="Bách Quang", subject="V/v thử nghiệm", body="Nội dung.", date=dt.date(2026, 11, 20),
                  signer=Signer(name="Nguyễn Đức Giang"))
    times = {"outgoing.issue": [], "incoming.add": []}
    for i in range(n):
        t0 = time.perf_counter()
        outgoing.issue(reg, draft, render=False)
        times["outgoing.issue"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2026, 11, 20), subject=f"Văn bản {i}"))
        times["incoming.add"].append((time.perf_counter() - t0) * 1000)
    return times


QUERIES = [
    ({"query": "phong chong dich"}), ({"query": "dang uy"}), ({"query": "dang vien du bi"}),
    ({"query": "66-CV/ĐU"}), ({"query": "215-KH/TU"}), ({"query": "chuyen doi so"}),
    ({"query": "Hồ Chí Minh"}), ({"query": "hoi nghi so ket"}), ({"query": "an ninh trat tu"}),
    ({"query": "ban to chuc"}), ({"query": "tuyen truyen", "month": "2026-10"}),
    ({"query": "ke hoach", "doc_type": "KH"}), ({"query": "cai cach hanh chinh", "kinds": ("incoming",)}),
    ({"query": "bao cao", "status": "issued"}), ({"query": "nong thon moi", "kinds": ("outgoing",)}),
    ({"query": "phong chay"}), ({"query": "ve sinh an toan thuc pham"}), ({"query": "12-NQ/ĐU"}),
    ({"query": "thanh uy song cong"}), ({"query": "giam sat"}),
]


def run_searches(reg, repeat):
    times = []
    for _ in range(repeat):
        for q in QUERIES:
            q = dict(q)
            t0 = time.perf_counter()
            search.search(reg, q.pop("query"), **q)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000, help="entries per register (default 100,000)")
    parser.add_argument("--keep", metavar="DIR", help="build the file in DIR and keep it")
    args = parser.parse_args()
    rng = random.Random(2026)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dirdesk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.sqlite"
    if db.exists():
        sys.exit(f"{db} exists; choose an empty folder")
    reg = open_registry(db)
    set_profile_value(reg, "style", "party")
    set_profile_value(reg, "issuer", {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
                                      "code": "ĐU"})
    set_profile_value(reg, "place", "Bách Quang")
    add_term(reg, dt.date(2015, 10, 1))

    print(f"DirDesk register benchmark — {args.entries:,} outgoing + {args.entries:,} incoming, Python "
          f"{sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version}")
    print("\n1. Bulk load (audited + indexed, 5,000 rows per transaction)")
    print(f"   outgoing: {bulk_outgoing(reg, args.entries, rng):10,.0f} rows/s")
    print(f"   incoming: {bulk_incoming(reg, args.entries, rng):10,.0f} rows/s")
    print(f"   file: {db.stat().st_size / 2**20:.0f} MB")

    print("\n2. Single calls, each its own durable transaction (numbers only, no DOCX/PDF)")
    for name, values in single_calls(reg, 500).items():
        print(f"   {name:<16} median {statistics.median(values):6.2f} ms   p95 {pct(values, 95):6.2f} ms")
    reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reg.close()

    print("\n3. Open the full file (checks, quick_check, pragmas)")
    opens = []
    for _ in range(5):
        t0 = time.perf_counter()
        reg = open_registry(db)
        opens.append((time.perf_counter() - t0) * 1000)
        reg.close()
    print(f"   median {statistics.median(opens):.0f} ms (max {max(opens):.0f} ms)")

    reg = open_registry(db)
    run_searches(reg, 1)  # warm the page cache
    times = run_searches(reg, 10)
    p50, p95 = statistics.median(times), pct(times, 95)
    print(f"\n4. Search ({len(QUERIES)} queries x 10)")
    print(f"   p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {max(times):.1f} ms   "
          f"{'PASS' if p95 < 30 else 'FAIL'} (target: under 30 ms)")

    print(f"\n5. Export of {MONTH[0]}-{MONTH[1]:02d} (1,000 entries per register)")
    try:
        from dirdesk.registers.columns import month_period
        from dirdesk.registers.export import export_register
    except ImportError as exc:
        print(f"   skipped: {exc}")
    else:
        period = month_period(f"{MONTH[0]}-{MONTH[1]:02d}")
        for register in ("outgoing", "incoming"):
            for fmt in ("xlsx", "pdf", "docx", "csv"):
                target = folder / f"{register}.{fmt}"
                t0 = time.perf_counter()
                export_register(reg, register, period, fmt, target)
                took = time.perf_counter() - t0
                verdict = ("PASS" if took < 1 else "FAIL") if fmt in ("xlsx", "pdf") else "    "
                print(f"   {register:<9} {fmt:<5} {took * 1000:7.0f} ms  {target.stat().st_size / 1024:7.0f} KB  "
                      f"{verdict}")
    reg.close()

    if resource is not None:
        print(f"\n6. Peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB RSS")
    print(f"\nfiles in {folder}" if args.keep else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())

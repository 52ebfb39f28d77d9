"""A bad scan of our own documents still gives the fields printed in clear type: the issuer,
the symbol, the date and the type (benchmarks/intake_degraded.py, three of its documents,
spoiled as there: 200 dpi, grey paper, a red seal over the signature, blur, noise, a turn of
1–3°, one through JPEG)."""

import io

import pytest

from dirdesk.intake import ocr
from tests.bench_modules import load

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ocr.unavailable() is not None, reason=f"no OCR here: {ocr.unavailable()}")]

# Documents of benchmarks/intake/scans.py, spoiled with their seeds in the benchmark (scans.SEED + place).
DOCUMENTS = ("state-cong-van", "state-quyet-dinh", "party-cong-van")
CLEAR_FIELDS = ("issuer", "symbol", "date", "type")
KNOWN_MISSES: dict[tuple[str, str], str] = {}  # (document, field) -> why, marked a strict xfail


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    """name -> (fields read from its scan, fields its draft prints), as the benchmark scores them."""
    scans = load("scans")
    accuracy = load("intake_accuracy")
    folder = tmp_path_factory.mktemp("scans")
    out = {}
    for i, (name, draft) in enumerate(scans.documents()):
        if name in DOCUMENTS:
            _, scan, _ = scans.scan_of(draft, scans.SEED + i)
            path = folder / f"{name}.pdf"
            path.write_bytes(scan)
            got = accuracy.read_fields(path)
            want = scans.expected(draft)
            out[name] = ({k: accuracy.normalise(v) for k, v in got.items()},
                         {k: accuracy.normalise(v) for k, v in want.items()})
    return out


def _cases():
    for name in DOCUMENTS:
        for field in CLEAR_FIELDS:
            reason = KNOWN_MISSES.get((name, field))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, field, marks=marks, id=f"{name}-{field}")


@pytest.mark.parametrize("name, field", list(_cases()))
def test_a_clear_field_is_read_from_a_bad_scan(readings, name, field):
    got, want = readings[name]
    assert want[field], "the draft prints this field"
    assert got[field] == want[field]


def test_the_scans_have_no_text_layer_and_are_the_same_each_time():
    import pdfplumber

    scans = load("scans")
    draft = dict(scans.documents())["state-thong-bao"]
    _, first, spoil = scans.scan_of(draft, 5)
    _, again, _ = scans.scan_of(draft, 5)
    assert first == again and 1 <= abs(spoil.angle) <= 3
    with pdfplumber.open(io.BytesIO(first)) as pdf:
        assert not pdf.pages[0].extract_words() and pdf.pages[0].images

"""How much of a received file is read: the bounds that keep a huge or hostile
file from hanging the parser or filling the clerk's memory.

A received file is read within these limits (see also `source.MAX_RECEIVED_BYTES`,
200 MB, for the file itself):

- Text: the fields of a document stand at its start (the header, trích yếu,
  Kính gửi) and at its end (Nơi nhận, the signature), so of a long text the
  first `HEAD_LINES` lines (at most `HEAD_CHARS` characters) and the last
  `TAIL_LINES` lines (at most `TAIL_CHARS` characters) are read. What lies
  between is left out and one line says so (`omitted_line`), in the body
  kept for search and in the reading copy; the parser adds a note. A line
  longer than `MAX_LINE_CHARS` is cut into lines of that length (at a space
  where there is one).
- DOCX: before the ZIP is opened its members are checked: at most
  `ZIP_MAX_MEMBERS` members, each at most `ZIP_MAX_MEMBER_BYTES` unpacked,
  all together at most `ZIP_MAX_TOTAL_BYTES`, and no member unpacking to more
  than `ZIP_MAX_RATIO` times its packed size (a "ZIP bomb": a 2.4 MB file that
  unpacks to 1 GB). A file over a limit is refused with a message.
- PDF: the text of the first `PDF_HEAD_PAGES` and last `PDF_TAIL_PAGES` pages
  is read (the pages between are left out, as lines of a long text are), and
  reading stops with a message when it has taken more than `PDF_SECONDS`.
"""

from __future__ import annotations

import io
import re
import zipfile

from dirdesk.intake.source import IntakeError
from dirdesk.text import human_size

HEAD_LINES = 20_000  # about 400 pages of a công văn: every real document is read whole
TAIL_LINES = 2_000
HEAD_CHARS = 4_000_000  # characters (bytes, of a text file): 20,000 lines of a long text
TAIL_CHARS = 200_000
MAX_LINE_CHARS = 10_000  # a paragraph of four pages

ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_MEMBER_BYTES = 100 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
ZIP_MAX_XML_BYTES = 50 * 1024 * 1024  # the text of a DOCX: python-docx holds it whole in memory
ZIP_MAX_RATIO = 200  # XML packs about 5–50 times; a bomb hundreds or thousands of times

PDF_HEAD_PAGES = 50
PDF_TAIL_PAGES = 10
PDF_SECONDS = 60.0

OMITTED_PREFIX = "[… lược bớt "


def omitted_line(count: int, what: str = "dòng") -> str:
    """The line that stands for `count` lines (or pages) left out of a long document."""
    number = f"{count:,}".replace(",", ".")
    return f"{OMITTED_PREFIX}{number} {what} ở giữa văn bản, không đọc …]"


def is_omitted_line(line: str) -> bool:
    return line.startswith(OMITTED_PREFIX) and line.endswith("…]")


def _cut_line(line: str) -> list[str]:
    """`line` in pieces of at most MAX_LINE_CHARS characters, cut at a space where there is one."""
    if len(line) <= MAX_LINE_CHARS:
        return [line]
    pieces = []
    start = 0
    while len(line) - start > MAX_LINE_CHARS:
        end = line.rfind(" ", start + MAX_LINE_CHARS // 2, start + MAX_LINE_CHARS + 1)
        if end <= start:
            end = start + MAX_LINE_CHARS
        pieces.append(line[start:end].strip())
        start = end
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def _char_start(raw: bytes, at: int) -> int:
    """`at`, moved back to the start of a UTF-8 character (a cut inside a line keeps it decodable)."""
    while at > 0 and raw[at] & 0xC0 == 0x80:
        at -= 1
    return at


def bound_bytes(raw: bytes) -> tuple[bytes, int, bytes]:
    """A text file's bytes within the character bounds, before they are decoded: (the first
    HEAD_CHARS bytes, the number of lines left out, the last TAIL_CHARS bytes), cut at line
    ends; (raw, 0, b"") when it is within them. Linear in the size of the file."""
    if len(raw) <= HEAD_CHARS + TAIL_CHARS:
        return raw, 0, b""
    head_end = raw.rfind(b"\n", 0, HEAD_CHARS)
    head_end = head_end if head_end > HEAD_CHARS // 2 else _char_start(raw, HEAD_CHARS)
    tail_start = raw.find(b"\n", len(raw) - TAIL_CHARS)
    tail_start = (tail_start + 1 if 0 <= tail_start < len(raw) - TAIL_CHARS // 2
                  else _char_start(raw, len(raw) - TAIL_CHARS))
    dropped = max(raw.count(b"\n", head_end, tail_start), raw.count(b"\r", head_end, tail_start)) + 1
    return raw[:head_end], dropped, raw[tail_start:]


_OMITTED = re.compile(re.escape(OMITTED_PREFIX) + r"([\d.]+) dòng ")


def _within(lines, most_lines: int, most_chars: int) -> int:
    """How many of `lines`, from the first, fit in `most_lines` lines and `most_chars` characters."""
    chars = count = 0
    for line in lines:
        chars += len(line) + 1
        if count >= most_lines or chars > most_chars:
            break
        count += 1
    return count


def bound_lines(lines: list[str]) -> list[str]:
    """`lines` within the bounds: long lines cut, then the first HEAD_LINES (HEAD_CHARS) and the
    last TAIL_LINES (TAIL_CHARS), with an omitted line between (counting the lines an omitted
    line already among those left out stood for)."""
    if any(len(line) > MAX_LINE_CHARS for line in lines):
        lines = [piece for line in lines for piece in _cut_line(line)]
    head = _within(lines, HEAD_LINES, HEAD_CHARS)
    tail = _within(reversed(lines), TAIL_LINES, TAIL_CHARS)
    if head + tail + 3 >= len(lines):
        return lines
    middle = lines[head:len(lines) - tail]
    dropped = len(middle)
    for line in middle:
        m = _OMITTED.match(line)
        if m and is_omitted_line(line):
            dropped += int(m.group(1).replace(".", "")) - 1
    return lines[:head] + ["", omitted_line(dropped), ""] + lines[len(lines) - tail:]


def check_zip(data: bytes, name: str) -> None:
    """Refuse (IntakeError) a DOCX whose ZIP would unpack to too much: checked from its
    directory, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise IntakeError(f"{name}: tệp DOCX bị hỏng (không phải tệp nén ZIP hợp lệ)") from None
    def refuse(why: str) -> IntakeError:
        return IntakeError(f"{name}: tệp DOCX bất thường, không đọc (có thể là tệp độc hại “bom nén”): {why}")

    if len(members) > ZIP_MAX_MEMBERS:
        raise refuse(f"{len(members)} thành phần, tối đa {ZIP_MAX_MEMBERS}")
    total = 0
    for info in members:
        total += info.file_size
        most = ZIP_MAX_XML_BYTES if info.filename.endswith((".xml", ".rels")) else ZIP_MAX_MEMBER_BYTES
        if info.file_size > most:
            raise refuse(f"thành phần {info.filename} giải nén ra {human_size(info.file_size)}, "
                         f"tối đa {human_size(most)}")
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > ZIP_MAX_RATIO:
            raise refuse(f"thành phần {info.filename} nén {ratio} lần, tối đa {ZIP_MAX_RATIO} lần")
    if total > ZIP_MAX_TOTAL_BYTES:
        raise refuse(f"giải nén ra {human_size(total)}, tối đa {human_size(ZIP_MAX_TOTAL_BYTES)}")

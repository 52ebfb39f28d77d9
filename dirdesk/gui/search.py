"""Tìm kiếm: one box over the outgoing and incoming registers.

The clerk types (with or without diacritics); the search runs ~250 ms after
typing stops, in a worker with its own connection to the register file
(`dirdesk.registers.search.search`). Results list register, số ký hiệu, date,
trích yếu and issuer, with the words that matched highlighted: text and query
are folded the way the index folds them (`dirdesk.text.fold`: lower case, no
diacritics, đ -> d) and the match positions in the folded text are mapped back
to the original, so "phong chong dich" highlights "phòng, chống dịch".
Enter or a double click opens the entry (`context.window.open_entry`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dirdesk import limits
from dirdesk.dates import date_text
from dirdesk.gui.forms import load_form
from dirdesk.gui.sections import SectionBase
from dirdesk.gui.workers import Debouncer, error_message
from dirdesk.registers import incoming, outgoing
from dirdesk.registers import search as core_search
from dirdesk.text import clean, fold, fold_with_map

_WORD = re.compile(r"\w+")
SPANS_ROLE = Qt.ItemDataRole.UserRole + 1  # [(start, end)] of the matched words in the cell's text
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2  # (register, row id)
HIGHLIGHT_STYLE = "background-color:#ffe066;color:#000000;font-weight:bold"

HINT = ("Gõ số, ký hiệu, trích yếu, tên cơ quan hoặc một câu trong nội dung để tìm trong sổ văn bản đi và sổ "
        "văn bản đến. Không cần gõ dấu: “phong chong dich” tìm được “phòng, chống dịch”.")
REGISTERS = (("Cả hai sổ", ("outgoing", "incoming")), ("Văn bản đi", ("outgoing",)), ("Văn bản đến", ("incoming",)))
REGISTER_SHORT = {"outgoing": "Đi", "incoming": "Đến"}


# ---------------------------------------------------------------- matched words, in the original text


def query_words(query: str) -> tuple[list[str], bool]:
    """The folded words of a query, and whether the last one also matches as a prefix (as the search does)."""
    match = core_search.fts_query(query)
    if match is None:
        return [], False
    return _WORD.findall(fold(clean(query))), match.endswith("*")


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of the words the query matches: a word equal to a query word,
    folded on both sides; the beginning of a word when the last query word is typed as a prefix."""
    words, prefix = query_words(query)
    if not text or not words:
        return []
    exact = set(words)
    last = words[-1] if prefix else None
    folded, origin = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(folded):
        word = m.group()
        if word in exact:
            length = len(word)
        elif last and word.startswith(last):
            length = len(last)
        else:
            continue
        start, end = m.start(), m.start() + length
        span = (origin[start], origin[end - 1] + 1)
        # a character folded into several (rare) must not split: extend to the end of the original char
        if spans and span[0] <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], span[1]))
        else:
            spans.append(span)
    # take in the combining marks that follow the last matched character (text typed in NFD)
    return [(s, _grow(text, e)) for s, e in spans]


def _grow(text: str, end: int) -> int:
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def highlight_html(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` as HTML with the spans marked (bold, on yellow)."""
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f'<span style="{HIGHLIGHT_STYLE}">{html.escape(text[start:end])}</span>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


# ---------------------------------------------------------------- the search, in a worker


@dataclass
class Result:
    register: str  # outgoing | incoming
    id: int
    symbol: str
    date: str | None
    subject: str
    issuer: str
    status: str

    @property
    def date_text(self) -> str:
        return date_text(self.date)

    @property
    def status_text(self) -> str:
        labels = outgoing.STATUS_LABELS if self.register == "outgoing" else incoming.STATUS_LABELS
        return labels.get(self.status, self.status)


def search_job(reg, query: str, kinds: tuple[str, ...], month: str | None, limit: int) -> list[Result]:
    """The results for a query (runs in a worker, on the worker's connection)."""
    hits = core_search.search(reg, query, kinds=kinds, month=month, limit=limit)
    issuers = core_search.issuers_of(reg, hits)
    return [Result(h.kind, h.id, h.symbol or "", h.date, clean(h.subject or "", keep_newlines=False).strip(),
                   issuers.get((h.kind, h.id), ""), h.status) for h in hits]


def months_job(reg) -> list[str]:
    """The months (YYYY-MM) that have entries in either register, newest first (a worker)."""
    return core_search.entry_months(reg)


# ---------------------------------------------------------------- the results table


class ResultsModel(QAbstractTableModel):
    HEADERS = ("Sổ", "Số, ký hiệu", "Ngày", "Trích yếu", "Tác giả / cơ quan ban hành", "Trạng thái")
    HIGHLIGHTED = {1: "symbol", 3: "subject", 4: "issuer"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: list[Result] = []
        self.query = ""
        self._spans: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def set_results(self, results: list[Result], query: str) -> None:
        self.beginResetModel()
        self.results, self.query = results, query
        self._spans = {}
        for r, result in enumerate(results):
            for column, name in self.HIGHLIGHTED.items():
                spans = match_spans(getattr(result, name), query)
                if spans:
                    self._spans[(r, column)] = spans
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.results)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def text(self, row: int, column: int) -> str:
        r = self.results[row]
        return (REGISTER_SHORT.get(r.register, r.register), r.symbol, r.date_text, r.subject, r.issuer,
                r.status_text)[column]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, column)
        if role == SPANS_ROLE:
            return self._spans.get((row, column), [])
        if role == ENTRY_ROLE:
            return self.results[row].register, self.results[row].id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.text(row, column)
        return None


class HighlightDelegate(QStyledItemDelegate):
    """Draws a cell's text with its matched words highlighted (bold, on yellow)."""

    def _document(self, option: QStyleOptionViewItem, index) -> QTextDocument | None:
        spans = index.data(SPANS_ROLE)
        if not spans:
            return None
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(option.font)
        doc.setHtml(highlight_html(index.data(Qt.ItemDataRole.DisplayRole) or "", spans))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc.setTextWidth(rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        top = rect.top() + max(0.0, (rect.height() - doc.size().height()) / 2)
        painter.translate(rect.left(), top)
        context.clip = QRectF(0, 0, rect.width(), rect.height())
        painter.setClipRect(context.clip)
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        view = opt.widget
        if doc is not None and isinstance(view, QTableView):
            doc.setTextWidth(max(50, view.columnWidth(index.column()) - 8))
            size.setHeight(max(size.height(), int(doc.size().height()) + 4))
        return size


# ---------------------------------------------------------------- the section


class SearchSection(SectionBase):
    """Tìm kiếm: one search box over both registers; results open their entry."""

    title = "Tìm kiếm"
    LIMIT = 100
    DELAY_MS = 250
    entry_requested = Signal(str, int)  # register, row id (also sent to context.window.open_entry)
    results_shown = Signal()  # a search finished and its results are on screen (tests, the window)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attach(context)
        self.form = load_form("search", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.form.layout().setContentsMargins(0, 0, 0, 0)
        self.query: QLineEdit = self.form.findChild(QLineEdit, "query")
        self.query.setMaxLength(limits.QUERY)  # the core refuses longer ones
        self.register_box: QComboBox = self.form.findChild(QComboBox, "register")
        self.month_box: QComboBox = self.form.findChild(QComboBox, "month")
        self.status: QLabel = self.form.findChild(QLabel, "status")
        self.table: QTableView = self.form.findChild(QTableView, "results")
        title = self.form.findChild(QLabel, "title")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)

        for label, kinds in REGISTERS:
            self.register_box.addItem(label, kinds)
        self.month_box.addItem("Mọi tháng", None)
        self.model = ResultsModel(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(HighlightDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, max(header.sectionSizeHint(4), self.fontMetrics().horizontalAdvance("M") * 18))
        header.sectionResized.connect(lambda *_: self._fit_rows())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)
        self.query.installEventFilter(self)

        self._debounce = Debouncer(self._run, self.DELAY_MS, self)
        self._running: tuple | None = None  # the request being searched
        self._pending: tuple | None = None  # the newest request, waiting for it
        self._shown: tuple | None = None  # the request whose results are on screen
        self.query.textChanged.connect(lambda _: self._debounce.poke())
        self.query.returnPressed.connect(self._enter_in_box)
        self.register_box.currentIndexChanged.connect(lambda _: self._run())
        self.month_box.currentIndexChanged.connect(lambda _: self._run())
        self._show_hint()
        self._load_months()

    # -- what other parts call

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (Ctrl+F)."""
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def refresh(self) -> None:
        """Re-read the registers: the months of the filter and the current results."""
        self._load_months()
        self._shown = None
        self._run()

    def search_now(self, text: str | None = None) -> None:
        """Search at once (without waiting for typing to pause), optionally for `text`."""
        if text is not None:
            self.query.setText(text)
        self._debounce.flush()
        self._run()

    @property
    def busy(self) -> bool:
        return self._running is not None or self._debounce.pending

    # -- searching

    def _request(self) -> tuple | None:
        text = clean(self.query.text(), keep_newlines=False).strip()
        if core_search.fts_query(text) is None:
            return None
        return text, self.register_box.currentData(), self.month_box.currentData()

    def _run(self) -> None:
        if not self.isVisible():  # a hidden section searches when it is shown again (showEvent)
            return
        request = self._request()
        if request is None:
            self._pending = None
            self._shown = None
            self.model.set_results([], "")
            self._show_hint()
            return
        if request == self._shown and self._running is None:
            return
        if self._running is not None:
            self._pending = request
            return
        self._start(request)

    def _start(self, request: tuple) -> None:
        self._running, self._pending = request, None
        self.status.setText("Đang tìm…")
        text, kinds, month = request
        if not self.context.ops.read(self, "tìm kiếm", search_job, text, tuple(kinds), month, self.LIMIT,
                                     done=lambda results: self._finished(request, results),
                                     failed=lambda exc: self._failed(request, exc)):
            self._running = None

    def _next(self) -> bool:
        """The job is over: start the newest request that waited for it; True if one started."""
        self._running = None
        pending, self._pending = self._pending, None
        if pending is not None and pending == self._request():
            self._start(pending)
            return True
        return False

    def _finished(self, request: tuple, results: list[Result]) -> None:
        if self._next() or self._request() != request:
            return
        self._shown = request
        self.model.set_results(results, request[0])
        self._fit_rows()
        if results:
            self.table.selectRow(0)
            more = f" (hiện {self.LIMIT} kết quả khớp nhất)" if len(results) >= self.LIMIT else ""
            self.status.setText(f"{len(results)} kết quả{more}. Nhấn Enter hoặc nhấp đúp để mở văn bản.")
        else:
            where = self._filter_text()
            self.status.setText(f"Không tìm thấy văn bản nào khớp với “{request[0]}”{where}.")
        self.results_shown.emit()

    def _failed(self, request: tuple, exc: BaseException) -> None:
        """The error dialog has said why; the status line says it too."""
        self._next()
        if self._request() == request:
            self.status.setText(f"Không tìm được: {error_message(exc)}")
            self.results_shown.emit()

    def _filter_text(self) -> str:
        parts = []
        if self.register_box.currentIndex() > 0:
            parts.append(f"trong sổ {self.register_box.currentText().lower()}")
        if self.month_box.currentData():
            parts.append(self.month_box.currentText().lower())
        return (" " + ", ".join(parts)) if parts else ""

    def _show_hint(self) -> None:
        self.status.setText(HINT)

    def _fit_rows(self) -> None:
        if self.model.rowCount():
            self.table.resizeRowsToContents()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._run()

    # -- months of the filter

    def _load_months(self) -> None:
        self.context.ops.read(self, "đọc các tháng của sổ", months_job, done=self._set_months)

    def _set_months(self, months: list[str]) -> None:
        current = self.month_box.currentData()
        self.month_box.blockSignals(True)
        try:
            self.month_box.clear()
            self.month_box.addItem("Mọi tháng", None)
            for month in months:
                self.month_box.addItem(f"Tháng {int(month[5:7]):02d}/{month[:4]}", month)
            index = self.month_box.findData(current)
            self.month_box.setCurrentIndex(max(index, 0))
        finally:
            self.month_box.blockSignals(False)

    # -- opening

    def _enter_in_box(self) -> None:
        self._debounce.flush()
        if self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        register, row_id = index.data(ENTRY_ROLE)
        self.entry_requested.emit(register, row_id)
        self.context.window.open_entry(register, row_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if watched is self.query and key == Qt.Key.Key_Down and self.model.rowCount():
                self._enter_in_box()
                return True
        return super().eventFilter(watched, event)

"""The live preview (forms/draft_preview.ui): the PDF of the draft in a
QPdfView with page navigation and zoom, and the `dirdesk check` findings
under it, each one leading to its field.

The PDF arrives as bytes (rendered in a worker); it is loaded into a new
QPdfDocument through a QBuffer that lives as long as that document. The last
good preview stays when a newer draft cannot be rendered.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QListWidgetItem, QStyle, QVBoxLayout, QWidget

from dirdesk.checks import ERROR
from dirdesk.fonts import embedded
from dirdesk.gui.forms import load_form

FIELD_ROLE = Qt.ItemDataRole.UserRole
ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class PreviewPane(QWidget):
    fieldRequested = Signal(str)  # a finding was chosen: focus this draft field
    shown = Signal()  # a new PDF is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = load_form("draft_preview", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        u = self.ui
        self.view = QPdfView(u.view_host)
        self.view.setAccessibleName("Bản xem trước văn bản")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        box = QVBoxLayout(u.view_host)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.view)
        u.preview_split.setStretchFactor(0, 4)
        u.preview_split.setStretchFactor(1, 1)

        self._document: QPdfDocument | None = None
        self._buffer: QBuffer | None = None
        self._bytes: bytes | None = None
        self._busy = False

        nav = self.view.pageNavigator()
        nav.currentPageChanged.connect(lambda _page: self._update_nav())
        u.prev_page.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        u.next_page.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        u.zoom_in.clicked.connect(lambda: self.zoom(+1))
        u.zoom_out.clicked.connect(lambda: self.zoom(-1))
        u.fit_width.clicked.connect(self.fit_width)
        for keys, fn in (("PgUp", lambda: self.go_to_page(self.current_page() - 1)),
                         ("PgDown", lambda: self.go_to_page(self.current_page() + 1)),
                         (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(+1)),
                         (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(-1))):
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(fn)
        u.findings.itemActivated.connect(self._finding_chosen)
        u.findings.itemClicked.connect(self._finding_chosen)
        self._update_nav()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_sized", False):  # the page gets most of the height, the findings the rest
            self._sized = True
            total = max(self.ui.preview_split.height(), 400)
            self.ui.preview_split.setSizes([round(total * 0.78), round(total * 0.22)])

    # --- the PDF ------------------------------------------------------------------

    @property
    def pdf_bytes(self) -> bytes | None:
        """The bytes of the PDF on screen."""
        return self._bytes

    @property
    def document(self) -> QPdfDocument | None:
        return self._document

    def show_pdf(self, data: bytes) -> bool:
        """Show a new PDF, keeping the page the clerk was on; False (and the old one kept) if it cannot be read."""
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            document.close()
            document.deleteLater()
            self.show_message("Không hiển thị được bản xem trước (tệp PDF không đọc được).", error=True)
            return False
        page = self.current_page()
        bar = self.view.verticalScrollBar()
        ratio = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        old_document, old_buffer = self._document, self._buffer
        self._document, self._buffer, self._bytes = document, buffer, data
        self.view.setDocument(document)
        if old_document is not None:
            old_document.close()
            old_document.deleteLater()
        if old_buffer is not None:
            old_buffer.close()
        if page > 0 and bar.maximum() > 0:
            bar.setValue(round(ratio * bar.maximum()))
        self._update_nav()
        self._show_font()
        self.shown.emit()
        return True

    def clear(self) -> None:
        self.view.setDocument(None)
        if self._document is not None:
            self._document.close()
            self._document.deleteLater()
        self._document = self._buffer = self._bytes = None
        self.set_findings([])
        self.show_message("")
        self._update_nav()

    def page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage() if self._document is not None else 0

    def go_to_page(self, page: int) -> None:
        if self._document is None or not 0 <= page < self.page_count():
            return
        nav = self.view.pageNavigator()
        nav.jump(page, QPointF(0, 0), nav.currentZoom())
        self._update_nav()

    # --- zoom -------------------------------------------------------------------------

    def zoom(self, step: int) -> None:
        current = self.view.zoomFactor() if self.view.zoomMode() == QPdfView.ZoomMode.Custom else self._fit_factor()
        if step > 0:
            factor = next((z for z in ZOOM_STEPS if z > current + 0.01), ZOOM_STEPS[-1])
        else:
            factor = next((z for z in reversed(ZOOM_STEPS) if z < current - 0.01), ZOOM_STEPS[0])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._update_nav()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_nav()

    def _fit_factor(self) -> float:
        """The zoom factor "fit width" amounts to now (for +/− to step from)."""
        if self._document is None:
            return 1.0
        width_pt = self._document.pagePointSize(0).width() or 595.0
        dpi = self.logicalDpiX() or 96
        margins = self.view.documentMargins()
        usable = self.view.viewport().width() - margins.left() - margins.right()
        return max(usable / (width_pt * dpi / 72), 0.1)

    def _update_nav(self) -> None:
        u = self.ui
        count = self.page_count()
        page = self.current_page() + 1 if count else 0
        u.page_label.setText(f"Trang {page}/{count}")
        u.prev_page.setEnabled(count > 0 and page > 1)
        u.next_page.setEnabled(count > 0 and page < count)
        fit = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        factor = self._fit_factor() if fit else self.view.zoomFactor()
        u.zoom_label.setText(f"{round(factor * 100)}%")
        u.fit_width.setEnabled(count > 0 and not fit)
        for b in (u.zoom_in, u.zoom_out):
            b.setEnabled(count > 0)

    def _show_font(self) -> None:
        """Which font the PDF embeds: Times New Roman, or the bundled Liberation Serif and why."""
        choice = embedded()
        label = self.ui.font_label
        label.setText(choice.short())
        label.setToolTip(choice.describe())
        label.setStyleSheet("" if choice.system else "color: #8a5a00;")

    # --- message and findings --------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        label = self.ui.message
        label.setText(text)
        label.setStyleSheet("color: #a40000; font-weight: bold;" if error else "")
        label.setVisible(bool(text))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_nav()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy

    @property
    def busy(self) -> bool:
        return self._busy

    def set_findings(self, findings: list[tuple[str, str, str, str]]) -> None:
        """(severity, field, text, tooltip) for each finding; severity is dirdesk.checks.ERROR or WARNING."""
        lst = self.ui.findings
        lst.clear()
        style = self.style()
        for severity, field, text, tooltip in findings:
            item = QListWidgetItem(text)
            item.setData(FIELD_ROLE, field)
            item.setToolTip(tooltip)
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical if severity == ERROR \
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            item.setIcon(style.standardIcon(icon))
            lst.addItem(item)
        if not findings:
            item = QListWidgetItem("Không thấy lỗi thể thức nào.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton))
            lst.addItem(item)

    def finding_items(self) -> list[QListWidgetItem]:
        lst = self.ui.findings
        return [lst.item(i) for i in range(lst.count()) if lst.item(i).data(FIELD_ROLE)]

    def _finding_chosen(self, item: QListWidgetItem) -> None:
        field = item.data(FIELD_ROLE)
        if field:
            self.fieldRequested.emit(field)

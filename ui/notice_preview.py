"""Preview a printed document (rendered with PDFium), then Print through Qt's print system or Save PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.printing import NO_PRINTER, SYSTEM_PRINTERS, Chosen, Printers
from ui.tasks import BackgroundTasks
from ui.theme import label

PREVIEW_SCALE = 1.25  # 90 dpi on screen: readable without zooming at 1366×768
PRINT_DPI = 300


def render_page_images(pdf: bytes, scale: float) -> list[QImage]:
    """Every page as an image (PDFium draws exactly what the printer gets)."""
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            bitmap = document[index].render(scale=scale, rev_byteorder=True)
            fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
            images.append(QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy())
    finally:
        document.close()
    return images


def print_page_images(pdf: bytes) -> list[QImage]:
    """The pages at print resolution. Seconds for a long document, so it runs on the background helper
    (QImage, unlike a widget, may be made off the GUI thread)."""
    return render_page_images(pdf, PRINT_DPI / 72)


def paint_pages(images: list[QImage], printer: QPrinter) -> None:
    """Paint ready page images onto `printer` (GUI thread), each fitted to the printable area."""
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise OSError("The printer could not be started.")
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
    finally:
        if painter.isActive():
            painter.end()


class DocumentPreview(QDialog):
    """Shows `make_pdf()`'s document; emits `handed_out` after a print or a save (a 'notice given' event)."""

    handed_out = Signal(str)  # "printed" / "saved"

    def __init__(
        self,
        title: str,
        make_pdf: Callable[[bool], bytes],
        tasks: BackgroundTasks,
        *,
        suggested_name: str,
        blank_toggle: bool | None = None,
        printers: Printers = SYSTEM_PRINTERS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — Counterpart")
        self.resize(900, 720)
        self._make_pdf = make_pdf
        self._tasks = tasks
        self._suggested = suggested_name
        self._printers = printers
        self.pdf: bytes = b""
        self.pages = QVBoxLayout()
        self.pages.setSpacing(14)
        holder = QWidget()
        holder.setLayout(self.pages)
        holder.setStyleSheet("background: #e9eeed;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.status = label("Preparing the document…", "muted")
        self.status.setObjectName("preview_status")
        self.blank = QCheckBox("Blank boxes, to tick by hand")
        self.blank.setObjectName("blank_boxes")
        self.blank.setVisible(blank_toggle is not None)
        self.blank.setChecked(bool(blank_toggle))
        self.blank.toggled.connect(lambda _checked: self.refresh())
        self.print_button = QPushButton("P&rint…")
        self.print_button.setObjectName("print")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button = QPushButton("Save as &PDF…")
        self.save_button.setObjectName("save_pdf")
        self.save_button.clicked.connect(self.save_with_dialog)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.blank)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Generate and render in the background; the buttons wait for the result."""
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        blank = self.blank.isChecked()
        make_pdf = self._make_pdf

        def work(_context: object) -> tuple[bytes, list[QImage]]:
            pdf = make_pdf(blank)
            return pdf, render_page_images(pdf, PREVIEW_SCALE)

        self._tasks.run(work, self._show, self._failed)

    def _show(self, result: object) -> None:
        assert isinstance(result, tuple)
        self.pdf, images = result
        while self.pages.count():
            item = self.pages.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for image in images:
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addWidget(page)
        count = len(images)
        pages = f"{count} page{'s' if count != 1 else ''}."
        self.save_button.setEnabled(True)
        if self._printers.names():
            self.status.setText(f"{pages} Print or save it.")
            self.print_button.setEnabled(True)
            self.print_button.setFocus()
        else:
            self._no_printer(pages)

    def _no_printer(self, before: str = "") -> None:
        """Say so, and make "Save as PDF…" the obvious next step (never an image PDF saved somewhere unasked)."""
        self.status.setText(f"{before} {NO_PRINTER}".strip())
        self.print_button.setEnabled(False)
        self.print_button.setDefault(False)
        self.save_button.setDefault(True)
        self.save_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(str(error))
        self.status.setProperty("role", "error")
        self.status.style().polish(self.status)

    def print_with_dialog(self) -> None:
        chosen = self._printers.default()
        if chosen is None:
            self._no_printer()
            return
        dialog = QPrintDialog(chosen.printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(chosen.printer, chosen.name)

    def print_to(self, printer: QPrinter, name: str = "") -> None:
        """Render the pages for the printer in the background, then paint them; `handed_out` when sent."""
        self.print_button.setEnabled(False)
        self.status.setText("Preparing the pages for the printer…")
        pdf = self.pdf
        self._printer = Chosen(name, printer)
        # Methods, not closures: Qt drops the connection if locking deletes this dialog before the task ends.
        self._tasks.run(lambda _context: print_page_images(pdf), self._painted, self._print_failed)

    def _painted(self, images: object) -> None:
        self.print_button.setEnabled(True)
        assert isinstance(images, list)
        try:
            paint_pages(images, self._printer.printer)
        except OSError as error:
            self._failed(error)
            return
        self.status.setText(self._printer.sent())
        self.handed_out.emit("printed")

    def _print_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self._failed(error)

    def save_with_dialog(self) -> None:
        default = str(Path.home() / self._suggested)
        path, _ = QFileDialog.getSaveFileName(self, "Save as PDF", default, "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        try:
            path.write_bytes(self.pdf)
        except OSError as error:
            self._failed(OSError(f"Could not save {path.name}: {error.strerror or type(error).__name__}."))
            return
        self.status.setText(f"Saved {path.name}.")
        self.handed_out.emit("saved")

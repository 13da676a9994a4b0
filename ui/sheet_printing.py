"""Printing a recovery sheet (at set-up, and after "Replace the book's key"): one path for both, so both say
which printer got it, and neither prints anywhere when no printer is installed.

The PDF is rendered and rasterised on the background helper (it can take a second); only painting the page
images onto the printer happens on the GUI thread, where Qt's printing must run."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from ui.notice_preview import paint_pages, print_page_images
from ui.printing import Printers
from ui.tasks import BackgroundTasks


def print_sheet(
    tasks: BackgroundTasks,
    printers: Printers,
    make_pdf: Callable[[], bytes],
    status: QLabel,
    no_printer: Callable[[], None],
) -> None:
    """Send the sheet `make_pdf` renders to the default printer and say so in `status`; call `no_printer` when
    there is none (the caller says so and points at "Save as PDF…")."""
    chosen = printers.default()
    if chosen is None:
        no_printer()
        return
    status.setText("Preparing the sheet for the printer…")

    def painted(images: object) -> None:
        assert isinstance(images, list)
        try:
            paint_pages(images, chosen.printer)
        except OSError as error:
            status.setText(str(error))
            return
        status.setText(chosen.sent() + " Keep the sheet somewhere safe.")

    def failed(error: BaseException) -> None:
        status.setText(f"Could not print the sheet: {error}")

    tasks.run(lambda _context: print_page_images(make_pdf()), painted, failed)

"""Which printers this computer has, and a QPrinter aimed at one: injectable, so tests can have none or one.

Without a printer Qt quietly prints to a PDF file (often ~/print.pdf) as an image; that must never happen behind
the owner's back, so everything that prints asks `Printers.default()` first and offers "Save as PDF…" instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

NO_PRINTER = (
    "No printer is installed on this computer. Save it as a PDF instead, then print it from a computer that has "
    "a printer (and delete the file afterwards)."
)


def installed_printers() -> list[str]:
    """The system's printers (CUPS / Windows / macOS), the default one first."""
    names = [info.printerName() for info in QPrinterInfo.availablePrinters()]
    default = QPrinterInfo.defaultPrinterName()
    return sorted(names, key=lambda name: name != default)


def native_printer(name: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(name)
    return printer


@dataclass(frozen=True)
class Printers:
    """`names()` lists the installed printers (default first); `make(name)` gives a QPrinter for one of them."""

    names: Callable[[], list[str]] = installed_printers
    make: Callable[[str], QPrinter] = native_printer

    def default(self) -> Chosen | None:
        """The default printer, or None when there is none (the caller says NO_PRINTER and offers a PDF)."""
        names = self.names()
        return Chosen(names[0], self.make(names[0])) if names else None


@dataclass(frozen=True)
class Chosen:
    name: str  # kept apart: a QPrinter aimed at a file (as in tests) reports no name
    printer: QPrinter

    def sent(self) -> str:
        """'Sent to the printer HP-Counter.' — naming it, so the owner knows where to collect the page. After the
        print dialog the printer may be another one than the default: the QPrinter knows which."""
        return f"Sent to the printer {self.printer.printerName() or self.name}."


SYSTEM_PRINTERS = Printers()


def pdf_name(document: str, shop: str, day: date | None = None) -> str:
    """A default file name with the shop and the date: 'Privacy notice - Corner Bakery - 2026-12-02.pdf'."""
    safe_shop = "".join(ch for ch in shop if ch not in '/\\:*?"<>|').strip() or "Counterpart"
    return f"{document} - {safe_shop} - {(day or date.today()).isoformat()}.pdf"

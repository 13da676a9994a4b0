"""Search keystroke → results in the model, through the real Qt list view offscreen, against a plaintext
SQLite `LIKE` over the same names, phones and e-mails (same result cap)."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Iterator

from bench.context import Context
from bench.measure import Figure, Stats
from bench.shop_generator import PASSPHRASE, SHOP, working_copy
from core.book import CustomerBook
from core.customers.phones import index_digits
from core.customers.search import DEFAULT_LIMIT, query_tokens

NAME = "search"
TARGET_MS = 16.0
RATIO_SIZE = 100_000
# What staff type at the counter: names in several scripts, phone digits (international, national with the trunk
# prefix, dialled from abroad), e-mail fragments, and a miss.
WORDS = (
    "ana", "smith", "oliver", "mül", "nguyen", "шев", "παπ", "7400", "555", "07400", "0044 74", "@exa", "chloe",
    "jones12", "zzq",
)  # fmt: skip


def keystrokes() -> Iterator[str]:
    """The search box text after each keystroke: each word typed letter by letter, then cleared."""
    for word in WORDS:
        for end in range(1, len(word) + 1):
            yield word[:end]
        yield ""  # select all + Backspace


def qt_app() -> object:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    # The offscreen platform warns on every window resize; it says nothing about what is measured.
    qInstallMessageHandler(
        lambda _kind, _context, message: None if "propagateSizeHints" in message else print(message, file=sys.stderr)
    )
    return QApplication.instance() or QApplication(["bench"])


def _type(widget: object, character: str) -> None:
    """One key press and release carrying `character`, as a keyboard with that letter sends it."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    code = ord(character.upper()) if character.isascii() else 0
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, character))


def _time_view(book: CustomerBook, rounds: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.customer_list_view import CustomerListView

    qt_app()
    view = CustomerListView()
    view.resize(900, 700)
    view.show()
    view.set_search(book.index.search)
    box = view.search_box
    box.setFocus()
    answered: list[int] = []
    view.results_changed.connect(lambda count, _more: answered.append(count))
    samples: list[float] = []
    try:
        for round_number in range(rounds + 1):  # round 0 warms up
            for text in keystrokes():
                QApplication.processEvents()  # paint the previous result, outside the timed span
                answered.clear()
                started = time.perf_counter()
                if text:
                    _type(box, text[-1])
                else:
                    box.selectAll()
                    QTest.keyClick(box, Qt.Key.Key_Backspace)
                while not answered:  # the model is filled synchronously today; wait if that ever changes
                    QApplication.processEvents()
                elapsed = (time.perf_counter() - started) * 1000.0
                if box.text() != text:
                    raise RuntimeError(f"search box holds {box.text()!r}, expected {text!r}")
                if round_number:
                    samples.append(elapsed)
    finally:
        view.set_search(None)
        view.deleteLater()
        QApplication.processEvents()
    return samples


def _plaintext_table(book: CustomerBook, path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, phone TEXT, email TEXT)")
    rows = (
        # The phone column holds what the index holds for it (E.164 digits and national form), so both sides
        # answer "07400" alike.
        (c.id, c.name, index_digits(c.phones[0]) if c.phones else "", c.emails[0] if c.emails else "")
        for c in book.customers.iter_all()
    )
    connection.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", rows)
    connection.commit()
    return connection


def _time_like(connection: sqlite3.Connection, rounds: int) -> list[float]:
    query = "SELECT id, name, phone, email FROM customers WHERE name LIKE ? OR phone LIKE ? OR email LIKE ? LIMIT ?"
    samples: list[float] = []
    for round_number in range(rounds + 1):
        for text in keystrokes():
            digits = query_tokens(text, SHOP.phone_region)  # "0044 74" → "4474", as the index reads it
            pattern = f"%{digits[0] if len(digits) == 1 and digits[0].isdigit() else text}%"
            started = time.perf_counter()
            connection.execute(query, (pattern, pattern, pattern, DEFAULT_LIMIT + 1)).fetchall()
            elapsed = (time.perf_counter() - started) * 1000.0
            if round_number:
                samples.append(elapsed)
    return samples


def run(ctx: Context) -> list[Figure]:
    rounds = ctx.repeats(5, 1)
    figures: list[Figure] = []
    for size in ctx.sizes:
        folder = working_copy(ctx.shop(size), ctx.work / "search")
        book = CustomerBook(folder)
        try:
            book.unlock(PASSPHRASE)
            mine = _time_view(book, rounds)
            connection = _plaintext_table(book, str(ctx.work / f"plaintext-{size}.db"))
            try:
                theirs = _time_like(connection, rounds)
            finally:
                connection.close()
        finally:
            book.close()
        stats, base = Stats.of(mine), Stats.of(theirs)
        figure = Figure(
            name=NAME,
            label="search keystroke → results in the model",
            size=size,
            unit="ms",
            median=stats.median,
            p95=stats.p95,
            baseline_label="plaintext SQLite LIKE, same data and cap",
            baseline_median=base.median,
            baseline_p95=base.p95,
            target="p95 ≤ 16 ms and ≤ 0.5×" if size >= RATIO_SIZE else "p95 ≤ 16 ms (≤ 0.5× applies at 100k)",
            passed=False,
            judged_on="p95",
            samples=stats.count,
            note=f"{stats.count} keystrokes over {len(WORDS)} words; real CustomerListView + proxy, offscreen",
        )
        # The design states the "no slower than LIKE" half for 100,000 customers; smaller shops get the 16 ms bound.
        figure.passed = stats.p95 <= TARGET_MS and (size < RATIO_SIZE or figure.ratio <= 0.5)
        figures.append(figure)
    return figures

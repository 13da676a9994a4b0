"""Screenshots for the README: the real window under Xvfb (`make screenshots`), demo data, 1366×768.

Usage: xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/take_screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from core.crypto import FAST_TEST_KDF  # noqa: E402
from core.data_folder import DataFolder  # noqa: E402
from core.demo import create_demo_shop  # noqa: E402
from ui.app import build_window  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

Step = Callable[[], None]


class Director:
    """Runs steps one after another on the event loop, so each screen is painted before it is grabbed."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.steps: list[tuple[Step, int]] = []

    def then(self, step: Step, wait_ms: int = 400) -> Director:
        self.steps.append((step, wait_ms))
        return self

    def grab(self, widget: QWidget, name: str) -> Step:
        return lambda: widget.grab().save(str(self.out / f"{name}.png"))

    def run(self) -> None:
        if not self.steps:
            QApplication.quit()
            return
        step, wait = self.steps.pop(0)
        step()
        QTimer.singleShot(wait, self.run)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    # The setup wizard over an empty folder.
    empty = DataFolder(Path(tempfile.mkdtemp(prefix="counterpart-shots-")) / "new")
    wizard_window = build_window(empty, {"kdf_provider": lambda: FAST_TEST_KDF})
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(wizard_window.session)
    wizard.resize(760, 560)
    # A demo shop for the main window.
    demo_folder = DataFolder(Path(tempfile.mkdtemp(prefix="counterpart-shots-")) / "demo")
    demo = create_demo_shop(demo_folder)
    window = build_window(demo_folder, {"kdf_provider": lambda: FAST_TEST_KDF})
    window.resize(1366, 768)
    window.show()

    def fill_shop() -> None:
        wizard.show()
        wizard.next()
        wizard.shop_page.name.setText("Ana's Corner Shop")

    def fill_passphrase() -> None:
        wizard.next()
        wizard.passphrase_page.fields.fill_suggestion()

    def unlock() -> None:
        wizard.hide()
        window.session.unlock(demo.passphrase, "passphrase", False)

    def open_customer() -> None:
        window.list_view.search_box.setText("ma")
        window.list_view.open_current()

    director = Director(out)
    director.then(fill_shop).then(director.grab(wizard, "setup-shop"))
    director.then(fill_passphrase).then(director.grab(wizard, "setup-passphrase"))
    director.then(director.grab(window, "unlock"))
    director.then(unlock, 1500).then(director.grab(window, "main-window"))
    director.then(open_customer).then(director.grab(window, "customer-detail"))
    director.then(lambda: window.book.close(), 100)
    QTimer.singleShot(300, director.run)
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))

"""The desktop entry is well-formed and matches the window's desktop file name and the shipped icon."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_desktop_entry_has_the_required_keys() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(ROOT / "installer" / "linux" / "counterpart.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Counterpart"
    assert entry["Exec"].split()[0] == "counterpart"
    assert entry["Categories"].endswith(";")
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()
    assert 'setDesktopFileName("counterpart")' in (ROOT / "ui" / "app.py").read_text(encoding="utf-8")

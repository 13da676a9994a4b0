"""Counterpart's Qt adapter: windows, dialogs, table models and the background-task helper over core/."""

"""Logging to a rotating file in the data folder. Log lines carry ids and counts, never personal data."""

from __future__ import annotations

import logging
import logging.handlers

from core.storage.data_folder import DataFolder

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(folder: DataFolder, level: int = logging.INFO) -> logging.Handler:
    folder.ensure()
    handler = logging.handlers.RotatingFileHandler(
        folder.logs / "counterpart.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    # SQLAlchemy's echo and Alembic's chatter could print statements with bound values; keep them quiet.
    for noisy in ("sqlalchemy", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler

"""Counterpart's domain: vault, records, customers, search, consent, notices, backups. Never imports Qt."""

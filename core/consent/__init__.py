"""Consent: the append-only chained ledger, its events and checkpoint, the counter desk, marketing exports.

Imports the lower packages (keys, storage, shop, catalogue, customers); never notice, backup or above."""

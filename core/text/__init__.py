"""Rules for free text that every package shares: no payment card details anywhere; spreadsheet-safe CSV cells.

Imports only core.errors, so the lowest packages (shop, storage) can use it."""

"""Keys: crypto primitives, the vault's key slots, the OS keyring, passphrase rules and the recovery sheet.

Holds no files and no database. Imports only core.errors and core.pdf (for the printed recovery sheet)."""

"""Storage: the data folder's files, the database (engine, tables, migrations), sealed rows and settings.

Every byte that reaches disk goes through here. Imports only core.errors and core.keys."""

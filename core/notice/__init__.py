"""The privacy notice: its text from the catalogue and shop profile, its versions, and its PDFs.

Imports the lower packages (pdf, keys, storage, shop, catalogue, customers); not consent, backup or above."""

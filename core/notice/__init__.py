"""The privacy notice: its text from the catalogue and shop profile, its versions, and its PDFs."""

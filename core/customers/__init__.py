"""Customers: drafts and validation, encrypted customer rows, the search index, visits, profiling answers.

Imports core.errors, core.keys, core.storage, core.shop and core.catalogue; nothing above them."""

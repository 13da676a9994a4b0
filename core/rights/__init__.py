"""Customers' rights (reserved for the rights desk and retention): requests, access, erasure, restriction.

May import everything below it (keys, storage, shop, catalogue, customers, consent, notice)."""

"""Staff (reserved): staff members, their roles and key slots, and who did what.

Sits just above keys and storage so that every domain package can ask it who is acting and what they may do."""

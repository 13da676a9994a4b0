"""Storage: SQLAlchemy tables, the engine with its safety pragmas, and Alembic migrations."""

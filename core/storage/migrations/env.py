"""Alembic environment: runs on the engine Counterpart hands over (no URL in a config file)."""

from alembic import context

from core.storage.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

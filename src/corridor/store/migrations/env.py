"""Alembic environment: migrations run on the connection `store.migrate` hands over."""

from alembic import context

from corridor.store.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through corridor.store.migrate.upgrade(), which passes a connection")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()

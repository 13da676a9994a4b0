"""The audit log becomes append-only and chained, like the consent ledger.

Adds `seq` (the chain's order: a plain integer with a unique index, since SQLite cannot add a primary key to a
table with rows; existing rows are numbered in order of `at`, then `id`), `prev_mac` and `mac`, and triggers
refusing UPDATE and DELETE. Rows written before the chain have no MAC yet: the first unlock chains them
(core/storage/audit.py, `AuditLog.check_tail`), which is why the UPDATE trigger only protects rows that have a MAC.
The foreign key to customers goes: its ON DELETE SET NULL would be an UPDATE of a sealed row (refused by the
trigger, so no customer with an audit entry could be deleted); like consent_events, the log outlives the
customer row, and erasure will handle it deliberately.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The unnamed foreign key from 0001 gets a name while the table is copied, so it can be dropped by name.
_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def upgrade() -> None:
    with op.batch_alter_table("audit_events", naming_convention=_NAMING) as batch:
        batch.drop_constraint("fk_audit_events_customer_id_customers", type_="foreignkey")
        batch.add_column(sa.Column("seq", sa.Integer, nullable=True))
        batch.add_column(sa.Column("prev_mac", sa.String(64), nullable=True))
        batch.add_column(sa.Column("mac", sa.String(64), nullable=True))
    connection = op.get_bind()
    ordered = connection.exec_driver_sql("SELECT id FROM audit_events ORDER BY at, id").all()
    for seq, (event_id,) in enumerate(ordered, start=1):
        connection.exec_driver_sql("UPDATE audit_events SET seq = ? WHERE id = ?", (seq, event_id))
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("seq", existing_type=sa.Integer, nullable=False)
        batch.create_index("ix_audit_events_seq", ["seq"], unique=True)
    # Worded like consent_events' triggers (0002). UPDATE is refused once a row is chained: the one-time
    # chaining at unlock only fills prev_mac and mac of rows that have none.
    op.execute(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events WHEN OLD.mac IS NOT NULL "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
    )


def downgrade() -> None:
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{action}")
    # What ON DELETE SET NULL would have done for customers deleted meanwhile, so the foreign key can come back.
    op.execute("UPDATE audit_events SET customer_id = NULL WHERE customer_id NOT IN (SELECT id FROM customers)")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_seq")
        batch.drop_column("mac")
        batch.drop_column("prev_mac")
        batch.drop_column("seq")
        batch.create_foreign_key(
            "fk_audit_events_customer_id_customers", "customers", ["customer_id"], ["id"], ondelete="SET NULL"
        )

"""the operation's time zone: where it happens, the zone its times are shown in (an operation recorded before it
had one shows UTC, as before, unless the server is told another zone)

Revision ID: 0013_operation_time_zone
Revises: 0012_spine
"""
import sqlalchemy as sa
from alembic import op


revision = '0013_operation_time_zone'
down_revision = '0012_spine'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('operation') as batch:
        batch.add_column(sa.Column('time_zone', sa.String(64), nullable=False, server_default='UTC'))


def downgrade() -> None:
    with op.batch_alter_table('operation') as batch:
        batch.drop_column('time_zone')

"""an index for the boarding surge: persons by trip, state and mobility (a trip's aboard and lying counts, read on
every scan, from the index alone, instead of walking every person in an aboard state) (issue 13)

Revision ID: 0012_spine
Revises: 0011_papers
"""
from alembic import op


revision = '0012_spine'
down_revision = '0011_papers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_persons_trip_state', 'persons', ['trip', 'state', 'mobility'])


def downgrade() -> None:
    op.drop_index('ix_persons_trip_state', table_name='persons')

"""papers: drivers' names sealed in the views; the linked operation's incidents; movement notifications issued
(issue 11)

Revision ID: 0011_papers
Revises: 0010_the_road

The views' ``vehicles.driver`` and ``trips.driver`` hold a driver's name sealed under the operation's drivers' key
(store/sealing.py), which needs a wider column. A migration cannot reach the master key (it lives outside the
database, and an upgrade must not depend on it), so names written in the clear before this revision are removed
from the views here, not sealed: a manifest of such a trip says no driver. The ledger keeps them as recorded (its
hash chain forbids rewriting it — as for persons' names in 0005); a rebuild leaves them out of the views the same
way, so rebuilt views stay identical.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_papers'
down_revision = '0010_the_road'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('linked_incidents',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('incident', sa.String(length=20), nullable=False),
    sa.Column('vehicles', sa.Integer(), nullable=False),
    sa.Column('persons_affected', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_linked_incidents'))
    )
    op.create_table('notifications_issued',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('scope', sa.String(length=60), nullable=False),
    sa.Column('convoy', sa.String(length=32), nullable=True),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('lead_hours', sa.Float(), nullable=False),
    sa.Column('required_hours', sa.Integer(), nullable=False),
    sa.Column('vehicles', sa.Integer(), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_notifications_issued'))
    )
    for table in ('vehicles', 'trips'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('driver', existing_type=sa.String(length=100), type_=sa.Text(),
                                  existing_nullable=True)
        op.execute(sa.text(f"UPDATE {table} SET driver = NULL WHERE driver IS NOT NULL AND driver NOT LIKE 'enc:%'"))


def downgrade() -> None:
    op.drop_table('notifications_issued')
    op.drop_table('linked_incidents')
    for table in ('trips', 'vehicles'):
        op.execute(sa.text(f"UPDATE {table} SET driver = NULL WHERE length(driver) > 100"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('driver', existing_type=sa.Text(), type_=sa.String(length=100),
                                  existing_nullable=True)

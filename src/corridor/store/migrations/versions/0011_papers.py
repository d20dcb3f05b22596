"""papers: drivers' names sealed in the views (issue 11)

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
    for table in ('vehicles', 'trips'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('driver', existing_type=sa.String(length=100), type_=sa.Text(),
                                  existing_nullable=True)
        op.execute(sa.text(f"UPDATE {table} SET driver = NULL WHERE driver IS NOT NULL AND driver NOT LIKE 'enc:%'"))


def downgrade() -> None:
    for table in ('trips', 'vehicles'):
        op.execute(sa.text(f"UPDATE {table} SET driver = NULL WHERE length(driver) > 100"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('driver', existing_type=sa.Text(), type_=sa.String(length=100),
                                  existing_nullable=True)

"""account language: the language of the screens each account chose last (issue 9: remembered per account)

Revision ID: 0008_account_language
Revises: 0007_claims
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_account_language'
down_revision = '0007_claims'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('language')

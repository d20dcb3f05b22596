"""claims: every version of every claim and its withdrawal (a view of the ledger)

Revision ID: 0007_claims
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_claims'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claims',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('claim', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_claims'))
    )
    op.create_index(op.f('ix_claims_claim'), 'claims', ['claim'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_claims_claim'), table_name='claims')
    op.drop_table('claims')

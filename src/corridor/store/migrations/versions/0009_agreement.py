"""the agreement as rules (issue 11): its versions, persons' categories (sealed), the linked operation's figures,
the overrides of its rules

Revision ID: 0009_agreement
Revises: 0008_account_language
"""
from alembic import op
import sqlalchemy as sa



revision = '0009_agreement'
down_revision = '0008_account_language'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreement_versions',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_agreement_versions'))
    )
    op.create_table('person_categories',
    sa.Column('person', sa.String(length=9), nullable=False),
    sa.Column('household', sa.String(length=9), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person'], ['persons.token'], name=op.f('fk_person_categories_person_persons')),
    sa.PrimaryKeyConstraint('person', name=op.f('pk_person_categories'))
    )
    op.create_index(op.f('ix_person_categories_household'), 'person_categories', ['household'], unique=False)
    op.create_table('linked_figures',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('moved', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_linked_figures'))
    )
    op.create_table('agreement_overrides',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('trip', sa.String(length=16), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_agreement_overrides'))
    )


def downgrade() -> None:
    op.drop_table('agreement_overrides')
    op.drop_table('linked_figures')
    op.drop_index(op.f('ix_person_categories_household'), table_name='person_categories')
    op.drop_table('person_categories')
    op.drop_table('agreement_versions')

"""encryption at rest: sealed personal fields, household data keys, the blind name index, erasure

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The plain name, birth date and vulnerability columns of the persons view give way to sealed ones.
Views of a database recorded before this revision are emptied of those fields (its ledger keeps them
in the clear: the hash chain forbids rewriting it; start a new database for a new operation).
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('household_keys',
    sa.Column('household', sa.String(length=9), nullable=False),
    sa.Column('wrapped', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('household', name=op.f('pk_household_keys'))
    )
    op.create_table('keyring',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keyring'))
    )
    op.create_table('name_index',
    sa.Column('term', sa.String(length=32), nullable=False),
    sa.Column('person', sa.String(length=9), nullable=False),
    sa.Column('household', sa.String(length=9), nullable=False),
    sa.ForeignKeyConstraint(['person'], ['persons.token'], name=op.f('fk_name_index_person_persons')),
    sa.PrimaryKeyConstraint('term', 'person', name=op.f('pk_name_index'))
    )
    with op.batch_alter_table('name_index', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_name_index_household'), ['household'], unique=False)
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('erased_reason', sa.String(length=20), nullable=True))
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('sealed_links', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('vulnerable', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_column('name_ar')
        batch_op.drop_column('name_latin')
        batch_op.drop_column('birth_date')
        batch_op.drop_column('vulnerabilities')
        batch_op.alter_column('held_reason', existing_type=sa.String(length=500), type_=sa.Text())
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.alter_column('vulnerable', server_default=None)
    with op.batch_alter_table('manifest', schema=None) as batch_op:
        batch_op.alter_column('off_reason', existing_type=sa.String(length=500), type_=sa.Text())
    with op.batch_alter_table('person_links', schema=None) as batch_op:
        batch_op.alter_column('linked_to', existing_type=sa.String(length=9), type_=sa.String(length=32))


def downgrade() -> None:
    with op.batch_alter_table('person_links', schema=None) as batch_op:
        batch_op.alter_column('linked_to', existing_type=sa.String(length=32), type_=sa.String(length=9))
    with op.batch_alter_table('manifest', schema=None) as batch_op:
        batch_op.alter_column('off_reason', existing_type=sa.Text(), type_=sa.String(length=500))
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.alter_column('held_reason', existing_type=sa.Text(), type_=sa.String(length=500))
        batch_op.add_column(sa.Column('vulnerabilities', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('birth_date', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('name_latin', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('name_ar', sa.String(length=200), nullable=False, server_default=''))
        batch_op.drop_column('vulnerable')
        batch_op.drop_column('sealed_links')
        batch_op.drop_column('sealed')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_column('erased_reason')
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('name_index', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_name_index_household'))
    op.drop_table('name_index')
    op.drop_table('keyring')
    op.drop_table('household_keys')

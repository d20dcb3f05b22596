"""the road: private vehicles (their driver; their trips and people not registered), convoys turned back,
vehicles lost on the road with people aboard and their follow-up (issue 11)

Revision ID: 0010_the_road
Revises: 0008_account_language
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_the_road'
down_revision = '0009_agreement'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('driver', sa.String(length=100), nullable=True))
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('private', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('unregistered', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('turned_back_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('back_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('road_site', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('incident', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('road_note', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('driver', sa.String(length=100), nullable=True))
    with op.batch_alter_table('manifest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('turned_back', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('follow_up', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('follow_up_to', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('manifest', schema=None) as batch_op:
        for name in ('follow_up_to', 'follow_up', 'turned_back'):
            batch_op.drop_column(name)
    with op.batch_alter_table('trips', schema=None) as batch_op:
        for name in ('driver', 'road_note', 'incident', 'road_site', 'back_at', 'turned_back_at', 'unregistered', 'private'):
            batch_op.drop_column(name)
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.drop_column('driver')

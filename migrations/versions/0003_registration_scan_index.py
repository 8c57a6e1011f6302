"""registration: drop the scans' index on event_id, which the (event_id, nonce) one covers

Revision ID: 0003_registration
Revises: 0002_registration
Create Date: 2026-12-01 11:15:00

"""
from alembic import op


revision = '0003_registration'
down_revision = '0002_registration'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkin_scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_scan_event_id'))


def downgrade():
    with op.batch_alter_table('checkin_scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_scan_event_id'), ['event_id'], unique=False)

"""registration: settings, registrations, workshop choices, check-in scans

Revision ID: 0002_registration
Revises: 0001_core
Create Date: 2026-11-22 04:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_registration'
down_revision = '0001_core'
branch_labels = ('registration',)
depends_on = None


def upgrade():
    op.create_table('registration_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('onsite_capacity', sa.Integer(), nullable=False),
    sa.Column('remote_capacity', sa.Integer(), nullable=True),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_settings_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_settings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_registration_settings_event_id'))
    )
    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('attendance', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('code', name=op.f('uq_registration_code')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_registration_event_id_email')),
    sa.UniqueConstraint('token', name=op.f('uq_registration_token'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_event_id'), ['event_id'], unique=False)

    op.create_table('registration_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('rotation', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_registration_choice_registration_id_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slot.id'], name=op.f('fk_registration_choice_slot_id_slot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_choice')),
    sa.UniqueConstraint('registration_id', 'rotation', name=op.f('uq_registration_choice_registration_id_rotation')),
    sa.UniqueConstraint('registration_id', 'slot_id', name=op.f('uq_registration_choice_registration_id_slot_id'))
    )
    with op.batch_alter_table('registration_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_choice_slot_id'), ['slot_id'], unique=False)

    op.create_table('checkin_scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('scanned_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('first_checked_in_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_checkin_scan_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_checkin_scan_registration_id_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_checkin_scan_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_scan')),
    sa.UniqueConstraint('event_id', 'nonce', name=op.f('uq_checkin_scan_event_id_nonce'))
    )
    with op.batch_alter_table('checkin_scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_scan_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_scan_registration_id'), ['registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('checkin_scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_scan_registration_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_scan_event_id'))
    op.drop_table('checkin_scan')
    with op.batch_alter_table('registration_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_choice_slot_id'))
    op.drop_table('registration_choice')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_event_id'))
    op.drop_table('registration')
    op.drop_table('registration_settings')

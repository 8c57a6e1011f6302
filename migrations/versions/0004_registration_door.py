"""registration: short ticket codes typed at the door, and each registrant's language

Revision ID: 0004_registration_door
Revises: 0003_registration
Create Date: 2026-12-01 23:20:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0004_registration_door'
down_revision = '0003_registration'
branch_labels = None
depends_on = None

# Frozen copies of eventhub.registration.tickets' alphabet and length: a migration must
# keep doing what it did when it was written.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def _backfill(connection):
    """A short code for every existing registration, unique within its event."""
    registration = sa.table('registration', sa.column('id', sa.Integer),
                            sa.column('event_id', sa.Integer),
                            sa.column('short_code', sa.String))
    taken = set()
    for row in connection.execute(sa.select(registration.c.id, registration.c.event_id)):
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            if (row.event_id, code) not in taken:
                break
        taken.add((row.event_id, code))
        connection.execute(registration.update().where(registration.c.id == row.id)
                           .values(short_code=code))


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=False,
                                      server_default='fr'))
    _backfill(op.get_bind())
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.alter_column('short_code', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_registration_event_id_short_code'),
                                          ['event_id', 'short_code'])


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registration_event_id_short_code'),
                                 type_='unique')
        batch_op.drop_column('language')
        batch_op.drop_column('short_code')

"""accounts: a session stamp on each account, part of every session cookie

Revision ID: 0004_accounts_stamp
Revises: 0001_core
Create Date: 2026-12-01 21:45:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_accounts_stamp'
down_revision = '0001_core'
branch_labels = ('accounts',)
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('session_stamp', sa.String(length=32), nullable=True))
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('session_stamp', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_stamp=secrets.token_urlsafe(16)))
    with op.batch_alter_table('user') as batch_op:
        batch_op.alter_column('session_stamp', existing_type=sa.String(length=32),
                              nullable=False)


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('session_stamp')

"""directory: owners' edits of published entries wait for a moderator

Revision ID: 0003_directory_pending
Revises: 0002_directory
Create Date: 2026-12-01 21:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_directory_pending'
down_revision = '0002_directory'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('directory_teleworker', 'directory_venue'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('pending_changes', sa.JSON(), nullable=True))


def downgrade():
    for table in ('directory_teleworker', 'directory_venue'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('pending_changes')

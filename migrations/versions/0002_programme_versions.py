"""programme: published versions, the revision counter of each event, SEQUENCE by version

Revision ID: 0002_programme_versions
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_programme_versions"
down_revision = "0001_core"
branch_labels = ("programme",)
depends_on = None


def upgrade():
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("programme_revision", sa.Integer(), server_default="1",
                                   nullable=False))
        batch.add_column(sa.Column("programme_version", sa.Integer(), server_default="0",
                                   nullable=False))
    with op.batch_alter_table("slot") as batch:
        batch.add_column(sa.Column("sequence_version", sa.Integer(), server_default="0",
                                   nullable=False))
    op.create_table(
        "programme_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name="fk_programme_version_event_id_event", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_programme_version"),
        sa.UniqueConstraint("event_id", "number",
                            name="uq_programme_version_event_id_number"),
    )


def downgrade():
    op.drop_table("programme_version")
    with op.batch_alter_table("slot") as batch:
        batch.drop_column("sequence_version")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("programme_version")
        batch.drop_column("programme_revision")

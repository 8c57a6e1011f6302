"""live: stream sources, moderation settings, questions and votes

Revision ID: 0002_live
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_live"
down_revision = "0001_core"
branch_labels = ("live",)
depends_on = None


def upgrade():
    op.create_table(
        "live_stream",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("embed_url", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name="fk_live_stream_event_id_event", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"],
                                name="fk_live_stream_room_id_room", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_live_stream"),
        sa.UniqueConstraint("event_id", "room_id", name="uq_live_stream_event_id_room_id"),
    )
    op.create_table(
        "live_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("premoderation", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name="fk_live_settings_event_id_event", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_live_settings"),
        sa.UniqueConstraint("event_id", name="uq_live_settings_event_id"),
    )
    op.create_table(
        "live_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("viewer", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name="fk_live_question_event_id_event", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["slot_id"], ["slot.id"],
                                name="fk_live_question_slot_id_slot", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_live_question"),
    )
    op.create_index("ix_live_question_event_id", "live_question", ["event_id"], unique=False)
    op.create_table(
        "live_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("viewer", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["live_question.id"],
                                name="fk_live_vote_question_id_live_question",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_live_vote"),
        sa.UniqueConstraint("question_id", "viewer", name="uq_live_vote_question_id_viewer"),
    )


def downgrade():
    op.drop_table("live_vote")
    op.drop_index("ix_live_question_event_id", table_name="live_question")
    op.drop_table("live_question")
    op.drop_table("live_settings")
    op.drop_table("live_stream")

"""directory: teleworkers, skills, venues, contact messages, audit, event venues

Revision ID: 0002_directory
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_directory"
down_revision = "0001_core"
branch_labels = ("directory",)
depends_on = None


def upgrade():
    op.create_table(
        "directory_skill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_skill")),
        sa.UniqueConstraint("name", name=op.f("uq_directory_skill_name")),
    )
    op.create_table(
        "directory_teleworker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=140), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("commune", sa.String(length=120), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("presentation", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("edit_token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_teleworker")),
        sa.UniqueConstraint("slug", name=op.f("uq_directory_teleworker_slug")),
        sa.UniqueConstraint("edit_token_hash",
                            name=op.f("uq_directory_teleworker_edit_token_hash")),
    )
    op.create_index(op.f("ix_directory_teleworker_commune"), "directory_teleworker",
                    ["commune"], unique=False)
    op.create_index(op.f("ix_directory_teleworker_state"), "directory_teleworker",
                    ["state"], unique=False)
    op.create_table(
        "directory_teleworker_skill",
        sa.Column("teleworker_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["skill_id"], ["directory_skill.id"],
                                name=op.f("fk_directory_teleworker_skill_skill_id_directory_skill"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["teleworker_id"], ["directory_teleworker.id"],
            name=op.f("fk_directory_teleworker_skill_teleworker_id_directory_teleworker"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("teleworker_id", "skill_id",
                                name=op.f("pk_directory_teleworker_skill")),
    )
    op.create_table(
        "directory_venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=140), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("commune", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("opening_hours", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("open_to_public", sa.Boolean(), nullable=False),
        sa.Column("charter_version", sa.Integer(), nullable=False),
        sa.Column("charter_accepted_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("edit_token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_venue")),
        sa.UniqueConstraint("slug", name=op.f("uq_directory_venue_slug")),
        sa.UniqueConstraint("edit_token_hash", name=op.f("uq_directory_venue_edit_token_hash")),
    )
    op.create_index(op.f("ix_directory_venue_commune"), "directory_venue", ["commune"],
                    unique=False)
    op.create_index(op.f("ix_directory_venue_state"), "directory_venue", ["state"],
                    unique=False)
    op.create_table(
        "directory_contact_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teleworker_id", sa.Integer(), nullable=True),
        sa.Column("venue_id", sa.Integer(), nullable=True),
        sa.Column("sender_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["teleworker_id"], ["directory_teleworker.id"],
            name=op.f("fk_directory_contact_message_teleworker_id_directory_teleworker"),
            ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["venue_id"], ["directory_venue.id"],
                                name=op.f("fk_directory_contact_message_venue_id_directory_venue"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_contact_message")),
    )
    op.create_index(op.f("ix_directory_contact_message_teleworker_id"),
                    "directory_contact_message", ["teleworker_id"], unique=False)
    op.create_index(op.f("ix_directory_contact_message_venue_id"),
                    "directory_contact_message", ["venue_id"], unique=False)
    op.create_table(
        "directory_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("target_label", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_directory_audit_user_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_audit")),
    )
    op.create_index(op.f("ix_directory_audit_at"), "directory_audit", ["at"], unique=False)
    op.create_table(
        "directory_event_venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name=op.f("fk_directory_event_venue_event_id_event"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["venue_id"], ["directory_venue.id"],
                                name=op.f("fk_directory_event_venue_venue_id_directory_venue"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_event_venue")),
        sa.UniqueConstraint("event_id", name=op.f("uq_directory_event_venue_event_id")),
    )
    op.create_index(op.f("ix_directory_event_venue_venue_id"), "directory_event_venue",
                    ["venue_id"], unique=False)


def downgrade():
    op.drop_table("directory_event_venue")
    op.drop_table("directory_audit")
    op.drop_table("directory_contact_message")
    op.drop_table("directory_venue")
    op.drop_table("directory_teleworker_skill")
    op.drop_table("directory_teleworker")
    op.drop_table("directory_skill")

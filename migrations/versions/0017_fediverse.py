"""the fediverse: the key pair, remote actors, followers, federated posts, activities with one
delivery row per inbox, paused servers, likes and boosts; settings, reply and count columns

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "federated_posts",
        sa.Column("post_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("object_uri", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_federated_posts")),
    )
    op.create_table(
        "fediverse_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fediverse_activities")),
    )
    op.create_table(
        "fediverse_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fediverse_keys")),
    )
    op.create_table(
        "remote_actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=500), nullable=False),
        sa.Column("key_id", sa.String(length=500), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("inbox", sa.String(length=500), nullable=False),
        sa.Column("shared_inbox", sa.String(length=500), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("handle", sa.String(length=300), nullable=False),
        sa.Column("profile_url", sa.String(length=500), nullable=False),
        sa.Column("icon_url", sa.String(length=500), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_actors")),
        sa.UniqueConstraint("uri", name=op.f("uq_remote_actors_uri")),
    )
    with op.batch_alter_table("remote_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remote_actors_host"), ["host"], unique=False)
        batch_op.create_index(batch_op.f("ix_remote_actors_key_id"), ["key_id"], unique=False)

    op.create_table(
        "remote_servers",
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("paused_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_remote_servers")),
    )
    op.create_table(
        "fediverse_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("inbox", sa.String(length=500), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["fediverse_activities.id"],
            name=op.f("fk_fediverse_deliveries_activity_id_fediverse_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fediverse_deliveries")),
        sa.UniqueConstraint("activity_id", "inbox", name=op.f("uq_fediverse_deliveries_activity_id")),
    )
    with op.batch_alter_table("fediverse_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fediverse_deliveries_host"), ["host"], unique=False)
        batch_op.create_index(
            "ix_fediverse_deliveries_status_due", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "fediverse_followers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("follow_uri", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["remote_actors.id"],
            name=op.f("fk_fediverse_followers_actor_id_remote_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fediverse_followers")),
        sa.UniqueConstraint("actor_id", name=op.f("uq_fediverse_followers_actor_id")),
    )
    op.create_table(
        "fediverse_reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor_uri", sa.String(length=500), nullable=False),
        sa.Column("activity_uri", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_fediverse_reactions_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fediverse_reactions")),
        sa.UniqueConstraint("activity_uri", name=op.f("uq_fediverse_reactions_activity_uri")),
        sa.UniqueConstraint("post_id", "kind", "actor_uri", name=op.f("uq_fediverse_reactions_post_id")),
    )
    with op.batch_alter_table("fediverse_reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fediverse_reactions_post_id"), ["post_id"], unique=False)

    with op.batch_alter_table("blog_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fediverse_username", sa.String(length=64), server_default="blog", nullable=False)
        )
        batch_op.add_column(sa.Column("blocked_servers", sa.Text(), nullable=True))

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remote_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("remote_profile_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("remote_avatar_url", sa.String(length=500), nullable=True))

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("like_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("boost_count", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("boost_count")
        batch_op.drop_column("like_count")

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("remote_avatar_url")
        batch_op.drop_column("remote_profile_url")
        batch_op.drop_column("remote_url")

    with op.batch_alter_table("blog_settings", schema=None) as batch_op:
        batch_op.drop_column("blocked_servers")
        batch_op.drop_column("fediverse_username")

    with op.batch_alter_table("fediverse_reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fediverse_reactions_post_id"))

    op.drop_table("fediverse_reactions")
    op.drop_table("fediverse_followers")
    with op.batch_alter_table("fediverse_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_fediverse_deliveries_status_due")
        batch_op.drop_index(batch_op.f("ix_fediverse_deliveries_host"))

    op.drop_table("fediverse_deliveries")
    op.drop_table("remote_servers")
    with op.batch_alter_table("remote_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remote_actors_key_id"))
        batch_op.drop_index(batch_op.f("ix_remote_actors_host"))

    op.drop_table("remote_actors")
    op.drop_table("fediverse_keys")
    op.drop_table("fediverse_activities")
    op.drop_table("federated_posts")

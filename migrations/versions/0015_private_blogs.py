"""private blogs: the "Who can read" setting and members' personal feed tokens

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("blog_settings") as batch:
        batch.add_column(
            sa.Column("who_can_read", sa.String(length=16), nullable=False, server_default="anyone")
        )
    op.create_table(
        "feed_tokens",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade():
    op.drop_table("feed_tokens")
    with op.batch_alter_table("blog_settings") as batch:
        batch.drop_column("who_can_read")

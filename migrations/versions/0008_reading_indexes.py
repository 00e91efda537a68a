"""indexes for reading pages that stay fast on a large blog

Revision ID: 0008
Revises: 0007

Visible posts newest first (home, feeds, neighbours) walk (published_at, id) instead of sorting
every post; a thread's top-level comments and their replies come from one index range.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX: no batch mode, which on SQLite would rebuild the table and drop the
    # full-text triggers of 0002.
    op.create_index("ix_posts_published_at_id", "posts", ["published_at", "id"])
    op.create_index(
        "ix_comments_post_parent_created", "comments", ["post_id", "parent_id", "created_at", "id"]
    )


def downgrade():
    op.drop_index("ix_comments_post_parent_created", table_name="comments")
    op.drop_index("ix_posts_published_at_id", table_name="posts")

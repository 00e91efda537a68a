"""import and export: origin ids for idempotent re-imports, body formats, old paths that redirect

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN and CREATE UNIQUE INDEX: SQLite does both in place. A batch operation would
    # recreate the posts table and drop its full-text triggers (see 0002).
    # origin_id: where an imported row came from (a Blogger entry id, a WordPress post id...), so
    # re-importing the same file finds it again instead of adding a copy.
    for table in ("posts", "pages"):
        op.add_column(table, sa.Column("origin_id", sa.String(length=255), nullable=True))
        # 'html' for imported bodies, kept as sanitized HTML rather than Markdown.
        op.add_column(
            table, sa.Column("body_format", sa.String(length=16), server_default="markdown", nullable=False)
        )
        op.create_index(f"ix_{table}_origin_id", table, ["origin_id"], unique=True)
    op.add_column("comments", sa.Column("origin_id", sa.String(length=255), nullable=True))
    op.create_index("ix_comments_origin_id", "comments", ["origin_id"], unique=True)

    # An imported blog's old URLs (WordPress permalinks) that answer 301 with the post's or page's new one.
    op.create_table(
        "path_redirects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("page_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_path_redirects_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["page_id"], ["pages.id"], name=op.f("fk_path_redirects_page_id_pages"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_path_redirects")),
        sa.UniqueConstraint("path", name=op.f("uq_path_redirects_path")),
    )
    op.create_index("ix_path_redirects_post_id", "path_redirects", ["post_id"], unique=False)
    op.create_index("ix_path_redirects_page_id", "path_redirects", ["page_id"], unique=False)


def downgrade():
    op.drop_index("ix_path_redirects_page_id", table_name="path_redirects")
    op.drop_index("ix_path_redirects_post_id", table_name="path_redirects")
    op.drop_table("path_redirects")
    op.drop_index("ix_comments_origin_id", table_name="comments")
    op.drop_column("comments", "origin_id")
    for table in ("pages", "posts"):
        op.drop_index(f"ix_{table}_origin_id", table_name=table)
        op.drop_column(table, "body_format")
        op.drop_column(table, "origin_id")

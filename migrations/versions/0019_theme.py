"""theme: the blog's look (accent color, font, width, sidebar side and layout, header image, favicon,
the owner's CSS, the About box) in one row, and a draft per admin for the Theme screen's preview

Revision ID: 0019
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

# The model's defaults at this revision (blog/models/theme.py): the row exists from `db upgrade` on,
# so no reader's request ever has to create it.
THEME_DEFAULTS = {
    "id": 1,
    "accent_color": "",
    "font": "system",
    "page_width": "normal",
    "sidebar_side": "right",
    "header_image": "",
    "header_image_alt": "",
    "favicon": "",
    "custom_css": "",
    "sidebar": "archive,labels,-pages,follow,-about,-popular,feeds",
    "about_text": "",
    "about_photo": "",
    "about_photo_alt": "",
}


def upgrade():
    theme = op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accent_color", sa.String(length=7), nullable=False),
        sa.Column("font", sa.String(length=20), nullable=False),
        sa.Column("page_width", sa.String(length=10), nullable=False),
        sa.Column("sidebar_side", sa.String(length=10), nullable=False),
        sa.Column("header_image", sa.String(length=64), nullable=False),
        sa.Column("header_image_alt", sa.String(length=200), nullable=False),
        sa.Column("favicon", sa.String(length=64), nullable=False),
        sa.Column("custom_css", sa.Text(), nullable=False),
        sa.Column("sidebar", sa.String(length=200), nullable=False),
        sa.Column("about_text", sa.Text(), nullable=False),
        sa.Column("about_photo", sa.String(length=64), nullable=False),
        sa.Column("about_photo_alt", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "theme_drafts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.bulk_insert(theme, [THEME_DEFAULTS])


def downgrade():
    op.drop_table("theme_drafts")
    op.drop_table("theme")

"""fresh blog rows: the settings row (and the content version) exist from `flask db upgrade` on

Requests used to create the settings row on first use, inside their read transactions: on a new
blog served by several workers the first requests raced and some answered 500 ("database is
locked"). The rows a blog needs now come with the schema.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The model's defaults at this revision (blog/models/settings.py); columns added later bring
# their own server defaults, as they must for blogs whose row already exists.
SETTINGS_DEFAULTS = {
    "id": 1,
    "title": "My Blog",
    "description": "",
    "language": "en",
    "timezone": "UTC",
    "posts_per_page": 10,
    "comments_per_page": 200,
    "comment_policy": "members",
    "moderation": "never",
    "moderation_days": 14,
    "hold_links_over": 2,
    "edit_window_minutes": 15,
    "comment_interval_seconds": 10,
    "comment_form_message": "",
    "notify_email": "",
}


def insert_if_missing(name: str, row: dict) -> None:
    table = sa.table(name, *(sa.column(key) for key in row))
    exists = op.get_bind().execute(sa.select(table.c.id).where(table.c.id == row["id"])).first()
    if exists is None:
        op.bulk_insert(table, [row])


def upgrade():
    insert_if_missing("blog_settings", SETTINGS_DEFAULTS)
    insert_if_missing("content_version", {"id": 1, "number": 0})


def downgrade():
    pass  # the rows are data a blog keeps

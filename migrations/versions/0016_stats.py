"""stats without trackers: views and visitors per day and path, referrers, the day's salt and digests

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stats_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "stats_paths",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "path"),
    )
    op.create_index("ix_stats_paths_path", "stats_paths", ["path"])
    op.create_table(
        "stats_referrers",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "path", "host"),
    )
    op.create_table(
        "stats_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "stats_seen",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("day", "digest"),
    )


def downgrade():
    for table in ("stats_seen", "stats_salts", "stats_referrers", "stats_paths", "stats_days"):
        op.drop_table(table)

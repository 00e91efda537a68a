"""comment features: "email me replies" and an index for the flood check

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notify_replies", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index("ix_comments_author_created", ["author_id", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_author_created")
        batch_op.drop_column("notify_replies")

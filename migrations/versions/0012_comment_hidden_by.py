"""comments.hidden_by: who took a comment off the blog, so only they (or an admin) bring it back

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_by", sa.String(length=16), nullable=True))
    # What we can tell of existing rows; the rest stays NULL, which counts as an admin's doing.
    op.execute("UPDATE comments SET hidden_by = 'commenter' WHERE status = 'removed' AND body_source = ''")
    op.execute(
        "UPDATE comments SET hidden_by = 'ban' WHERE hidden_by IS NULL AND status = 'removed' "
        "AND id IN (SELECT comment_id FROM ban_hidden_comments)"
    )


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("hidden_by")

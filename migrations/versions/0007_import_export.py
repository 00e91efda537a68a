"""import and export: origin ids for idempotent re-imports, body formats, old paths that redirect

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Where an imported row came from (a Blogger entry id, a WordPress post id...): re-importing
    # the same file finds it again instead of adding a copy.
    for table in ('posts', 'pages'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('origin_id', sa.String(length=255), nullable=True))
            # 'html' for imported bodies, kept as sanitized HTML rather than Markdown.
            batch_op.add_column(sa.Column('body_format', sa.String(length=16), server_default='markdown',
                                          nullable=False))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_origin_id'), ['origin_id'])
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_id', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_comments_origin_id'), ['origin_id'])

    # An imported blog's old URLs (WordPress permalinks) that answer 301 with the post's or page's new one.
    op.create_table(
        'path_redirects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('page_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_path_redirects_post_id_posts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_path_redirects_page_id_pages'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_path_redirects')),
        sa.UniqueConstraint('path', name=op.f('uq_path_redirects_path')),
    )
    op.create_index('ix_path_redirects_post_id', 'path_redirects', ['post_id'], unique=False)
    op.create_index('ix_path_redirects_page_id', 'path_redirects', ['page_id'], unique=False)


def downgrade():
    op.drop_index('ix_path_redirects_page_id', table_name='path_redirects')
    op.drop_index('ix_path_redirects_post_id', table_name='path_redirects')
    op.drop_table('path_redirects')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_comments_origin_id'), type_='unique')
        batch_op.drop_column('origin_id')
    for table in ('pages', 'posts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_origin_id'), type_='unique')
            batch_op.drop_column('body_format')
            batch_op.drop_column('origin_id')

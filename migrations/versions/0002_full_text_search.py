"""full-text search

SQLite: an external-content FTS5 table over posts.title and posts.body_text, kept in step by
triggers. PostgreSQL: a GIN index on the weighted tsvector that blog/fulltext.py queries; the
expression there must stay exactly the one indexed here, or the planner cannot use the index.

Note for later migrations: on SQLite, a batch operation that recreates the posts table drops
these triggers with it; such a migration must create them again (SQLITE_TRIGGERS below).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_FTS_TABLE = """
CREATE VIRTUAL TABLE posts_fts USING fts5(
    title, body_text,
    content='posts', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)
"""

# An external-content table stores no text of its own: a row is removed by handing FTS5 the old
# values it indexed. Only changes to the two indexed columns need to touch the index.
SQLITE_TRIGGERS = {
    "posts_fts_after_insert": """
CREATE TRIGGER posts_fts_after_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END
""",
    "posts_fts_after_delete": """
CREATE TRIGGER posts_fts_after_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
END
""",
    "posts_fts_after_update": """
CREATE TRIGGER posts_fts_after_update AFTER UPDATE OF title, body_text ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
    INSERT INTO posts_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END
""",
}

# The title weighs more than the body (A > B in ts_rank_cd's default weights).
POSTGRES_INDEX = """
CREATE INDEX ix_posts_search ON posts USING gin ((
    setweight(to_tsvector('english'::regconfig, title), 'A')
    || setweight(to_tsvector('english'::regconfig, body_text), 'B')
))
"""


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_FTS_TABLE)
        for ddl in SQLITE_TRIGGERS.values():
            op.execute(ddl)
        # Index the posts that exist already.
        op.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute(POSTGRES_INDEX)  # building the index covers existing rows


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS posts_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_posts_search")

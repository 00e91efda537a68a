"""Full-text search over the posts readers may see: SQLite FTS5 or PostgreSQL text search.

search_posts() is the one entry point; it picks the backend from the database dialect. Both
backends index the title and the plain-text body (migration 0002), stem English words and
understand the same small web-search grammar: words (all must match), "quoted phrases", `or`
between alternatives and -word to exclude. Order: posts whose title matches, then relevance
(the title weighing ten times the body), then the newest.

Matched words come back from the database wrapped in private-use sentinel characters, never
in HTML: the text is escaped first and only then are the sentinels turned into <mark> tags.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape
from sqlalchemy import Row, column, func, literal_column, table

from blog.extensions import db
from blog.models import Post, utcnow
from blog.models.post import visible_posts

MAX_QUERY_LENGTH = 200
MAX_TERMS = 32  # words or phrases; bounds the work one query can ask for
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 32
TITLE_WEIGHT = 10.0  # SQLite bm25 column weight of the title against 1.0 for the body

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")  # PostgreSQL refuses NUL in text
_SENTINEL = re.compile(f"([{START}{STOP}])")
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Hit:
    post: Post
    title: Markup  # escaped, matched words in <mark>
    snippet: Markup


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    number: int
    per_page: int
    has_more: bool

    # The names the pager macro reads.
    @property
    def has_newer(self) -> bool:
        return self.number > 1

    @property
    def has_older(self) -> bool:
        return self.has_more

    @property
    def first(self) -> int:
        return (self.number - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


def normalise_query(q: str) -> str:
    """The query as searched and shown: no control characters, single spaces, at most 200 characters."""
    return " ".join(_CONTROL.sub(" ", q).split())[:MAX_QUERY_LENGTH].strip()


def search_posts(q: str, page: int = 1, per_page: int = 10) -> SearchPage:
    """One page of the visible posts matching q, best match first (then newest)."""
    q = normalise_query(q)
    rows: list[Row] = []
    if _WORD.search(q):
        backend = _postgres_rows if db.session.get_bind().dialect.name == "postgresql" else _sqlite_rows
        rows = backend(q, (page - 1) * per_page, per_page + 1, utcnow())
    hits = [Hit(post, marked(title), marked(snippet)) for post, title, snippet in rows[:per_page]]
    return SearchPage(hits, page, per_page, len(rows) > per_page)


def marked(text: str | None) -> Markup:
    """Escape the text, then turn the sentinel pairs into <mark>…</mark>, always balanced."""
    out, inside = [], False
    for part in _SENTINEL.split(text or ""):
        if part == START:
            if not inside:
                out.append("<mark>")
            inside = True
        elif part == STOP:
            if inside:
                out.append("</mark>")
            inside = False
        else:
            out.append(str(escape(part)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


# SQLite -----------------------------------------------------------------------------------------

_fts = table("posts_fts", column("rowid"), column("posts_fts"))


def fts5_query(q: str) -> str:
    """Translate the web-search grammar into an FTS5 expression built only from quoted phrases.

    Every phrase holds nothing but word characters, so no input can reach FTS5's own syntax
    (NEAR, *, ^, column filters, parentheses). Returns "" when nothing positive is left.
    """
    groups: list[list[str]] = []  # AND of ORs
    excluded: list[str] = []
    pending_or = False
    for match in list(_TOKEN.finditer(q))[: MAX_TERMS * 2]:
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                pending_or = bool(groups)
                continue
            minus, text = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        else:
            text = quoted
        words = _WORD.findall(text)
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        if minus:
            excluded.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    groups, excluded = groups[:MAX_TERMS], excluded[:MAX_TERMS]
    if not groups:
        return ""
    expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _sqlite_rows(q: str, offset: int, limit: int, now: datetime) -> list[Row]:
    expression = fts5_query(q)
    if not expression:
        return []
    fts = _fts.c.posts_fts  # FTS5's hidden column named after the table: MATCH and the rank functions take it
    title = func.highlight(fts, 0, START, STOP)
    stmt = (
        visible_posts(now)
        .join(_fts, _fts.c.rowid == Post.id)
        .where(fts.op("MATCH")(expression))
        .add_columns(title, func.snippet(fts, 1, START, STOP, "…", SNIPPET_WORDS))
        # A highlighted title is a title match. bm25 alone cannot promise those come first: FTS5
        # normalises by the length of the whole row, so a long post loses its title's weight.
        .order_by(
            (func.instr(title, START) > 0).desc(),
            func.bm25(fts, TITLE_WEIGHT, 1.0),
            Post.published_at.desc(),
            Post.id.desc(),
        )
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.execute(stmt).all())


# PostgreSQL -------------------------------------------------------------------------------------

# Written out literally (no bound parameters) so that it is the very expression migration 0002
# indexes; 'english' is the text search configuration on both sides.
_CONFIG = literal_column("'english'::regconfig")
_DOCUMENT = literal_column(
    "(setweight(to_tsvector('english'::regconfig, posts.title), 'A')"
    " || setweight(to_tsvector('english'::regconfig, posts.body_text), 'B'))"
)
# ts_rank_cd weights for {D, C, B, A}: a title word (A) counts ten times a body word (B), as in SQLite.
_WEIGHTS = literal_column("'{0.1, 0.2, 0.1, 1.0}'::float4[]")
_HEADLINE = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords={SNIPPET_WORDS}, MinWords=12, FragmentDelimiter=" … "'
)
_TITLE_HEADLINE = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'


def _postgres_rows(q: str, offset: int, limit: int, now: datetime) -> list[Row]:
    query = func.websearch_to_tsquery(_CONFIG, q)
    stmt = (
        visible_posts(now)
        .where(_DOCUMENT.op("@@")(query))
        .add_columns(
            func.ts_headline(_CONFIG, Post.title, query, _TITLE_HEADLINE),
            func.ts_headline(_CONFIG, Post.body_text, query, _HEADLINE),
        )
        .order_by(
            func.to_tsvector(_CONFIG, Post.title).op("@@")(query).desc(),  # title matches first, as on SQLite
            func.ts_rank_cd(_WEIGHTS, _DOCUMENT, query).desc(),
            Post.published_at.desc(),
            Post.id.desc(),
        )
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.execute(stmt).all())

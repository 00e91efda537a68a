"""Full-text search, /search?q=: matching, ranking, snippets, visibility, hostile input, pages, index upkeep.

Every test runs on the database the suite runs on (SQLite FTS5 by default, PostgreSQL with DATABASE_URL).
"""

import re
from datetime import datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, func, select, text

from blog.extensions import db
from blog.models import Post, utcnow
from blog.publishing import set_body
from blog.reading.fulltext import _CONFIG, _DOCUMENT, _postgres_rows, fts5_query, marked, normalise_query
from blog.site_settings import ensure_settings


def titles(html: str) -> list[str]:
    """The result titles in page order, <mark> tags removed."""
    found = re.findall(r'<h2 class="post-title"><a href="[^"]+">(.*?)</a></h2>', html, re.DOTALL)
    return [re.sub(r"</?mark>", "", t) for t in found]


def snippets(html: str) -> list[str]:
    return re.findall(r'<p class="snippet" data-hx-disable>(.*?)</p>', html, re.DOTALL)


def search(client, q, **params):
    page = client.get("/search", query_string={"q": q, **params})
    assert page.status_code == 200, page.text
    return page


def test_a_word_in_the_body_finds_its_post(client, make_post):
    post = make_post("Harbour notes", body="We watched the lighthouse keeper paint the railings.")
    make_post("Unrelated", body="Nothing to see here.")
    page = search(client, "lighthouse")
    assert titles(page.text) == ["Harbour notes"]
    assert f'href="/{post.year:04d}/{post.month:02d}/{post.slug}.html"' in page.text
    assert "1 post matches." in page.text


def test_title_matches_rank_above_body_only_matches(client, make_post):
    make_post("A quiet afternoon", body="In the end we talked about gardening for hours.")
    make_post("Gardening for beginners", body="Start small and water often.")
    make_post("Another day", body="Gardening again, and gardening tomorrow, gardening gardening.")
    make_post("Gardening, the long version", body="Many other words about the weather. " * 60)
    found = titles(search(client, "gardening").text)
    assert sorted(found[:2]) == ["Gardening for beginners", "Gardening, the long version"]
    assert sorted(found[2:]) == ["A quiet afternoon", "Another day"]
    # Among body-only matches, more mentions in a shorter text rank higher.
    assert found[2:] == ["Another day", "A quiet afternoon"]


def test_stemming_finds_other_forms_of_a_word(client, make_post):
    make_post("Evening", body="A long walk by the river.")
    assert titles(search(client, "walking").text) == ["Evening"]
    assert titles(search(client, "walks").text) == ["Evening"]


def test_markdown_syntax_never_shows_in_snippets(client, make_post):
    make_post(
        "Formatted",
        body="# Heading zebra\n\nSome **bold zebra** and a [zebra link](https://example.com/x) "
        "and `code` and _em_.\n\n> quoted zebra",
    )
    page = search(client, "zebra")
    (snippet,) = snippets(page.text)
    for syntax in ("**", "# ", "](", "https://example.com", "`", "_em_", "&gt; quoted"):
        assert syntax not in snippet
    assert "bold" in snippet and "link" in snippet


def test_matched_words_are_highlighted(client, make_post):
    make_post("Mountain trip", body="We climbed the mountain at dawn and saw the valley below.")
    page = search(client, "mountain")
    (snippet,) = snippets(page.text)
    assert "<mark>mountain</mark>" in snippet
    assert "<mark>Mountain</mark> trip" in page.text  # the title too
    assert "<mark>valley</mark>" not in snippet


def test_html_in_the_post_text_is_escaped_in_snippets(client, make_post):
    # Code spans keep the angle brackets as text in body_text; the snippet must show them, not run them.
    make_post(
        "Escaping",
        body='Beware `<script>alert("pwned")</script>` and `<img src=x onerror=alert(1)>` '
        "here, said Tom & Jerry, in the escaping lesson.",
    )
    page = search(client, "escaping lesson")
    (snippet,) = snippets(page.text)
    assert "<script" not in snippet and "<img" not in snippet and "onerror=alert(1)>" not in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0  # only our own <mark> tags
    assert "Tom &amp; Jerry" in snippet
    assert "<mark>escaping</mark> <mark>lesson</mark>" in snippet


def test_sentinel_characters_in_a_post_cannot_unbalance_the_markup():
    assert marked("a \ue001 b \ue000c\ue000 d") == "a  b <mark>c d</mark>"
    assert marked("<b>\ue000x\ue001</b>") == "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"


def test_drafts_and_future_posts_are_never_found(client, make_post):
    make_post("Published kestrel", body="A kestrel hovered.")
    make_post("Draft kestrel", body="A kestrel draft.", draft=True)
    make_post("Scheduled kestrel", body="A kestrel later.", when=utcnow() + timedelta(days=2))
    page = search(client, "kestrel")
    assert titles(page.text) == ["Published kestrel"]
    assert "Draft kestrel" not in page.text and "Scheduled kestrel" not in page.text


def test_a_scheduled_post_is_found_once_it_is_due(app, client, make_post):
    post = make_post("Later heron", body="A heron waits.", when=utcnow() + timedelta(days=2))
    assert "No posts match" in search(client, "heron").text
    with app.app_context():
        db.session.get(Post, post.id).published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert titles(search(client, "heron").text) == ["Later heron"]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        "a OR",
        "OR",
        "NEAR(",
        "NEAR(a b, 2)",
        "*",
        "walk*",
        "-x",
        "-",
        "^walk",
        "title:x",
        "body_text:walk",
        "'; DROP TABLE posts; --",
        "(walk",
        "walk)",
        "walk AND",
        "NOT walk",
        "a & b | !c <-> d:*",
        "{title}: x",
        "x" * 300,
        "walk " * 100,
        "\x00walk",
        "walk\x00\x01",
        "\u202e walk",
        "\ue000walk\ue001",
        "🦆 walk",
    ],
)
def test_hostile_queries_answer_200(client, make_post, q):
    make_post("Walk", body="A walk in the park.")
    page = search(client, q)
    assert "<mark>" not in page.text.split('class="page-heading"')[1].split("</h1>")[0]
    assert titles(search(client, "park").text) == ["Walk"]  # and the posts table is intact


def test_search_syntax_is_neutralised_for_sqlite():
    # Every piece the FTS5 expression carries is a quoted phrase of plain words.
    assert fts5_query('NEAR(a b) title:x "y z" -w c OR d *') == (
        '(("NEAR a") AND ("b") AND ("title x") AND ("y z") AND ("c" OR "d")) NOT ("w")'
    )
    assert fts5_query("walk -river") == '(("walk")) NOT ("river")'
    assert fts5_query('"long walk" or run') == '("long walk" OR "run")'
    assert fts5_query("title:x") == '("title x")'
    assert fts5_query("-x") == ""
    assert fts5_query('"') == ""
    assert fts5_query("a*^:(){}+ NEAR(b") == '("a") AND ("NEAR b")'


def test_query_is_normalised_and_long_queries_are_truncated(client):
    assert normalise_query("  two\t\nwords\x00 ") == "two words"
    assert len(normalise_query("y" * 300)) == 200
    page = search(client, "y" * 300)
    assert "y" * 200 in page.text and "y" * 201 not in page.text


def test_websearch_grammar_works_on_every_database(client, make_post):
    make_post("Rivers", body="A long walk by the river.")
    make_post("Parks", body="A long walk in the park.")
    make_post("Runs", body="A quick run.")
    assert sorted(titles(search(client, "walk -river").text)) == ["Parks"]
    assert sorted(titles(search(client, '"walk in the park"').text)) == ["Parks"]
    assert sorted(titles(search(client, "river or run").text)) == ["Rivers", "Runs"]
    assert sorted(titles(search(client, "long walk").text)) == ["Parks", "Rivers"]


def test_empty_query_shows_the_empty_search_page(client, make_post):
    make_post("Anything", body="Words.")
    for url in ("/search", "/search?q=", "/search?q=+++"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Type a few words" in page.text
        assert "No posts match" not in page.text


def test_no_match_says_so_and_the_box_keeps_the_query(client, make_post):
    make_post("Anything", body="Words.")
    page = search(client, "<b>nothing</b>")
    assert "No posts match “&lt;b&gt;nothing&lt;/b&gt;”." in page.text
    assert 'value="&lt;b&gt;nothing&lt;/b&gt;"' in page.text  # the nav search box


def test_results_are_paginated_and_links_keep_the_query(app, client, make_post):
    with app.app_context():
        ensure_settings().posts_per_page = 2
        db.session.commit()
    for n in range(5):
        make_post(f"Otter {n}", body="Otters swim.", when=utcnow() - timedelta(days=n + 1))
    first = search(client, "otter")
    assert len(titles(first.text)) == 2
    assert "Results 1–2." in first.text
    assert 'href="/search?page=2&amp;q=otter"' in first.text and "More results" in first.text
    assert "Previous results" not in first.text
    second = search(client, "otter", page=2)
    assert "Results 3–4." in second.text
    assert 'href="/search?q=otter"' in second.text and "Previous results" in second.text
    third = search(client, "otter", page=3)
    assert len(titles(third.text)) == 1 and "More results" not in third.text
    seen = titles(first.text) + titles(second.text) + titles(third.text)
    assert sorted(seen) == [f"Otter {n}" for n in range(5)]
    assert client.get("/search?q=otter&page=4").status_code == 404
    assert client.get("/search?q=otter&page=abc").status_code == 404


def test_updating_a_post_updates_the_index(app, client, make_post):
    post = make_post("Bird notes", body="Saw a magpie today.")
    with app.app_context():
        found = db.session.get(Post, post.id)
        set_body(found, "Saw a jackdaw today.")
        found.title = "Corvid notes"
        db.session.commit()
    assert "No posts match" in search(client, "magpie").text
    assert "No posts match" in search(client, "bird").text
    assert titles(search(client, "jackdaw").text) == ["Corvid notes"]
    assert titles(search(client, "corvid").text) == ["Corvid notes"]


def test_deleting_a_post_removes_it_from_the_index(app, client, make_post):
    post = make_post("Goodbye", body="A farewell swallow.")
    make_post("Stays", body="Another swallow.")
    with app.app_context():
        db.session.execute(delete(Post).where(Post.id == post.id))
        db.session.commit()
    assert titles(search(client, "swallow").text) == ["Stays"]


def test_upgrade_indexes_posts_written_before_it(app, client):
    with app.app_context():
        downgrade(revision="0001")
        db.session.execute(
            text(
                "INSERT INTO posts (title, slug, body_source, body_html, body_text, search_description, status,"
                " published_at, year, month, comments_allowed, created_at, updated_at)"
                " VALUES ('Old post', 'old-post', 'An old pelican.', '<p>An old pelican.</p>', 'An old pelican.', '',"
                " 'published', :when, 2020, 1, true, :when, :when)"
            ),
            {"when": datetime(2020, 1, 5)},
        )
        db.session.commit()
        db.session.remove()
        upgrade()
    assert titles(search(client, "pelican").text) == ["Old post"]


def test_the_index_agrees_with_the_query(app, make_post):
    make_post("Existing", body="Indexed words.")
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # FTS5's own check fails when the index and the posts table disagree.
            db.session.execute(text("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)"))
            return
        assert [row[0].title for row in _postgres_rows("indexed", 0, 10, utcnow())] == ["Existing"]
        # PostgreSQL uses the GIN index only for the very expression it indexed. The plan of the search's
        # own predicate (_DOCUMENT, as _postgres_rows uses it) on its own: in the whole statement other
        # indexes, and the statistics earlier tests left, can make the planner choose another way.
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        predicate = select(Post.id).where(_DOCUMENT.op("@@")(func.websearch_to_tsquery(_CONFIG, "indexed")))
        statement = str(predicate.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = db.session.connection().exec_driver_sql("EXPLAIN " + statement).scalars().all()
        assert any("ix_posts_search" in line for line in plan), plan
        db.session.rollback()


def test_search_page_looks_up_posts_in_a_constant_number_of_queries(app, client, make_post, count_queries):
    app.config["PAGE_CACHE_ENABLED"] = False  # count what a search costs, not a cache hit
    make_post("One finch", body="finch")
    search(client, "finch")
    with count_queries() as few:
        search(client, "finch")
    for n in range(6):
        make_post(f"Finch {n}", body="finch finch")
    with count_queries() as many:
        search(client, "finch")
    assert len(many) == len(few)

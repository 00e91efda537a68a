"""Build a realistic blog quickly, with bulk inserts: python bench/build.py DB_PATH --posts N --comments M

Posts are Markdown rendered by the blog's own renderer (a few dozen distinct bodies, reused),
spread over the years before now with labels; comments are spread over the posts, one in five a
reply. Two posts are named so the benchmark can find them: "Fifty comments" (50 comments) and
"A thousand comments" (1,000). Prints a JSON summary of what it built."""

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from slugify import slugify
from sqlalchemy import insert, select

from blog import create_app
from blog.config import TestConfig
from blog.extensions import db
from blog.markup import render_body, render_comment
from blog.models import Comment, Label, Post, User, post_labels, utcnow
from blog.site_settings import ensure_settings

WORDS = [
    "garden",
    "morning",
    "river",
    "coffee",
    "bicycle",
    "winter",
    "letter",
    "harbour",
    "kitchen",
    "library",
    "mountain",
    "window",
    "station",
    "market",
    "orchard",
    "violin",
    "ferry",
    "lantern",
    "meadow",
    "pottery",
    "recipe",
    "journey",
    "weather",
    "island",
    "bridge",
    "autumn",
    "harvest",
    "village",
    "notebook",
    "compass",
    "festival",
    "chapter",
    "painting",
    "engine",
    "telescope",
    "thunder",
    "workshop",
    "valley",
    "candle",
    "silver",
    "garden",
    "breakfast",
    "museum",
    "railway",
    "forest",
    "theatre",
    "canvas",
    "sparrow",
    "summer",
    "neighbour",
    "bakery",
    "cottage",
    "lighthouse",
]
SMALL = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "was",
    "it",
    "for",
    "on",
    "with",
    "as",
    "at",
    "by",
    "from",
    "this",
    "that",
]
LABELS = [f"{w}s" for w in WORDS[:30]]
PASSWORD_HASH_SOURCE = "bench-password"
BENCH_PASSWORD = PASSWORD_HASH_SOURCE
MEMBERS = 200


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.55 else rng.choice(SMALL) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))


def markdown_body(rng: random.Random) -> str:
    parts = [
        paragraph(rng),
        "<!--more-->",
        paragraph(rng),
        f"## {sentence(rng, 4)[:-1]}",
        paragraph(rng),
        "\n".join(f"- {sentence(rng, 5)}" for _ in range(3)),
        f"{sentence(rng, 10)} See [the {rng.choice(WORDS)} notes](https://example.org/{rng.choice(WORDS)}).",
        paragraph(rng),
    ]
    return "\n\n".join(parts)


def build(path: Path, posts: int, comments: int, seed: int = 1) -> dict:
    started = time.monotonic()
    rng = random.Random(seed)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", SQLITE_SYNCHRONOUS="NORMAL")
    with app.app_context():
        upgrade()
        settings = ensure_settings()
        settings.title = "A benchmark blog"
        settings.description = "Ten years of notes about gardens, trains and bread."
        settings.comment_interval_seconds = 0
        db.session.commit()

        admin = User(email="admin@bench.example", name="Bench Admin", role="admin")
        admin.set_password(BENCH_PASSWORD)
        db.session.add(admin)
        db.session.flush()
        hashed = admin.password_hash  # one scrypt hash for everyone: hashing 200 is slow and proves nothing
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"member{i}@bench.example",
                    "name": f"Member {i}",
                    "role": "member",
                    "password_hash": hashed,
                }
                for i in range(MEMBERS)
            ],
        )
        member_ids = list(db.session.scalars(select(User.id).where(User.role == "member")))
        db.session.execute(insert(Label), [{"name": name} for name in LABELS])
        label_ids = list(db.session.scalars(select(Label.id)))

        bodies = []
        for _ in range(40):
            source = markdown_body(rng)
            rendered = render_body(source, "markdown")
            bodies.append((source, rendered.html, rendered.excerpt_html, rendered.text))
        now = utcnow()
        step = timedelta(days=3650) / max(posts, 1)
        rows = []
        for i in range(posts):
            when = now - timedelta(hours=1) - step * (posts - 1 - i)
            source, html, excerpt, text = bodies[i % len(bodies)]
            title = f"{sentence(rng, 4)[:-1]} {i}"
            if i == posts - 3:
                title = "Fifty comments"
            elif i == posts - 4:
                title = "A thousand comments"
            elif i == posts - 5:
                title = "Two hundred comments"
            rows.append(
                {
                    "author_id": admin.id,
                    "title": title,
                    "slug": slugify(title, max_length=80),
                    "body_source": source,
                    "body_html": html,
                    "excerpt_html": excerpt,
                    "body_text": f"{title}. {text}",
                    "status": "published",
                    "published_at": when,
                    "year": when.year,
                    "month": when.month,
                    "created_at": when,
                    "updated_at": when,
                }
            )
        for chunk in range(0, len(rows), 2000):
            db.session.execute(insert(Post), rows[chunk : chunk + 2000])
        post_ids = list(db.session.scalars(select(Post.id).order_by(Post.id)))
        db.session.execute(
            insert(post_labels),
            [{"post_id": pid, "label_id": lid} for pid in post_ids for lid in rng.sample(label_ids, 2)],
        )

        fifty = db.session.scalar(select(Post).where(Post.title == "Fifty comments"))
        thousand = db.session.scalar(select(Post).where(Post.title == "A thousand comments"))
        two_hundred = db.session.scalar(select(Post).where(Post.title == "Two hundred comments"))
        comment_html = []
        for _ in range(60):
            source = " ".join(sentence(rng, rng.randint(6, 20)) for _ in range(rng.randint(1, 3)))
            comment_html.append((source, render_comment(source)))
        named = (fifty.id, thousand.id, two_hundred.id)
        others = [pid for pid in post_ids if pid not in named]
        # The 200-comment thread is all top-level comments: one full page of the thread (200 per page).
        counts = {fifty.id: 50, thousand.id: 1000, two_hundred.id: 200}
        rest = max(comments - 1250, 0)
        for n, pid in enumerate(others):
            counts[pid] = rest // len(others) + (1 if n < rest % len(others) else 0)
        next_id = 1
        batch = []
        for pid, count in counts.items():
            published = db.session.get(Post, pid).published_at if pid in named else None
            base_time = published or now - timedelta(days=30)
            top = None
            for k in range(count):
                source, html = comment_html[rng.randrange(len(comment_html))]
                reply = top is not None and k % 5 == 4 and pid != two_hundred.id
                batch.append(
                    {
                        "id": next_id,
                        "post_id": pid,
                        "author_id": rng.choice(member_ids),
                        "parent_id": top if reply else None,
                        "body_source": source,
                        "body_html": html,
                        "status": "published",
                        "created_at": base_time + timedelta(minutes=k + 1),
                    }
                )
                if not reply:
                    top = next_id
                next_id += 1
                if len(batch) >= 5000:
                    db.session.execute(insert(Comment), batch)
                    batch = []
        if batch:
            db.session.execute(insert(Comment), batch)
        # No ANALYZE: a blog that grew by itself has no statistics, and with them SQLite's planner
        # reads the (NULL-heavy) idempotency_key and parent_id indexes as useless and scans instead.
        db.session.commit()
        summary = {
            "posts": len(post_ids),
            "comments": next_id - 1,
            "members": len(member_ids),
            "fifty": {"id": fifty.id, "path": f"/{fifty.year:04d}/{fifty.month:02d}/{fifty.slug}.html"},
            "thousand": {
                "id": thousand.id,
                "path": f"/{thousand.year:04d}/{thousand.month:02d}/{thousand.slug}.html",
            },
            "two_hundred": {
                "id": two_hundred.id,
                "path": f"/{two_hundred.year:04d}/{two_hundred.month:02d}/{two_hundred.slug}.html",
            },
            "month": f"/{fifty.year:04d}/{fifty.month:02d}/",
            "search_word": "lighthouse",
            "others": others[-500:],
            "seconds": round(time.monotonic() - started, 1),
        }
        db.session.remove()
        db.engine.dispose()
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=200_000)
    args = parser.parse_args()
    if args.path.exists():
        sys.exit(f"{args.path} exists")
    print(json.dumps(build(args.path, args.posts, args.comments)))


if __name__ == "__main__":
    main()

"""Import benchmark: generate Blogger backups of two sizes, import each into an empty blog, and report the
time taken and the peak memory (resident set) of the importing process.

    python bench/import_bench.py                      # 1,000/10,000 and 5,000/50,000 posts/comments, SQLite
    DATABASE_URL=postgresql://... python bench/import_bench.py --sizes 5000
    python bench/import_bench.py --sizes 500 2000     # any sizes (comments are ten per post)

Each import runs in a fresh process, so one size's memory cannot hide another's. On PostgreSQL the
database named by DATABASE_URL is emptied (schema public dropped) before each run: use a scratch one.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from tools import empty_postgresql  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
BLOG = "tag:blogger.com,1999:blog-1234"
KIND = "http://schemas.google.com/g/2005#kind"
WORDS = [
    "train",
    "ferry",
    "café",
    "river",
    "mountain",
    "bread",
    "garden",
    "night",
    "morning",
    "letter",
    "window",
    "harbour",
    "station",
    "Zürich",
    "Kraków",
    "naïve",
    "ünïcode",
    "寝台列車",
    "spring",
    "winter",
]


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def entry(kind: str, body: str) -> str:
    return (
        f"<entry>{body}<category scheme='{KIND}' term='http://schemas.google.com/blogger/2008/kind#{kind}'/>"
        "</entry>\n"
    )


def generate(path: Path, posts: int, comments_per_post: int = 10, seed: int = 1) -> None:
    """A classic Blogger backup: posts newest first, each with its comments (a third of them replies,
    some to replies), HTML bodies of about 2 KB with a script to sanitize."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"
            f"<id>{BLOG}</id><title type='text'>Benchmark blog</title>\n"
        )
        comment_id = 10_000_000
        for n in range(posts):
            year, month = 2005 + n // 600, 1 + (n // 50) % 12
            body = "".join(f"<p>{escape(paragraph(rng, 40))}</p>" for _ in range(6)) + "<script>x()</script>"
            labels = "".join(
                f"<category scheme='http://www.blogger.com/atom/ns#' term={quoteattr(rng.choice(WORDS))}/>"
                for _ in range(2)
            )
            out.write(
                entry(
                    "post",
                    (
                        f"<id>{BLOG}.post-{n}</id><published>{year}-{month:02d}-10T10:00:00.000-08:00</published>"
                        f"<updated>{year}-{month:02d}-11T10:00:00.000-08:00</updated>"
                        f"<title type='text'>Post number {n}</title>"
                        f"<content type='html'>{escape(body)}</content>"
                        f"<link rel='alternate' type='text/html' "
                        f"href='https://bench.blogspot.com/{year}/{month:02d}/post-{n}.html'/>"
                        f"<author><name>Bench</name></author>{labels}"
                    ),
                )
            )
            ids = []
            for _ in range(comments_per_post):
                comment_id += 1
                related = ""
                if ids and rng.random() < 0.33:
                    related = (
                        f"<link rel='related' type='application/atom+xml' "
                        f"href='https://www.blogger.com/feeds/1234/{n}/comments/default/{rng.choice(ids)}'/>"
                    )
                ids.append(comment_id)
                out.write(
                    entry(
                        "comment",
                        (
                            f"<id>{BLOG}.post-{comment_id}</id>"
                            f"<published>{year}-{month:02d}-12T10:00:00.000Z</published>"
                            f"<content type='html'>{escape(paragraph(rng, 30))} &lt;b&gt;ok&lt;/b&gt;"
                            "</content>"
                            f"{related}"
                            f"<author><name>Reader {comment_id % 97}</name></author>"
                            f"<thr:in-reply-to ref='{BLOG}.post-{n}'/>"
                        ),
                    )
                )
        out.write("</feed>\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_one(path: Path, database_url: str) -> dict:
    """In a fresh process: migrate an empty database, import the file, report time and memory."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["FLASK_RATELIMIT_ENABLED"] = "false"
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from blog import create_app
    from blog.transfer.importer import run_import

    empty_postgresql(database_url)
    app = create_app()
    with app.app_context():
        upgrade()
        before = peak_rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_import(path, "blogger")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_import_mb": round(before, 1),
        "posts": summary.posts,
        "comments": summary.comments,
        "file_mb": round(path.stat().st_size / 1024 / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="posts per file")
    parser.add_argument("--run", nargs=2, metavar=("FILE", "DATABASE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_one(Path(args.run[0]), args.run[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        for posts in args.sizes:
            path = Path(tmp) / f"blog-{posts}.xml"
            generate(path, posts)
            url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / f'bench-{posts}.db'}"
            done = subprocess.run(
                [sys.executable, __file__, "--run", str(path), url], capture_output=True, text=True
            )
            if done.returncode != 0:
                sys.exit(done.stderr)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            backend = url.split(":", 1)[0].split("+")[0]
            print(
                f"{backend}: {result['posts']:>6,} posts {result['comments']:>7,} comments "
                f"({result['file_mb']} MB): {result['seconds']} s ({result['cpu_seconds']} s CPU), "
                f"peak RSS {result['peak_rss_mb']} MB "
                f"({result['rss_before_import_mb']} MB before the import)",
                flush=True,
            )


if __name__ == "__main__":
    main()

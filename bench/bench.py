"""The benchmark: a realistic blog on SQLite behind gunicorn (and nginx), measured with wrk.

bench/run [--quick] [--duration S] [--out docs/BENCHMARKS.md]. Not a test: it reports numbers
against the targets of issue 5 and writes them, with the machine described, to docs/BENCHMARKS.md.
"""

import argparse
import gzip
import os
import platform
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build
import counting
import report
from tools import NO_JS_POST_SCRIPT, POST_SCRIPT, ROOT, gunicorn, hot_spots, lua_table, nginx, profile, wrk

HTMX = {"HX-Request": "true"}
MEMBERS = 8


def app_env(db: Path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "GUNICORN_")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        FLASK_SECRET_KEY=secrets.token_hex(32),
        FLASK_RATELIMIT_ENABLED="false",
        FLASK_PROXY_FIX="1",
        FLASK_MAIL_BACKEND="console",
        **extra,
    )
    return env


def pages(blog: dict, year_month: str) -> list[tuple[str, str, dict]]:
    """(name, path, headers) of the reader pages measured on both blogs."""
    return [
        ("home", "/", {}),
        ("post page, 50 comments", blog["fifty"]["path"], {}),
        ("comment section alone (htmx), 50 comments", f"/posts/{blog['fifty']['id']}/comments", HTMX),
        ("month archive", year_month, {}),
        ("search", f"/search?q={blog['search_word']}", {}),
        ("Atom feed", "/feeds/posts/default", {}),
    ]


def warm(url: str, paths: list[tuple[str, str, dict]]) -> None:
    # Enough requests to reach every gunicorn worker: without REDIS_URL each keeps its own page cache.
    for _, path, headers in paths:
        for _ in range(40):
            response = requests.get(url + path, headers=headers, timeout=60)
            assert response.status_code == 200, (path, response.status_code)


def sign_in_members(url: str, post_path: str) -> list[dict]:
    """Eight members signed in through /signin; their cookies and CSRF tokens for wrk."""
    members = []
    for i in range(MEMBERS):
        http = requests.Session()
        page = http.get(url + "/signin", timeout=30).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        done = http.post(
            url + "/signin",
            allow_redirects=False,
            timeout=30,
            data={"email": f"member{i}@bench.example", "password": build.BENCH_PASSWORD, "csrf_token": token},
        )
        assert done.status_code in (302, 303), done.status_code
        page = http.get(url + post_path, timeout=30).text  # the comment form's token, good for the session
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        members.append({"cookie": cookie, "token": token})
    return members


ROUNDS = 2  # each figure of a ratio is measured this many times, alternating with its counterpart


def side_by_side(runs: dict[str, tuple[str, str, dict]], duration: int) -> dict:
    """{key: the better Result} of the runs (key: (label, url, headers)), measured in turn, ROUNDS
    times. Other work on a shared machine comes in bursts: the two figures of a ratio measured
    minutes apart could each catch a different one; side by side, and the better of two, they don't."""
    best = {}
    for _ in range(ROUNDS):
        for key, (label, url, headers) in runs.items():
            result = wrk(label, url, duration, headers=headers)
            if key not in best or result.rps > best[key].rps:
                best[key] = result
    return best


def measure_members(url: str, blog: dict, member: dict, duration: int) -> dict:
    """A signed-in member's pages beside the anonymous pages of the same posts, on one server."""
    thread, post = blog["two_hundred"]["path"], blog["fifty"]["path"]
    signed_in = {"Cookie": member["cookie"]}
    warm(url, [("thread", thread, {}), ("thread", thread, signed_in), ("post", post, signed_in)])
    return side_by_side(
        {
            "anon_thread": ("anonymous page of the 200-comment thread", url + thread, {}),
            "member_thread": ("a member's page of the 200-comment thread", url + thread, signed_in),
            "anon_post": ("anonymous post page, 50 comments", url + post, {}),
            "member_post": ("a member's post page, 50 comments", url + post, signed_in),
        },
        duration,
    )


def comment_answer_size(url: str, member: dict, post_id: int) -> int:
    """Bytes in the htmx answer to one new comment (uncompressed)."""
    answer = requests.post(
        f"{url}/posts/{post_id}/comments",
        headers={"Cookie": member["cookie"], "HX-Request": "true"},
        data={"body": "How big is the answer?", "key": secrets.token_hex(16), "csrf_token": member["token"]},
        timeout=30,
    )
    assert answer.status_code == 200, answer.status_code
    return len(answer.content)


def count_comments(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        n = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
    conn.close()
    return n


def first_view(site_url: str, path: str) -> dict:
    """What a first visit to the post page transfers through nginx, gzip on: bytes and requests."""
    page = requests.get(site_url + path, headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
    html = page.raw.read()
    files = [(path, len(html), page.headers.get("Content-Encoding", ""))]
    text = gzip.decompress(html).decode() if files[0][2] == "gzip" else html.decode()
    hosts = set()
    # What a browser fetches to show the page: stylesheets, icons, scripts, images (not rel=alternate links).
    refs = re.findall(r'<link[^>]+rel="(?:stylesheet|icon|preload|modulepreload)"[^>]*href="([^"]+)"', text)
    refs += re.findall(r'<link[^>]+href="([^"]+)"[^>]*rel="(?:stylesheet|icon|preload|modulepreload)"', text)
    refs += re.findall(r'<(?:script|img)[^>]+src="([^"]+)"', text)
    for ref in dict.fromkeys(refs):
        absolute = urljoin(site_url + path, ref)
        if urlsplit(absolute).netloc != urlsplit(site_url).netloc:
            hosts.add(absolute)
            continue
        asset = requests.get(absolute, headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
        files.append(
            (urlsplit(absolute).path, len(asset.raw.read()), asset.headers.get("Content-Encoding", ""))
        )
    return {
        "files": files,
        "bytes": sum(f[1] for f in files),
        "requests": len(files),
        "other_hosts": sorted(hosts),
    }


def measure_blog(label: str, db: Path, blog: dict, workdir: Path, duration: int) -> tuple[list, str]:
    print(f"\n== {label}: gunicorn on SQLite", flush=True)
    server, url = gunicorn("app:create_app()", app_env(db), workdir / f"gunicorn-{label}.log")
    try:
        measured = pages(blog, blog["month"])
        warm(url, measured)
        results = [wrk(name, url + path, duration, headers=headers) for name, path, headers in measured]
        saved = requests.get(url + blog["fifty"]["path"], timeout=30).text
    finally:
        server.stop()
    return results, saved


def run(args) -> None:
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install -y wrk nginx")
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"warning: the machine is busy (load average {load:.1f}); the figures will be low", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    size = (1_000, 20_000) if args.quick else (10_000, 200_000)
    duration = args.duration or (3 if args.quick else 10)
    started = time.monotonic()
    print(f"Working in {workdir}", flush=True)

    print(
        f"\n== Building a blog of {size[0]:,} posts and {size[1]:,} comments, and one of 200 posts",
        flush=True,
    )
    big_db, small_db = workdir / "big.db", workdir / "small.db"
    big = build.build(big_db, *size)
    small = build.build(small_db, 200, 4_000)
    print(f"  built in {big['seconds']} s and {small['seconds']} s", flush=True)

    results = {}
    big_results, saved_page = measure_blog("big", big_db, big, workdir, duration)
    small_results, _ = measure_blog("small", small_db, small, workdir, duration)
    results["big"], results["small"] = big_results, small_results

    print("\n== Counting views (Stats): the post page with counting on and off", flush=True)
    results["counting"] = counting.measure(big["fifty"]["path"], app_env, big_db, workdir, duration, warm)

    print(
        "\n== The framework's floor and the machine's limit; the post page through nginx; posting", flush=True
    )
    trivial, trivial_url = gunicorn(
        "bench.trivial:create_app()", app_env(big_db), workdir / "gunicorn-trivial.log"
    )
    server, url = gunicorn("app:create_app()", app_env(big_db), workdir / "gunicorn-main.log")
    web = None
    try:
        post_path = big["fifty"]["path"]
        warm(url, [("post", post_path, {})])
        results.update(
            side_by_side(
                {
                    "trivial": ("trivial Flask endpoint (same gunicorn settings)", trivial_url + "/", {}),
                    "app_post": ("post page, 50 comments, from the app", url + post_path, {}),
                },
                duration,
            )
        )
        trivial.stop()
        copy = workdir / "static-copy" / "post.html"
        copy.parent.mkdir()
        copy.write_text(saved_page)
        web, site_url, copy_url = nginx(workdir, url, copy)
        warm(site_url, [("post", post_path, {})])
        cache_status = requests.get(site_url + post_path, timeout=30).headers.get("X-Cache-Status")
        results["nginx_copy"] = wrk(
            "nginx serving a saved copy of the post page", copy_url + "/post.html", duration
        )
        results["nginx_post"] = wrk(
            f"post page through deploy/nginx.conf (cache {cache_status})", site_url + post_path, duration
        )
        results["first_view"] = first_view(site_url, post_path)

        members = sign_in_members(url, post_path)
        results.update(measure_members(url, big, members[0], duration))

        profile_out = workdir / "profile.txt"
        spy = profile(server.popen.pid, duration, profile_out) if shutil.which("py-spy") else None
        thread_path, member = big["two_hundred"]["path"], {"Cookie": members[0]["cookie"]}
        results["profiled"] = wrk(
            "a member's 200-comment thread, under py-spy", url + thread_path, duration, headers=member
        )
        if spy:
            spy.wait(timeout=duration + 60)
        results["hot_spots"] = hot_spots(profile_out) if profile_out.exists() else {"rows": [], "sql": 0.0}

        posts = lua_table(big["others"][-200:])
        for name, template, label in (
            ("posting", POST_SCRIPT, "comment posting, 8 members (htmx form)"),
            ("posting_nojs", NO_JS_POST_SCRIPT, "comment posting, 8 members, no JavaScript (POST, 303, GET)"),
        ):
            script = workdir / f"{name}.lua"
            script.write_text(template % (lua_table(members), posts))
            before = count_comments(big_db)
            results[name] = wrk(
                label, url + "/", duration, connections=MEMBERS, threads=MEMBERS, script=script
            )
            time.sleep(1)
            results[f"{name}_stored"] = count_comments(big_db) - before
        results["answer_bytes"] = comment_answer_size(url, members[0], big["others"][0])
    finally:
        if web:
            web.stop()
        server.stop()
        trivial.stop()

    results["sizes"] = {"big": [big["posts"], big["comments"]], "small": [small["posts"], small["comments"]]}
    results["duration"] = duration
    results["seconds"] = round(time.monotonic() - started)
    results["machine"] = machine()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = out.read_text() if out.exists() else ""
    out.write_text(report.render(results, quick=args.quick, previous=previous) + report.notes(previous))
    print(f"\nWrote {out} ({results['seconds']} s in all).")
    if args.keep:
        print(f"Working files (databases, server logs, profile): {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    versions = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True
    ).stdout
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": versions.strip(),
        "nginx": nginx_version,
        "wrk": wrk_version.strip(),
        "date": time.strftime("%Y-%m-%d"),
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the blog (see docs/BENCHMARKS.md).")
    parser.add_argument("--quick", action="store_true", help="a smaller blog (1,000 posts) and 3-second runs")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10, or 3 with --quick)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    parser.add_argument("--keep", action="store_true", help="keep the working directory (databases, logs)")
    run(parser.parse_args())


if __name__ == "__main__":
    main()

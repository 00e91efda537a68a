"""docs/BENCHMARKS.md from one run of bench/bench.py: the figures, the targets, the machine."""

import re
import subprocess

import counting

TARGET_SECTION_RPS = 1200
TARGET_POSTING = 340
TARGET_POST_VS_TRIVIAL = 0.7
TARGET_P99_MS = 30
TARGET_MEMBER_VS_ANONYMOUS = 0.25
TARGET_ANSWER_BYTES = 2048
TARGET_FIRST_VIEW_BYTES = 40 * 1024
TARGET_FIRST_VIEW_REQUESTS = 5


NOTES_MARK = "<!-- Written by hand below this line: bench/run keeps it. -->"


def notes(previous: str) -> str:
    """The hand-written analysis at the end of the last docs/BENCHMARKS.md, kept across runs."""
    at = previous.find(NOTES_MARK)
    return previous[at:] if at >= 0 else f"{NOTES_MARK}\n"


HISTORY_BEGIN = "<!-- history: bench/run adds a row per figure and run -->"
HISTORY_END = "<!-- end of history -->"


def history(previous: str, figures: dict[str, str], date: str) -> list[str]:
    """The history table: every earlier row, then this run's figures (date, commit, value)."""
    rows = []
    if HISTORY_BEGIN in previous and HISTORY_END in previous:
        block = previous.split(HISTORY_BEGIN, 1)[1].split(HISTORY_END, 1)[0]
        rows = [
            line
            for line in block.splitlines()
            if line.startswith("| ") and not line.startswith(("| figure", "| ---"))
        ]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    )
    commit = (commit or "unknown") + ("+" if dirty.stdout.strip() else "")
    rows += [f"| {name} | {date} | {commit} | {value} |" for name, value in figures.items()]
    rows.sort(key=lambda row: re.split(r"\s*\|\s*", row)[1])  # by figure; a stable sort keeps dates in order
    return [
        "## History",
        "",
        "Each figure as every run of `bench/run` measured it (the commit it ran on; `+`: with uncommitted",
        "changes). Compare ratios rather than req/s across runs: the machine is shared.",
        "",
        HISTORY_BEGIN,
        "| figure | date | commit | value |",
        "| --- | --- | --- | ---: |",
        *rows,
        HISTORY_END,
        "",
    ]


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(r: dict, quick: bool, previous: str = "") -> str:
    m = r["machine"]
    big, small = r["big"], r["small"]
    post = r["app_post"]  # measured side by side with the trivial endpoint
    section = big[2]
    trivial, copy, through_nginx = r["trivial"], r["nginx_copy"], r["nginx_post"]
    posting, stored = r["posting"], r["posting_stored"]
    fv = r["first_view"]
    anon_thread, member_thread = r["anon_thread"], r["member_thread"]
    anon_post, member_post = r["anon_post"], r["member_post"]
    nojs = r["posting_nojs"]
    nojs_rate = nojs.rps / 2  # a POST and a GET per comment
    worst_growth = max(
        (s.rps / b.rps if b.rps else float("inf"), b.name) for b, s in zip(big, small, strict=True)
    )
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `bench/run{' --quick' if quick else ''}` on {m['date']} ({r['seconds']} s in all; "
        f"{r['duration']} s per wrk run, 2 wrk threads and 32 connections unless said). Everything runs on one "
        "machine over loopback, so wrk, nginx and gunicorn share its cores: the figures are what this machine does "
        "with all three, not what a server does alone.",
        "",
        "## The machine",
        "",
        f"- {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB of memory, Linux {m['kernel']}",
        f"- load average {m['load']:.2f} when the run began (other work on the machine lowers every figure)",
        f"- Python {m['python']}, SQLite {m['sqlite']}, {m['gunicorn']}, {m['nginx']}, {m['wrk']}",
        "- gunicorn with the shipped `deploy/gunicorn.conf.py` (gthread workers: 2 x cores + 1 processes, "
        "4 threads each), SQLite in WAL mode with `synchronous=FULL`, rate limits off "
        "(`FLASK_RATELIMIT_ENABLED=false`), `FLASK_PROXY_FIX=1`",
        "",
        f"## Reader pages on a blog of {r['sizes']['big'][0]:,} posts and {r['sizes']['big'][1]:,} comments",
        "",
        "Anonymous readers; each page is served by the app (no proxy cache).",
        "",
        "| page | req/s | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[res.row() for res in big],
        "",
        "## Against the floor and the limit",
        "",
        "The trivial endpoint and the app's post page side by side (two servers up at once, measured in "
        "turn, twice each; the better run of each), so both see the same machine.",
        "",
        "| what | req/s | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
        trivial.row(),
        post.row(),
        copy.row(),
        through_nginx.row(),
        "",
        f"- Post page (50 comments) from the app: **{post.rps / trivial.rps:.2f}x** the trivial Flask endpoint "
        f"(target at least {TARGET_POST_VS_TRIVIAL}x: {verdict(post.rps >= trivial.rps * TARGET_POST_VS_TRIVIAL)}); "
        f"p99 {post.p99:.1f} ms at 32 connections (target under {TARGET_P99_MS} ms: {verdict(post.p99 < TARGET_P99_MS)}).",
        f"- The same page through `deploy/nginx.conf` (micro-cache): **{through_nginx.rps / copy.rps:.2f}x** nginx "
        f"serving a saved copy (target at least 0.5x: {verdict(through_nginx.rps >= copy.rps / 2)}).",
        f"- The comment section alone (htmx partial, 50 comments): **{section.rps:,.0f} req/s** "
        f"(target at least {TARGET_SECTION_RPS:,}: {verdict(section.rps >= TARGET_SECTION_RPS)}).",
        "",
        f"## Size: the same pages on a 200-post blog ({r['sizes']['small'][1]:,} comments)",
        "",
        "| page | req/s, 200 posts | req/s, big blog | cost ratio (big / 200 posts) |",
        "| --- | ---: | ---: | ---: |",
        *[
            f"| {b.name} | {s.rps:,.0f} | {b.rps:,.0f} | {s.rps / b.rps:.2f} |"
            for b, s in zip(big, small, strict=True)
        ],
        "",
        f"Worst ratio: {worst_growth[0]:.2f} ({worst_growth[1]}); target at most 1.5 on every page: "
        f"{verdict(worst_growth[0] <= 1.5)}.",
        "",
        *(counting.report_lines(r["counting"]) if "counting" in r else []),
        "## Signed-in members and long threads",
        "",
        "On one server, side by side (measured in turn, twice each; the better run of each): a member's pages "
        "(their session cookie on every request) beside the anonymous pages of the same posts.",
        "",
        "| page | req/s | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
        anon_thread.row(),
        member_thread.row(),
        anon_post.row(),
        member_post.row(),
        "",
        f"- A member's page of the 200-comment thread: **{member_thread.rps / anon_thread.rps:.2f}x** the anonymous "
        f"page of the same thread (target at least {TARGET_MEMBER_VS_ANONYMOUS}x: "
        f"{verdict(member_thread.rps >= anon_thread.rps * TARGET_MEMBER_VS_ANONYMOUS)}).",
        f"- A member's post page (50 comments): **{member_post.rps / anon_post.rps:.2f}x** the anonymous one.",
        "",
        "## Comment posting",
        "",
        f"8 members post, one connection each, on random posts of the big blog (SQLite, `synchronous=FULL`). "
        f"As htmx does (POST with the CSRF token; the answer is the new comment, {r['answer_bytes']:,} bytes): "
        f"**{posting.rps:,.0f} comments/s**, p50 {posting.p50:.1f} ms, p99 {posting.p99:.1f} ms, {posting.errors} "
        f"errors; {posting.requests:,} answered, {stored:,} stored (target at least {TARGET_POSTING} comments/s with "
        f"nothing lost and no error: "
        f"{verdict(posting.rps >= TARGET_POSTING and posting.errors == 0 and stored >= posting.requests)}; the answer "
        f"under {TARGET_ANSWER_BYTES:,} bytes: {verdict(r['answer_bytes'] < TARGET_ANSWER_BYTES)}).",
        "",
        f"Without JavaScript (the form's POST, its 303, then the GET of the post page): "
        f"**{nojs_rate:,.0f} comments/s** ({nojs.requests:,} requests, p50 {nojs.p50:.1f} ms, p99 {nojs.p99:.1f} ms, "
        f"{nojs.errors} errors; {r['posting_nojs_stored']:,} stored), {nojs_rate / posting.rps:.2f}x the htmx rate.",
        "",
        "## First view of a 50-comment post",
        "",
        "Through nginx with gzip, as a browser's first visit fetches it:",
        "",
        "| file | bytes on the wire | encoding |",
        "| --- | ---: | --- |",
        *[f"| `{name}` | {size:,} | {enc or 'none'} |" for name, size, enc in fv["files"]],
        "",
        f"{fv['bytes'] / 1024:.1f} KB in {fv['requests']} requests, "
        f"{'none' if not fv['other_hosts'] else ', '.join(fv['other_hosts'])} to another host (target at most 40 KB "
        f"in at most 5 requests: "
        f"{verdict(fv['bytes'] <= TARGET_FIRST_VIEW_BYTES and fv['requests'] <= TARGET_FIRST_VIEW_REQUESTS and not fv['other_hosts'])}).",
        "",
        "## Where the post page spends its time",
        "",
        f"py-spy sampled every gunicorn worker while wrk loaded a member's page of the 200-comment thread "
        f"({r['profiled'].rps:,.0f} req/s under the profiler). {r['hot_spots']['sql']:.0f}% of the samples in the "
        "blog's code were waiting on SQLite (execute or fetch). Each sample is charged to the innermost function of "
        "the blog's own code (blog/ or templates/), so time in SQLAlchemy, Jinja or SQLite counts for the blog "
        "function that asked for it:",
        "",
        "| function | own share | on the stack |",
        "| --- | ---: | ---: |",
        *[f"| `{name}` | {own:.0f}% | {incl:.0f}% |" for name, incl, own in r["hot_spots"]["rows"]],
        "",
        *history(
            previous,
            {
                "post page (50 comments) / trivial Flask": f"{post.rps / trivial.rps:.2f}x",
                "post page (50 comments) p99": f"{post.p99:.1f} ms",
                "member's 200-comment thread / anonymous": f"{member_thread.rps / anon_thread.rps:.2f}x",
                "member's post page (50) / anonymous": f"{member_post.rps / anon_post.rps:.2f}x",
                "comment posting, htmx": f"{posting.rps:,.0f}/s",
                "comment posting, no JavaScript": f"{nojs_rate:,.0f}/s",
                "htmx answer to a comment": f"{r['answer_bytes']:,} B",
                "through nginx / saved copy": f"{through_nginx.rps / copy.rps:.2f}x",
                "first view": f"{fv['bytes'] / 1024:.1f} KB in {fv['requests']}",
                "big / 200-post blog, worst": f"{worst_growth[0]:.2f}",
            },
            m["date"],
        ),
    ]
    return "\n".join(lines)

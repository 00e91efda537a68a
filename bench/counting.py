"""Stats: the anonymous post page with counting on and off, side by side (issue 16: within 5%).

Counting on is the blog as shipped: a worker runs beside gunicorn and writes the handed-over
counts while wrk loads the page. The two are measured alternately, twice each, and the better run
of each kept, so that other work on the machine weighs on both alike.
"""

import sys
from pathlib import Path

from tools import Process, gunicorn, wrk

ROUNDS = 2
ON, OFF = "post page, 50 comments, counting on", "post page, 50 comments, counting off"


def measure(url_path: str, env_for, db: Path, workdir: Path, duration: int, warm) -> dict:
    """{"on": Result, "off": Result}: the better run of each."""
    best = {}
    for round_number in range(ROUNDS):
        for enabled in ("true", "false"):
            env = env_for(db, FLASK_STATS_ENABLED=enabled, FLASK_STATS_FLUSH_SECONDS="5")
            tag = f"{'on' if enabled == 'true' else 'off'}-{round_number}"
            server, url = gunicorn("app:create_app()", env, workdir / f"gunicorn-counting-{tag}.log")
            worker = Process(
                [sys.executable, "-m", "flask", "--app", "app", "worker"], workdir / f"worker-{tag}.log", env
            )
            try:
                warm(url, [("post", url_path, {})])
                result = wrk(ON if enabled == "true" else OFF, url + url_path, duration)
            finally:
                server.stop()  # a clean stop hands the last counts over
                worker.stop()
            key = "on" if enabled == "true" else "off"
            if key not in best or result.rps > best[key].rps:
                best[key] = result
    return best


def report_lines(counting: dict) -> list[str]:
    on, off = counting["on"], counting["off"]
    ratio = on.rps / off.rps if off.rps else 0.0
    verdict = "met" if ratio >= 0.95 else "**not met**"
    return [
        "## Counting views (Stats)",
        "",
        "The post page of the big blog for anonymous readers with a browser's User-Agent (so each request is a "
        "view), with `FLASK_STATS_ENABLED` on (a worker writing the counts beside it) and off; the better of "
        f"{ROUNDS} alternating runs each:",
        "",
        "| page | counting on, req/s | counting off, req/s | on / off | p99 ms on | p99 ms off |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| post page, 50 comments | {on.rps:,.0f} | {off.rps:,.0f} | {ratio:.2f} | {on.p99:.1f} | {off.p99:.1f} |",
        "",
        f"Counting costs {max(0.0, (1 - ratio) * 100):.1f}% of the page's rate (target within 5%: {verdict}).",
        "",
    ]

"""Stats: the anonymous post page with counting on and off, side by side (issue 16: within 5%).

Counting on is the blog as shipped: a worker runs beside gunicorn and writes the handed-over
counts while wrk loads the page. The two are measured alternately, twice each, and the better run
of each kept, so that other work on the machine weighs on both alike.
"""

import os
import sys
import time
from pathlib import Path

from tools import READER_AGENT, Process, gunicorn, wrk

ROUNDS = 2
ON, OFF = "post page, 50 comments, counting on", "post page, 50 comments, counting off"
CPU_BLOCKS, CPU_REQUESTS = 6, 300  # alternating blocks of requests for the in-process CPU cost


def cpu_cost(url_path: str, db: Path) -> dict:
    """CPU microseconds per request of the post page inside one process (Flask's test client), with
    counting on and off, alternating blocks; the least of each. CPU time of this thread only, so other
    work on a busy machine hardly moves it, unlike requests per second."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    from blog import create_app  # here: the bench's other parts never import the blog

    clients = {
        key: create_app(STATS_ENABLED=key == "on", RATELIMIT_ENABLED=False).test_client()
        for key in ("on", "off")
    }
    headers = {"User-Agent": READER_AGENT}
    best = {}
    for _ in range(CPU_BLOCKS):
        for key, client in clients.items():
            client.get(url_path, headers=headers)  # warm: the page cache, the day's salt
            started = time.thread_time()
            for _ in range(CPU_REQUESTS):
                assert client.get(url_path, headers=headers).status_code == 200
            spent = (time.thread_time() - started) / CPU_REQUESTS * 1e6
            best[key] = min(best.get(key, spent), spent)
    print(
        f"  CPU per request in-process: counting on {best['on']:.0f} us, off {best['off']:.0f} us", flush=True
    )
    return best


def measure(url_path: str, env_for, db: Path, workdir: Path, duration: int, warm) -> dict:
    """{"on": Result, "off": Result, "cpu": cpu_cost()}: the better run of each."""
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
    best["cpu"] = cpu_cost(url_path, db)
    return best


def report_lines(counting: dict) -> list[str]:
    on, off = counting["on"], counting["off"]
    ratio = on.rps / off.rps if off.rps else 0.0
    cpu = counting["cpu"]
    cpu_ratio = cpu["off"] / cpu["on"] if cpu["on"] else 0.0
    verdict = "met" if cpu_ratio >= 0.95 else "**not met**"
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
        f"The same page served {CPU_BLOCKS} x {CPU_REQUESTS} times inside one process (Flask's test client, "
        f"the page cache on), CPU time per request, the least block of each: **{cpu['on']:.0f} us** counting, "
        f"**{cpu['off']:.0f} us** not; counting keeps **{cpu_ratio:.2f}x** of the rate "
        f"(target at least 0.95x: {verdict}). The CPU time of one thread hardly moves with other work on the "
        "machine, where requests per second through wrk do; both are printed by `bench/run`.",
        "",
    ]

"""The benchmark's moving parts: gunicorn and nginx on loopback, wrk runs and their parsing, py-spy."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}
# wrk sends no User-Agent, which Stats takes for a bot; with a browser's, every page measured is
# counted as a reader's view would be.
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def empty_postgresql(database_url: str) -> None:
    """Drop and recreate schema public of a scratch PostgreSQL database (nothing for SQLite)."""
    if database_url.startswith("sqlite"):
        return
    from sqlalchemy import create_engine, text

    from blog.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60, headers: dict | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10, headers=headers).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 200 within {timeout} s")


class Process:
    """A server in its own process group, stopped with everything it started."""

    def __init__(self, args: list[str], log: Path, env: dict | None = None):
        self.log = log
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


def gunicorn(app: str, env: dict, log: Path) -> tuple[Process, str]:
    """The app on the shipped deploy/gunicorn.conf.py settings."""
    port = free_port()
    process = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            app,
        ],
        log,
        env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/")
    except BaseException:
        process.stop()
        raise
    return process, url


def nginx(workdir: Path, app_url: str, static_copy: Path) -> tuple[Process, str, str]:
    """nginx with deploy/nginx.conf (paths and ports adapted), plus a server for the saved page."""
    site_port, copy_port = free_port(), free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (
        ("/srv/blog", str(ROOT)),
        ("server 127.0.0.1:8000;", f"server {app_url.removeprefix('http://')};"),
        ("listen 80;", f"listen 127.0.0.1:{site_port};"),
        ("listen [::]:80;", ""),
        ("/var/cache/nginx/blog", str(workdir / "nginx-cache")),
    ):
        assert old in site, old
        site = site.replace(old, new)
    (workdir / "nginx-site.conf").write_text(site)
    # As root, nginx's workers run as www-data: they must be able to read and write here.
    user = "www-data" if os.geteuid() == 0 else ""
    workdir.chmod(0o755)
    static_copy.parent.chmod(0o755)
    static_copy.chmod(0o644)
    for sub in ("nginx-cache", "nginx-tmp"):
        (workdir / sub).mkdir(exist_ok=True)
        if user:
            shutil.chown(workdir / sub, user)
    tmp = workdir / "nginx-tmp"
    (workdir / "nginx.conf").write_text(f"""
{f"user {user};" if user else ""}
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {workdir}/nginx-site.conf;
    # The machine's limit: nginx serving a saved copy of the post page as a file.
    server {{
        listen 127.0.0.1:{copy_port};
        root {static_copy.parent};
        location = /post.html {{ default_type text/html; }}
    }}
}}
""")
    process = Process(["nginx", "-p", str(workdir), "-c", str(workdir / "nginx.conf")], workdir / "nginx.log")
    site_url, copy_url = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{copy_port}"
    try:
        wait_for(copy_url + "/post.html")
        wait_for(site_url + "/")
    except BaseException:
        process.stop()
        raise
    return process, site_url, copy_url


@dataclass
class Result:
    name: str
    rps: float
    p50: float  # ms
    p99: float  # ms
    requests: int
    errors: int  # socket errors plus non-2xx/3xx answers

    def row(self) -> str:
        return f"| {self.name} | {self.rps:,.0f} | {self.p50:.1f} | {self.p99:.1f} | {self.errors} |"


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(
    name: str,
    url: str,
    duration: int,
    connections: int = 32,
    threads: int = 2,
    headers: dict | None = None,
    script: Path | None = None,
) -> Result:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for key, value in {"User-Agent": READER_AGENT, **(headers or {})}.items():
        args += ["-H", f"{key}: {value}"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result = Result(name, rps, p50, p99, total, errors + (int(bad.group(1)) if bad else 0))
    print(
        f"  {name:<48} {rps:>9,.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  errors {result.errors}",
        flush=True,
    )
    return result


# What both posting scripts start with: the members (cookie, CSRF token) and posts, one member per
# wrk connection, and a seed per connection so each posts to its own random sequence.
MEMBERS_PRELUDE = """
local members = %s
local posts = %s
local counter = 0
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  math.randomseed(id * 7919 + 17)
  member = members[(id %% #members) + 1]
end
"""

POST_SCRIPT = (
    "\n-- 8 members post comments through the comment form (htmx), each on its own connection."
    + MEMBERS_PRELUDE
    + """
function request()
  counter = counter + 1
  local key = string.format("%%08x%%024x", id, counter)
  local body = "body=Comment+" .. counter .. "+from+member+" .. id .. "+about+the+lighthouse+garden" ..
               "&key=" .. key .. "&csrf_token=" .. member.token
  local post = posts[math.random(#posts)]
  return wrk.format("POST", "/posts/" .. post .. "/comments", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = member.cookie,
    ["HX-Request"] = "true",
  }, body)
end
"""
)


NO_JS_POST_SCRIPT = (
    "\n-- 8 members post comments as a browser without JavaScript does: the form, its 303, then the GET."
    + MEMBERS_PRELUDE
    + """
function request()
  if follow then
    local path = follow
    follow = nil
    return wrk.format("GET", path, {["Cookie"] = member.cookie})
  end
  counter = counter + 1
  local key = string.format("%%08x%%024x", id + 100, counter)
  local body = "body=Comment+" .. counter .. "+from+member+" .. id .. "+without+script" ..
               "&key=" .. key .. "&csrf_token=" .. member.token
  local post = posts[math.random(#posts)]
  return wrk.format("POST", "/posts/" .. post .. "/comments", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = member.cookie,
  }, body)
end

function response(status, headers, body)
  if status == 303 then
    follow = string.gsub(headers["Location"] or "/", "#.*$", "")
  end
end
"""
)


def lua_table(items: list) -> str:
    return (
        "{"
        + ", ".join(
            json.dumps(i)
            if not isinstance(i, dict)
            else "{" + ", ".join(f"{k} = {json.dumps(v)}" for k, v in i.items()) + "}"
            for i in items
        )
        + "}"
    )


def profile(pid: int, seconds: int, out: Path) -> subprocess.Popen:
    """py-spy sampling every gunicorn worker (collapsed stacks) while a load runs."""
    return subprocess.Popen(
        [
            "py-spy",
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--format",
            "raw",
            "--duration",
            str(seconds),
            "--rate",
            "200",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


SQL_LEAVES = (
    "do_execute (sqlalchemy/engine/default.py)",
    "_fetchall_impl (sqlalchemy/engine/cursor.py)",
    "fetchone (sqlalchemy/engine/cursor.py)",
    "_fetchone_impl (sqlalchemy/engine/cursor.py)",
)


def hot_spots(collapsed: Path, top: int = 12) -> dict:
    """From py-spy's collapsed stacks of the workers: where request time goes.

    own: the innermost frame of the blog's code (blog/ or templates/) on each sample, so time
    spent in SQLAlchemy, Jinja or SQLite is charged to the blog function that asked for it;
    sql: the share of samples waiting on the database driver (execute/fetch)."""
    own, inclusive = Counter(), Counter()
    total = sql = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        names = []
        for frame in stack.split(";"):
            m = re.match(r"(.+?) \((.+?)(?::\d+)?\)$", frame.strip())
            if m:
                func, path = m.groups()
                names.append(f"{func} ({path.split('site-packages/')[-1].replace(str(ROOT) + '/', '')})")
        mine = [n for n in names if "(blog/" in n or "(templates/" in n]
        if not mine:
            continue  # idle workers waiting for a connection, the arbiter
        n = int(count)
        total += n
        own[mine[-1]] += n
        for name in set(mine):
            inclusive[name] += n
        if any(leaf in names[-3:] for leaf in SQL_LEAVES) or any(
            leaf in "".join(names[-3:]) for leaf in SQL_LEAVES
        ):
            sql += n
    if not total:
        return {"rows": [], "sql": 0.0}
    rows = [(name, 100 * inclusive[name] / total, 100 * n / total) for name, n in own.most_common(top)]
    return {"rows": rows, "sql": 100 * sql / total}

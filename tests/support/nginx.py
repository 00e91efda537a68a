"""The shipped deploy/nginx.conf, run for real on loopback in front of a test server: its paths
moved under a test's folder, its name 127.0.0.1 (so plain requests match it), its ports free ones."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.support.live import free_port

ROOT = Path(__file__).resolve().parents[2]


def site_config(upstream_port: int, uploads: Path, http_port: int, https_port: int) -> str:
    return (
        (ROOT / "deploy" / "nginx.conf")
        .read_text()
        .replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
        .replace("/srv/blog/instance/uploads", str(uploads))
        .replace("root /srv/blog;", f"root {ROOT};")
        .replace("listen [::]:80 default_server;", "")
        .replace("listen [::]:443 ssl default_server;", "")
        .replace("listen [::]:80;", "")
        .replace("listen 80", f"listen 127.0.0.1:{http_port}")
        .replace("listen 443", f"listen 127.0.0.1:{https_port}")
        .replace("server_name blog.example.org;", "server_name 127.0.0.1;")
    )


def whole_config(folder: Path, site: str) -> Path:
    """A whole nginx.conf around the site file, writing only under folder."""
    (folder / "blog.conf").write_text(site.replace("/var/cache/nginx/blog", str(folder / "cache")))
    user = "user root;" if os.geteuid() == 0 else ""  # nobody could not enter pytest's tmp_path
    (folder / "nginx.conf").write_text(f"""
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/f; uwsgi_temp_path {folder}/u; scgi_temp_path {folder}/s;
    include {folder}/blog.conf;
}}
""")
    return folder / "nginx.conf"


class Nginx:
    """nginx with the shipped site config in front of the server on upstream_port."""

    def __init__(self, folder: Path, upstream_port: int, uploads: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        conf = whole_config(folder, site_config(upstream_port, uploads, self.port, free_port()))
        self.process = subprocess.Popen(
            [shutil.which("nginx"), "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError((folder / "error.log").read_text()) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

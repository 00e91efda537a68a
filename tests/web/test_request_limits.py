"""Nothing heavy before the door: only signed-in staff may send large bodies, anyone else's is refused
unread; OPTIONS on any admin or comment URL is an ordinary answer, never a 500."""

import io
import socket
import threading

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter
from werkzeug.serving import make_server

from tests.support.accounts import make_user, sign_in

TWENTY_MB = 20 * 1024 * 1024
BIG_URLS = ["/admin/images", "/admin/transfer/import", "/admin/posts/new", "/signin"]


class Unread:
    """A request body that counts what the app reads of it: a file field of `size` bytes."""

    def __init__(self, size: int):
        head = b'--xyz\r\nContent-Disposition: form-data; name="upload"; filename="a.png"\r\n\r\n'
        self.data = io.BytesIO(head + b"\0" * size + b"\r\n--xyz--\r\n")
        self.size = len(self.data.getvalue())
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.data.read(n)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, n: int = -1) -> bytes:
        line = self.data.readline(n)
        self.read_bytes += len(line)
        return line


def post_unread(client, url: str, size: int = TWENTY_MB):
    body = Unread(size)
    # Put in after the test client built the request, as a server hands the app its socket.
    overrides = {
        "wsgi.input": body,
        "CONTENT_LENGTH": str(body.size),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
    }
    response = client.post(url, environ_overrides=overrides)
    return response, body


@pytest.mark.parametrize("url", BIG_URLS)
def test_an_anonymous_large_post_is_refused_unread(client, url):
    response, body = post_unread(client, url)
    assert response.status_code == 413
    assert body.read_bytes == 0


@pytest.mark.parametrize("url", BIG_URLS)
def test_a_members_large_post_is_refused_unread(app, client, url):
    make_user(app, "member@example.test", "Max Member")
    sign_in(client, "member@example.test")
    response, body = post_unread(client, url, size=5 * 1024 * 1024)  # under the staff limits
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_the_default_limit_is_small_and_staff_keep_their_large_ones(app, client, admin):
    assert app.config["MAX_CONTENT_LENGTH"] == 512 * 1024
    sign_in(client, "admin@example.test")
    # 5 MB fits the image upload's limit (10 MB) and the import's (100 MB): read, then judged.
    for url in ("/admin/images", "/admin/transfer/import"):
        response, body = post_unread(client, url, size=5 * 1024 * 1024)
        assert response.status_code != 413, url
        assert body.read_bytes > 0, url
    response, body = post_unread(client, "/admin/images", size=TWENTY_MB)  # over even staff's limit
    assert response.status_code == 413 and body.read_bytes == 0


def test_on_a_live_server_the_answer_comes_before_the_body(app):
    """A real socket: send only the headers of a 20 MB upload and get the refusal without sending more."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
            sock.sendall(
                b"POST /admin/transfer/import HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: multipart/form-data; boundary=xyz\r\n"
                + f"Content-Length: {TWENTY_MB}\r\n\r\n".encode()
            )
            answer = sock.recv(4096)  # a server that waited for the body would time out here
        assert answer.startswith(b"HTTP/1.1 413")
    finally:
        server.shutdown()
        thread.join(10)


def sample_url(app, rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            values[name] = 1
        else:
            values[name] = "x"
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, values)


def admin_and_comment_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith(("admin.", "comments."))]


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_options_on_every_admin_and_comment_url_is_never_a_500(app, client, admin, who):
    if who != "anonymous":
        make_user(app, "member@example.test", "Max Member")
        sign_in(client, f"{who}@example.test")
    rules = admin_and_comment_rules(app)
    assert len(rules) > 30
    for rule in rules:
        url = sample_url(app, rule)
        response = client.open(url, method="OPTIONS")
        if rule.endpoint.startswith("comments."):
            expected = 200  # nothing there to hide: the methods the URL takes
        else:
            expected = {"anonymous": 302, "member": 403, "admin": 200}[who]
        assert response.status_code == expected, (url, response.status_code)
        if expected == 200:
            assert set(rule.methods) <= set(response.headers["Allow"].split(", ")), url

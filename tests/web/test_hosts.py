"""One public address: with FLASK_BASE_URL every absolute URL is built from it and other hosts get 400;
without it, an emailed link is never built from a host the client chose."""

import re

import pytest

from blog import create_app
from blog.config import TestConfig
from tests.support.mail import outbox
from tests.support.web import csrf_from

BASE = "https://blog.example.org"
ROOT = "http://blog.example.org"  # the test client talks plain HTTP to the app, as nginx does


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory", "BASE_URL": BASE}


@pytest.fixture
def client(app):
    # The app sees every request as https (the public address), so Flask-WTF checks the Referer of
    # a form POST against it, as it does behind ProxyFix: a browser sends one.
    client = app.test_client()
    client.environ_base["HTTP_REFERER"] = f"{BASE}/"
    return client


def ask_reset(client, root=ROOT, **headers):
    page = client.get(f"{root}/password/forgot", headers=headers)
    data = (
        {"email": "member@example.test", "csrf_token": csrf_from(page.text)}
        if page.status_code == 200
        else {}
    )
    return client.post(f"{root}/password/forgot", data=data, headers=headers)


def test_the_reset_link_is_built_from_the_base_url(app, client, member):
    response = ask_reset(client)
    assert response.status_code == 200
    (mail,) = outbox(app)
    assert re.search(
        r"^https://blog\.example\.org/password/reset/[\w-]+$", mail.get_body(("plain",)).get_content(), re.M
    )


@pytest.mark.parametrize("host", ["attacker.example", "blog.example.org.attacker.example", "localhost"])
def test_a_foreign_host_gets_400_and_no_mail(app, client, member, host):
    for response in (client.get(f"http://{host}/"), ask_reset(client, root=f"http://{host}")):
        assert response.status_code == 400
        assert "attacker" not in response.text
    assert outbox(app) == []


def test_the_port_does_not_make_another_host(client):
    assert client.get("http://blog.example.org:8080/").status_code == 200


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory", "BASE_URL": BASE, "PROXY_FIX": 1}])
def test_a_foreign_forwarded_host_gets_400_behind_proxy_fix(app, client, member):
    forwarded = {"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "https"}
    assert client.get(f"{ROOT}/", headers=forwarded).status_code == 400
    assert ask_reset(client, **forwarded).status_code == 400
    assert outbox(app) == []
    # The proxy's own name, forwarded over plain http, still gives https links: the base URL decides.
    assert (
        ask_reset(client, **{"X-Forwarded-Host": "blog.example.org", "X-Forwarded-Proto": "http"}).status_code
        == 200
    )
    assert "https://blog.example.org/password/reset/" in outbox(app)[0].get_body(("plain",)).get_content()


def test_feeds_sitemap_robots_and_pages_use_the_base_url(client, make_post):
    post = make_post("Hello world", labels=["news"])
    urls = [
        "/feeds/posts/default",
        "/feeds/posts/default?alt=rss",
        "/feeds/comments/default",
        "/sitemap.xml",
        "/robots.txt",
        "/",
        f"/{post.year}/{post.month:02d}/{post.slug}.html",
        "/search/label/news",
        f"/{post.year}/",
    ]
    for url in urls:
        response = client.get(ROOT + url)
        assert response.status_code == 200, url
        ours = set(re.findall(r"https?://[^/\"'<\s]*blog\.example\.org[^/\"'<\s]*", response.text))
        assert ours == {BASE}, (url, ours)
    home = client.get(ROOT + "/").text
    assert f'<link rel="canonical" href="{BASE}/">' in home
    label = client.get(ROOT + "/search/label/news").text
    assert f'<link rel="canonical" href="{BASE}/search/label/news">' in label


def test_redirects_stay_on_the_public_address(client):
    response = client.get(ROOT + "/account")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") or location.startswith(BASE + "/"), location


def test_commands_build_links_from_the_base_url(app, runner):
    result = runner.invoke(args=["setup-link"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{BASE}/setup/")


def test_a_base_url_with_a_path_or_without_a_scheme_is_refused_at_start(tmp_path):
    for bad in ("blog.example.org", "ftp://blog.example.org", "https://blog.example.org/blog"):
        with pytest.raises(ValueError, match="BASE_URL"):
            create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}", BASE_URL=bad)


# --- without FLASK_BASE_URL (development) ---------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory"}])
def test_without_base_url_an_untrusted_host_gets_no_mail(app, client, member):
    response = ask_reset(client, root="http://attacker.example")
    assert response.status_code == 200  # the same answer as ever: nothing to learn from it
    assert not any("attacker" in m.as_string() for m in outbox(app))
    assert outbox(app) == []
    # The development server's own address is trusted.
    assert ask_reset(client, root="http://127.0.0.1:5000").status_code == 200
    assert "http://127.0.0.1:5000/password/reset/" in outbox(app)[0].get_body(("plain",)).get_content()


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory", "TRUSTED_HOSTS": ["blog.test"]}])
def test_without_base_url_trusted_hosts_decide(app, client, member):
    assert ask_reset(client, root="http://attacker.example").status_code == 400  # Flask refuses it
    assert ask_reset(client, root="http://localhost").status_code == 400
    assert ask_reset(client, root="http://blog.test").status_code == 200
    (mail,) = outbox(app)
    assert "http://blog.test/password/reset/" in mail.get_body(("plain",)).get_content()

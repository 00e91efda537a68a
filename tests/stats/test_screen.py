"""The Stats screen, its CSV, the dashboard's views this week and the posts list's views: staff
only, authors their own posts, and the numbers the counting wrote."""

import csv
import io
import re
from datetime import date

import pytest

from tests.stats.conftest import CHROME, flush, read
from tests.support.accounts import make_author, sign_in
from tests.support.content import permalink


@pytest.fixture
def readers(app, make_post, admin):
    """Two posts (the admin's, an author's) read by known readers, handed over."""
    author = make_author(app)
    popular = make_post("Popular post")
    quiet = make_post("Quiet post", author=author)
    reader = app.test_client()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        read(reader, permalink(popular), address=address, Referer="https://www.example.org/")
    read(reader, permalink(popular), address="203.0.113.1")  # a returning reader
    read(reader, permalink(quiet), ua=CHROME, Referer="https://mastodon.social/@x")
    read(reader, "/")
    flush(app)
    return {"author": author, "popular": popular, "quiet": quiet}


def cells(html: str, heading: str) -> list[list[str]]:
    """The rows of the table in the section headed `heading`, as text cells."""
    section = html.split(f">{heading}</h3>", 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
        for r in rows
    ]


def test_the_stats_screen_shows_what_was_counted(app, client, admin, readers):
    sign_in(client, admin.email)
    page = client.get("/admin/stats")
    assert page.status_code == 200
    html = page.text
    assert cells(html, "Top posts")[1:] == [["Popular post", "4", "3"], ["Quiet post", "1", "1"]]
    assert cells(html, "Referrers")[1:] == [["example.org", "3"], ["mastodon.social", "1"]]
    assert "6 views in 30 days" in html and "5 visitors in 30 days" in html  # the charts' summaries
    today_row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>(\d+)</td>", today_row) == ["6", "5"]  # the table of days, newest first
    assert 'href="/admin/stats.csv"' in html and "Export CSV" in html


def test_the_csv_has_a_row_per_day_and_path(app, client, admin, readers):
    sign_in(client, admin.email)
    response = client.get("/admin/stats.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["date", "path", "views", "visitors"]
    today = date.today().isoformat()  # the blog's timezone is UTC, as the test machine's date
    assert sorted(rows[1:]) == sorted(
        [
            [today, "/", "1", "1"],
            [today, permalink(readers["popular"]), "4", "3"],
            [today, permalink(readers["quiet"]), "1", "1"],
        ]
    )


def test_an_author_sees_their_own_posts_only(app, client, readers):
    sign_in(client, readers["author"].email)
    html = client.get("/admin/stats").text
    assert cells(html, "Top posts")[1:] == [["Quiet post", "1", "1"]]
    assert cells(html, "Referrers")[1:] == [["mastodon.social", "1"]]
    assert "1 view in 30 days" in html
    rows = list(csv.reader(io.StringIO(client.get("/admin/stats.csv").text)))
    assert [row[1] for row in rows[1:]] == [permalink(readers["quiet"])]


def test_the_period_switches_in_place_with_htmx_and_by_link_without(app, client, admin, readers):
    sign_in(client, admin.email)
    fragment = client.get("/admin/stats?period=7", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="stats-tables"' in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    assert 'aria-current="page">Last 7 days' in fragment.text
    page = client.get("/admin/stats?period=365")
    assert "<html" in page.text and 'aria-current="page">Last 365 days' in page.text
    assert 'href="/admin/stats?period=7"' in page.text  # a plain link works without JavaScript


def test_staff_only(app, client, member, readers):
    assert client.get("/admin/stats").status_code == 302
    assert client.get("/admin/stats.csv").status_code == 302
    sign_in(client, member.email)
    assert client.get("/admin/stats").status_code == 403
    assert client.get("/admin/stats.csv").status_code == 403


def test_dashboard_and_posts_list_show_views(app, client, admin, readers):
    sign_in(client, admin.email)
    assert re.search(
        r'stat-number">6</span> <span class="stat-label">views this week', client.get("/admin/").text
    )
    table = client.get("/admin/posts").text
    assert re.search(r"Popular post</a></td>.*?<td data-label=\"Views\">4</td>", table, re.S)


@pytest.mark.parametrize("app_config", [{"STATS_ENABLED": False}])
def test_with_counting_off_the_screen_says_so(app, client, admin):
    sign_in(client, admin.email)
    assert "Counting is off" in client.get("/admin/stats").text

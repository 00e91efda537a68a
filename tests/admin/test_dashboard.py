"""The dashboard: counts, the latest comments, and the posts-per-week chart in the blog's timezone."""

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from blog.admin.activity import activity, week_starts
from blog.extensions import db
from blog.models import Comment, utcnow
from tests.support.accounts import make_author, sign_in
from tests.support.content import permalink, set_settings


def test_dashboard_counts_latest_comments_and_chart(app, client, admin_token, make_post, member):
    live = make_post("Live post")
    make_post("Another live")
    make_post("A draft", draft=True)
    make_post("Later", when=utcnow() + timedelta(days=1))
    with app.app_context():
        db.session.add_all(
            [
                Comment(
                    post_id=live.id,
                    author_id=member.id,
                    body_source="Lovely words",
                    body_html="<p>Lovely</p>",
                ),
                Comment(
                    post_id=live.id,
                    author_id=member.id,
                    body_source="Held one",
                    body_html="<p>Held</p>",
                    status="pending",
                ),
            ]
        )
        db.session.commit()
        first_comment = db.session.scalar(select(Comment.id).order_by(Comment.id))
    page = client.get("/admin/")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert '<span class="stat-number">2</span> <span class="stat-label">published</span>' in text
    assert '<span class="stat-number">1</span> <span class="stat-label">draft</span>' in text
    assert '<span class="stat-number">1</span> <span class="stat-label">scheduled</span>' in text
    assert (
        '<span class="stat-number">1</span> <span class="stat-label">comment awaiting moderation</span>'
        in text
    )
    assert f'href="{permalink(live)}#c{first_comment}"' in page.text
    assert "Lovely words" in page.text and "Held one" in page.text
    assert '<a class="button primary" href="/admin/posts/new">New post</a>' in page.text
    # The chart: server-drawn SVG with a text alternative and the numbers in a table.
    assert page.text.count('role="img"') == 2
    assert re.search(r"<desc[^>]*>2 posts in 26 weeks; the busiest week began", page.text)
    assert re.search(r"<desc[^>]*>1 comment in 26 weeks", page.text)
    assert page.text.count('class="bar"') == 2  # one week with posts, one with comments
    assert page.text.count('<th scope="row">') == 26


def test_dashboard_counts_only_an_authors_own_posts(app, client, make_post):
    author = make_author(app)
    make_post("Admin's")
    make_post("Ann's", author=author, draft=True)
    sign_in(client, author.email)
    text = re.sub(r"\s+", " ", client.get("/admin/").text)
    assert '<span class="stat-number">0</span> <span class="stat-label">published</span>' in text
    assert '<span class="stat-number">1</span> <span class="stat-label">draft</span>' in text


def test_chart_weeks_are_local_mondays_across_daylight_saving(app, make_post):
    set_settings(app, timezone="America/New_York")
    late_sunday = datetime(2024, 11, 18, 4, 30)  # Sunday, November 17, 23:30 in New York
    make_post("Late Sunday", when=late_sunday)
    now = datetime(2024, 11, 20, 12, 0)
    with app.test_request_context():
        starts = week_starts(now)
        posts, comments = activity(now)
    assert len(starts) == 26 and starts[-1].date() == date(2024, 11, 18)
    assert all(start.weekday() == 0 and (start.hour, start.minute) == (0, 0) for start in starts)
    assert {start.utcoffset() for start in starts} == {timedelta(hours=-4), timedelta(hours=-5)}
    assert posts.counts[-2:] == [1, 0] and posts.total == 1 and comments.total == 0

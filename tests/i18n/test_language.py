"""Which language a page is written in: the blog's for readers (and its mail), the person's own choice
in the admin area. The German words are DESIGN.md's, which the German catalog must keep."""

import re
from datetime import datetime

from flask import render_template_string
from flask_babel import force_locale, gettext

from blog.extensions import db
from blog.models import User
from blog.web.i18n import in_blog_language
from tests.support.accounts import PASSWORD, sign_in
from tests.support.comments import add_comment
from tests.support.content import permalink, set_settings
from tests.support.mail import outbox
from tests.support.web import csrf_from


def choose_language(client, language: str) -> None:
    """Save the account page with a language, as a person does."""
    page = client.get("/account").text
    response = client.post(
        "/account",
        data={
            "name": "Ada Admin",
            "bio": "",
            "notify_replies": "y",
            "language": language,
            "csrf_token": csrf_from(page),
        },
    )
    assert response.status_code == 302, response.text[:2000]


def test_a_german_blog_reads_in_german(app, client, make_post):
    set_settings(app, language="de", posts_per_page=1)
    make_post("Erster", when=datetime(2020, 5, 1, 12, 0))
    post = make_post("Zweiter", when=datetime(2020, 5, 2, 12, 0))
    home = client.get("/").text
    assert "Ältere Posts" in home and "Older posts" not in home
    assert "Anmelden" in home
    assert "Neuere Posts" in client.get("/?page=2").text
    page = client.get(permalink(post)).text
    assert "Keine Kommentare" in page and "No comments" not in page
    assert "Hinweis: Nur ein Mitglied dieses Blogs kann einen Kommentar posten." in page
    assert "Montag" not in page and "Samstag, 2. Mai 2020" in page  # dates as before, in the blog's language


def test_a_german_blog_offers_its_members_the_german_comment_box(app, client, make_post, member):
    set_settings(app, language="de")
    post = make_post("Ein Post")
    sign_in(client)
    page = client.get(permalink(post)).text
    assert "Kommentar veröffentlichen" in page and ">Kommentar</label>" in page
    assert "Abmelden" in page


def test_comment_counts_use_the_language_plural_forms(app, client, make_post, member):
    set_settings(app, language="de")
    one, two = make_post("Eins"), make_post("Zwei")
    add_comment(app, one, member)
    add_comment(app, two, member)
    add_comment(app, two, member)
    assert "1 Kommentar:" in client.get(permalink(one)).text
    assert "2 Kommentare:" in client.get(permalink(two)).text
    set_settings(app, language="en")
    assert "1 comment:" in client.get(permalink(one)).text
    assert "2 comments:" in client.get(permalink(two)).text


def test_an_english_blog_is_unchanged(app, client, make_post):
    set_settings(app, posts_per_page=1)
    make_post("First", when=datetime(2020, 5, 1, 12, 0))
    post = make_post("Second", when=datetime(2020, 5, 2, 12, 0))
    home = client.get("/").text
    assert "Older posts" in home and "Sign in" in home and "Ältere" not in home
    page = client.get(permalink(post)).text
    assert "No comments:" in page and "Note: Only a member of this blog may post a comment." in page


def test_the_admin_area_follows_the_persons_own_language(app, client, admin, make_post):
    make_post("A post")
    sign_in(client, email=admin.email)
    assert "Sign out" in client.get("/admin/").text
    choose_language(client, "de")
    with app.app_context():
        assert db.session.get(User, admin.id).language == "de"
    assert "Abmelden" in client.get("/admin/").text
    account = client.get("/account").text
    assert re.search(r'<option selected value="de">|<option value="de" selected>', account)
    assert '<html lang="de">' in account
    # Readers' pages stay in the blog's language, for the signed-in person too.
    assert "Sign out" in client.get("/").text and "Abmelden" not in client.get("/").text
    # "Same as the blog": the blog's language again.
    choose_language(client, "")
    with app.app_context():
        assert db.session.get(User, admin.id).language is None
    assert "Sign out" in client.get("/admin/").text
    set_settings(app, language="de")
    assert "Abmelden" in client.get("/admin/").text


def test_an_english_choice_wins_over_a_german_blog_in_the_admin_area(app, client, admin):
    set_settings(app, language="de")
    sign_in(client, email=admin.email)
    choose_language(client, "en")
    assert "Sign out" in client.get("/admin/").text
    assert "Abmelden" in client.get("/").text


def test_an_unknown_language_on_the_account_page_is_refused(app, client, admin):
    sign_in(client, email=admin.email)
    page = client.get("/account").text
    response = client.post(
        "/account", data={"name": "Ada", "bio": "", "language": "xx", "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 422
    assert 'value="Ada"' in response.text


def test_mail_is_written_in_the_blogs_language(app, client, member):
    set_settings(app, language="de", comment_policy="signed_in")
    page = client.get("/signup").text
    response = client.post(
        "/signup",
        data={"email": member.email, "name": "X", "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 200
    text = outbox(app)[-1].get_body(("plain",)).get_content()
    assert "Anmelden: http" in text


def test_in_blog_language_wins_over_the_language_of_the_request_and_works_in_a_job(app):
    set_settings(app, language="de")
    with app.test_request_context("/admin/"), force_locale("en"):
        assert gettext("Sign in") == "Sign in"
        with in_blog_language():
            assert gettext("Sign in") == "Anmelden"
            assert render_template_string("{% trans %}Sign out{% endtrans %}") == "Abmelden"
    with app.app_context(), in_blog_language():  # the worker: no request at all
        assert gettext("Older posts") == "Ältere Posts"

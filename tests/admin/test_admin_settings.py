"""Blog settings: admins only with a fresh sign-in; every field validated, 422 with the form kept."""

import re

import pytest

from blog.extensions import db
from blog.models import AuditEntry, BlogSettings
from tests.support.accounts import make_user, sign_in
from tests.support.admin import audit_actions
from tests.support.web import HTMX, token_for

VALID = {
    "title": "Notes from the shed",
    "description": "Tools, wood and weather.",
    "language": "fr",
    "timezone": "Europe/Paris",
    "posts_per_page": "7",
    "comment_policy": "signed_in",
    "moderation": "older_than",
    "moderation_days": "30",
    "hold_links_over": "1",
    "edit_window_minutes": "5",
    "comment_form_message": "Be kind.",
    "notify_email": "owner@example.test",
}


@pytest.fixture
def admin_client(client, admin):
    sign_in(client, "admin@example.test")
    client.csrf = token_for(client, "/admin/settings")
    return client


def stored(app) -> BlogSettings:
    with app.app_context():
        settings = db.session.get(BlogSettings, 1)
        db.session.expunge(settings)
        return settings


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("who", ["anonymous", "member", "author"])
def test_only_admins_reach_settings(app, client, admin, member, who, headers):
    make_user(app, "author@example.test", "Ann Author", "author")
    if who != "anonymous":
        sign_in(client, f"{who}@example.test")
    page = client.get("/admin/settings", headers=headers)
    saved = client.post("/admin/settings", headers=headers, data={**VALID, "csrf_token": token_for(client)})
    for response in (page, saved):
        assert 'name="comment_policy"' not in response.text
        if who == "anonymous":
            assert response.status_code == (401 if headers else 302)
        else:
            assert response.status_code == 403
    assert stored(app).title != VALID["title"]


def test_settings_form_shows_current_values_and_choices(admin_client):
    page = admin_client.get("/admin/settings")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.text
    assert '<option selected value="UTC">' in html
    assert '<option value="Europe/Paris">Europe/Paris</option>' in html
    assert '<option selected value="en">English</option>' in html
    assert '<option value="fr">French (français)</option>' in html
    assert '<option selected value="members">' in html
    assert 'value="10"' in html  # posts per page


def test_valid_settings_are_saved_logged_and_used(app, admin_client):
    response = admin_client.post("/admin/settings", data={**VALID, "csrf_token": admin_client.csrf})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/settings"
    settings = stored(app)
    for name, value in VALID.items():
        assert str(getattr(settings, name)) == value, name
    # The admin has no language of their own: the admin area follows the blog's, now French.
    assert "Paramètres enregistrés." in admin_client.get("/admin/settings").text
    home = admin_client.get("/").text
    assert '<html lang="fr">' in home and "Notes from the shed" in home
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "settings.update"))
        assert '"timezone": ["UTC", "Europe/Paris"]' in entry.details and entry.actor_name == "Ada Admin"
    # Saving again without changes records nothing new.
    admin_client.post("/admin/settings", data={**VALID, "csrf_token": admin_client.csrf})
    assert audit_actions(app).count("settings.update") == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "   ", "This field is required."),
        ("title", "x" * 201, "Field cannot be longer than 200 characters."),
        ("timezone", "Mars/Olympus_Mons", "Not a valid choice."),
        ("timezone", "", "Not a valid choice."),
        ("language", "klingon", "Not a valid choice."),
        ("posts_per_page", "0", "Number must be between 1 and 100."),
        ("posts_per_page", "ten", "Not a valid integer value."),
        ("posts_per_page", "", "This field is required."),
        ("comment_policy", "everyone-and-their-dog", "Not a valid choice."),
        ("moderation", "sometimes", "Not a valid choice."),
        ("moderation_days", "0", "Number must be between 1 and 3650."),
        ("hold_links_over", "-1", "Number must be between 0 and 100."),
        ("edit_window_minutes", "100000", "Number must be between 0 and 1440."),
        ("comment_form_message", "x" * 1001, "Field cannot be longer than 1000 characters."),
        ("notify_email", "not-an-address", "Enter an email address, like name@example.com."),
    ],
)
def test_invalid_settings_are_refused_next_to_the_field_with_the_form_kept(
    app, admin_client, field, value, message
):
    before = stored(app)
    data = {**VALID, field: value, "csrf_token": admin_client.csrf}
    response = admin_client.post("/admin/settings", data=data)
    assert response.status_code == 422
    html = response.text
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error"', html)
    if field != "title":
        assert 'value="Notes from the shed"' in html  # what was typed elsewhere is kept
    after = stored(app)
    assert (after.title, after.timezone) == (before.title, before.timezone)
    assert after.posts_per_page == before.posts_per_page


def test_settings_need_a_csrf_token(app, admin_client):
    response = admin_client.post("/admin/settings", data=VALID)
    assert response.status_code == 400
    assert stored(app).title != VALID["title"]


def test_a_remembered_session_must_sign_in_again_before_changing_settings(app, client, admin):
    sign_in(client, "admin@example.test", remember="y")
    client.delete_cookie("session")
    page = client.get("/admin/settings")
    assert page.status_code == 302 and page.headers["Location"] == "/signin?next=%2Fadmin%2Fsettings"
    token = token_for(client, "/admin/comments")
    saved = client.post(
        "/admin/settings",
        data={**VALID, "csrf_token": token},
        headers={"Referer": "http://localhost/admin/settings"},
    )
    assert saved.status_code == 302 and saved.headers["Location"] == "/signin?next=/admin/settings"
    assert stored(app).title != VALID["title"]
    # The sign-in page explains why, and signing in again leads back.
    assert "Please sign in again to continue." in client.get(saved.headers["Location"]).text
    sign_in(client, "admin@example.test")
    assert client.get("/admin/settings").status_code == 200

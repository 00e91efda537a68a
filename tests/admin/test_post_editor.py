"""The post editor: drafts, publishing, scheduling, backdating, slugs and redirects, autosave, delete,
and the CSRF token on every editor form."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Comment, Post, PostRedirect, utcnow
from tests.support.admin import NEW_POST as NEW
from tests.support.admin import edit_url, post_fields, post_id_from
from tests.support.content import load_post, permalink, revisions_of, set_settings
from tests.support.web import HTMX, csrf_from

# --- Drafts ---------------------------------------------------------------------------------------


def test_the_editor_has_the_named_fields_and_buttons(client, admin_token, make_post):
    make_post("Old", labels=["travel", "food"])
    page = client.get(NEW)
    assert page.status_code == 200
    labels = ("Title", "Body", "Labels", "Slug", "Publish date", "Comments allowed", "Search description")
    for label in labels:
        assert re.search(rf"<label[^>]*>{label}</label>", page.text), label
    for button in ("Save draft", "Publish", "Preview"):
        assert re.search(
            rf'<button type="submit" name="action" value="\w+"[^>]*>{button}</button>', page.text
        )
    assert 'type="datetime-local"' in page.text
    # Existing labels are suggested.
    assert '<datalist id="label-suggestions">' in page.text
    assert 'value="food"' in page.text and 'value="travel"' in page.text
    # The live preview posts the form as the body changes; the page sends CSRF with htmx requests.
    assert 'data-hx-trigger="input changed delay:400ms from:#editor-form"' in page.text
    assert "X-CSRFToken" in page.text


def test_save_draft_creates_a_draft_with_a_revision_and_a_preview_link(app, client, admin_token):
    response = client.post(
        NEW,
        data=post_fields(
            admin_token, "draft", title="My draft", body="Hello **you**", labels="one, two, one"
        ),
    )
    post_id = post_id_from(response)
    post = load_post(app, post_id)
    assert post.status == "draft" and post.year is None and post.published_at is None
    assert [label.name for label in post.labels] == ["one", "two"]
    assert "<strong>you</strong>" in post.body_html
    assert [(r.title, r.body_source, r.labels) for r in revisions_of(app, post_id)] == [
        ("My draft", "Hello **you**", "one, two")
    ]
    editor = client.get(edit_url(post_id))
    assert "Draft saved." in editor.text
    assert f'<a href="/admin/posts/{post_id}/preview">Preview</a>' in editor.text
    preview = client.get(f"/admin/posts/{post_id}/preview")
    assert preview.status_code == 200
    assert "<strong>you</strong>" in preview.text and "My draft" in preview.text
    assert 'name="robots" content="noindex"' in preview.text
    # Nowhere on the public site.
    assert "My draft" not in client.get("/").text


def test_saving_without_changes_adds_no_revision_but_a_change_does(app, client, admin_token):
    post_id = post_id_from(client.post(NEW, data=post_fields(admin_token, title="Same")))
    client.post(edit_url(post_id), data=post_fields(admin_token, title="Same"))
    assert len(revisions_of(app, post_id)) == 1
    client.post(edit_url(post_id), data=post_fields(admin_token, title="Changed"))
    assert [r.title for r in revisions_of(app, post_id)] == ["Same", "Changed"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Give the post a title."),
        ({"published_at": "next tuesday"}, "Not a valid datetime value."),
        ({"slug": "!!!"}, "Use letters or digits in the slug."),
        ({"labels": ",".join(f"l{i}" for i in range(30))}, "Use at most 20 labels."),
    ],
)
def test_bad_input_is_refused_with_the_form_kept(app, client, admin_token, fields, message):
    data = post_fields(admin_token, "publish", body="Keep *this* text", **fields)
    response = client.post(NEW, data=data)
    assert response.status_code == 422
    assert message in response.text
    assert "Keep *this* text</textarea>" in response.text
    assert 'aria-invalid="true"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Post.id)) is None


def test_an_unknown_action_is_a_bad_request(client, admin_token):
    assert client.post(NEW, data=post_fields(admin_token, "explode")).status_code == 400


def test_a_button_from_a_stale_page_saves_nothing_and_keeps_the_text(app, client, admin_token):
    post_id = post_id_from(client.post(NEW, data=post_fields(admin_token, "publish", title="Out there")))
    # "Save draft" from an editor page loaded while the post was still a draft.
    response = client.post(edit_url(post_id), data=post_fields(admin_token, "draft", title="Typed later"))
    assert response.status_code == 422
    assert "was published or unpublished in the meantime" in response.text
    assert 'value="Typed later"' in response.text and re.search(r'value="update"[^>]*>Update<', response.text)
    post = load_post(app, post_id)
    assert post.title == "Out there" and post.status == "published"


# --- Publishing, scheduling, backdating --------------------------------------------------------------


def test_publish_with_a_backdated_date_in_the_blog_timezone(app, client, admin_token):
    set_settings(app, timezone="America/New_York")
    response = client.post(
        NEW,
        data=post_fields(
            admin_token, "publish", title="Late night", labels="night, city", published_at="2021-03-31T23:30"
        ),
    )
    post = load_post(app, post_id_from(response))
    assert post.status == "published"
    # 23:30 on March 31 in New York is 03:30 UTC on April 1; the permalink follows the blog's calendar.
    assert post.published_at == datetime(2021, 4, 1, 3, 30)
    assert (post.year, post.month, post.slug) == (2021, 3, "late-night")
    home = client.get("/").text
    assert "Wednesday, March 31, 2021" in home and "Late night" in home
    assert client.get(permalink(post)).status_code == 200
    for label in ("night", "city"):
        assert "Late night" in client.get(f"/search/label/{label}").text


def test_publish_with_an_empty_date_means_now(app, client, admin_token):
    before = utcnow()
    response = client.post(NEW, data=post_fields(admin_token, "publish", title="Now"))
    post = load_post(app, post_id_from(response))
    assert post.status == "published" and before <= post.published_at <= utcnow()
    assert "Published." in client.get(edit_url(post.id)).text


def test_a_future_date_schedules_and_the_post_appears_when_due(app, client, admin_token):
    when = (datetime.now() + timedelta(days=2)).replace(second=0, microsecond=0)  # blog timezone is UTC
    typed = f"{when:%Y-%m-%dT%H:%M}"
    page = client.post(NEW, data=post_fields(admin_token, "preview", title="Soon", published_at=typed))
    assert re.search(r'value="publish"[^>]*>Schedule</button>', page.text)
    # The server decides by the date, whatever the button said.
    post_id = post_id_from(
        client.post(
            NEW, data=post_fields(admin_token, "publish", title="Soon", published_at=f"{when:%Y-%m-%dT%H:%M}")
        )
    )
    post = load_post(app, post_id)
    assert post.status == "scheduled"
    editor = client.get(edit_url(post_id)).text
    assert "Scheduled for" in editor
    assert client.get(permalink(post)).status_code == 404
    assert "Soon" not in client.get("/").text
    with app.app_context():  # time passes
        due = utcnow() - timedelta(seconds=1)
        db.session.execute(update(Post).where(Post.id == post_id).values(published_at=due))
        db.session.commit()
    assert client.get(permalink(post)).status_code == 200
    assert "Soon" in client.get("/").text


def test_update_keeps_the_permalink_and_unpublish_makes_a_draft_again(app, client, admin_token):
    post_id = post_id_from(
        client.post(
            NEW,
            data=post_fields(admin_token, "publish", title="First title", published_at="2020-05-05T10:00"),
        )
    )
    first = load_post(app, post_id)
    editor = client.get(edit_url(post_id)).text
    assert re.search(r'value="update"[^>]*>Update</button>', editor)
    assert re.search(r'value="unpublish"[^>]*>Unpublish</button>', editor)
    assert 'value="draft"' not in editor
    client.post(
        edit_url(post_id),
        data=post_fields(
            admin_token, "update", title="Second title", slug=first.slug, published_at="2020-05-05T10:00"
        ),
    )
    second = load_post(app, post_id)
    assert second.title == "Second title"
    assert permalink(second) == permalink(first) == "/2020/05/first-title.html"
    assert second.published_at == first.published_at
    client.post(
        edit_url(post_id),
        data=post_fields(
            admin_token, "unpublish", title="Second title", slug=first.slug, published_at="2020-05-05T10:00"
        ),
    )
    draft = load_post(app, post_id)
    assert draft.status == "draft" and permalink(draft) == permalink(first)
    assert client.get(permalink(first)).status_code == 404
    # Published again (even with another date), it returns to the same address.
    client.post(
        edit_url(post_id),
        data=post_fields(
            admin_token, "publish", title="Second title", slug=first.slug, published_at="2020-07-01T10:00"
        ),
    )
    again = load_post(app, post_id)
    assert again.status == "published" and permalink(again) == permalink(first)
    assert client.get(permalink(first)).status_code == 200


# --- Slugs -----------------------------------------------------------------------------------------


def test_slug_comes_from_the_title_and_can_be_typed(app, client, admin_token):
    auto = load_post(
        app,
        post_id_from(
            client.post(
                NEW,
                data=post_fields(
                    admin_token, "publish", title="Ça va? Très bien!", published_at="2022-01-02T03:04"
                ),
            )
        ),
    )
    assert auto.slug == "ca-va-tres-bien"
    typed = load_post(
        app,
        post_id_from(
            client.post(
                NEW,
                data=post_fields(
                    admin_token, "publish", title="Other", slug="My Own Slug", published_at="2022-01-02T03:04"
                ),
            )
        ),
    )
    assert typed.slug == "my-own-slug"


def test_changing_the_slug_after_publishing_redirects_the_old_address(app, client, admin_token):
    post_id = post_id_from(
        client.post(
            NEW, data=post_fields(admin_token, "publish", title="Old name", published_at="2023-06-01T12:00")
        )
    )
    old = load_post(app, post_id)
    data = post_fields(admin_token, "update", title="Old name", published_at="2023-06-01T12:00")
    client.post(edit_url(post_id), data={**data, "slug": "new-name"})
    moved = client.get(permalink(old))
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/2023/06/new-name.html")
    assert client.get("/2023/06/new-name.html").status_code == 200
    # A second rename: both earlier addresses lead to the current one.
    client.post(edit_url(post_id), data={**data, "slug": "newest-name"})
    assert client.get("/2023/06/old-name.html").headers["Location"].endswith("/2023/06/newest-name.html")
    assert client.get("/2023/06/new-name.html").headers["Location"].endswith("/2023/06/newest-name.html")
    # Renamed back: the address is the post's own again, not a redirect to itself.
    client.post(edit_url(post_id), data={**data, "slug": "old-name"})
    assert client.get("/2023/06/old-name.html").status_code == 200
    assert client.get("/2023/06/newest-name.html").headers["Location"].endswith("/2023/06/old-name.html")
    # An unpublished post's old addresses are not found, like the post.
    client.post(edit_url(post_id), data={**data, "action": "unpublish", "slug": "old-name"})
    assert client.get("/2023/06/new-name.html").status_code == 404


def test_a_slug_another_post_of_the_month_uses_is_refused(app, client, admin_token):
    client.post(NEW, data=post_fields(admin_token, "publish", title="Taken", published_at="2023-06-02T12:00"))
    post_id = post_id_from(
        client.post(
            NEW, data=post_fields(admin_token, "publish", title="Mine", published_at="2023-06-03T12:00")
        )
    )
    response = client.post(
        edit_url(post_id),
        data=post_fields(
            admin_token, "update", title="Mine edited", slug="taken", published_at="2023-06-03T12:00"
        ),
    )
    assert response.status_code == 422
    assert "Another post of 2023/06 already uses this slug." in response.text
    assert 'value="Mine edited"' in response.text
    assert load_post(app, post_id).title == "Mine"
    with app.app_context():
        assert db.session.scalar(select(PostRedirect.id)) is None


# --- Autosave ---------------------------------------------------------------------------------------


def test_autosave_saves_a_draft_and_says_when(app, client, admin_token):
    post_id = post_id_from(client.post(NEW, data=post_fields(admin_token, title="Auto")))
    editor = client.get(edit_url(post_id)).text
    assert f'data-hx-post="/admin/posts/{post_id}/autosave"' in editor
    assert 'id="autosave-status"' in editor and 'role="status"' in editor
    response = client.post(
        f"/admin/posts/{post_id}/autosave",
        headers=HTMX,
        data=post_fields(admin_token, title="Auto", body="typed more"),
    )
    assert response.status_code == 200
    assert re.fullmatch(r"Saved at \d\d:\d\d", response.text.strip())
    assert load_post(app, post_id).body_source == "typed more"
    assert [(r.body_source, r.autosave) for r in revisions_of(app, post_id)] == [
        ("Some *text*.", False),
        ("typed more", True),
    ]
    # A run of autosaves is one revision, kept up to date; an explicit save starts a new one.
    client.post(
        f"/admin/posts/{post_id}/autosave",
        headers=HTMX,
        data=post_fields(admin_token, title="Auto", body="typed even more"),
    )
    assert [r.body_source for r in revisions_of(app, post_id)] == ["Some *text*.", "typed even more"]
    client.post(edit_url(post_id), data=post_fields(admin_token, title="Auto", body="saved by hand"))
    assert [r.body_source for r in revisions_of(app, post_id)] == [
        "Some *text*.",
        "typed even more",
        "saved by hand",
    ]
    bad = client.post(
        f"/admin/posts/{post_id}/autosave", headers=HTMX, data=post_fields(admin_token, title="")
    )
    assert bad.status_code == 422 and "Not saved" in bad.text
    assert load_post(app, post_id).title == "Auto"


def test_autosave_never_touches_a_published_post(app, client, admin_token):
    post_id = post_id_from(client.post(NEW, data=post_fields(admin_token, "publish", title="Live one")))
    assert 'id="autosave-status"' not in client.get(edit_url(post_id)).text
    response = client.post(
        f"/admin/posts/{post_id}/autosave", headers=HTMX, data=post_fields(admin_token, title="Half typed")
    )
    assert response.status_code == 422
    assert load_post(app, post_id).title == "Live one"


# --- Delete ---------------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_the_post_and_its_comments(
    app, client, admin_token, make_post, member
):
    post = make_post("Doomed")
    with app.app_context():
        db.session.add(Comment(post_id=post.id, author_id=member.id, body_source="x", body_html="<p>x</p>"))
        db.session.commit()
    confirm = client.get(f"/admin/posts/{post.id}/delete")
    assert confirm.status_code == 200 and "Delete “Doomed”?" in confirm.text
    assert load_post(app, post.id) is not None
    response = client.post(f"/admin/posts/{post.id}/delete", data={"csrf_token": csrf_from(confirm.text)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/posts")
    assert load_post(app, post.id) is None
    with app.app_context():
        assert db.session.scalar(select(Comment.id)) is None
    assert client.get(permalink(post)).status_code == 404


def test_delete_from_the_editor_with_htmx_redirects_the_page(app, client, admin_token, make_post):
    post = make_post("Doomed too")
    editor = client.get(edit_url(post.id)).text
    assert f'data-hx-post="/admin/posts/{post.id}/delete"' in editor and "data-hx-confirm=" in editor
    response = client.post(f"/admin/posts/{post.id}/delete", headers={**HTMX, "X-CSRFToken": admin_token})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/admin/posts"
    assert load_post(app, post.id) is None


# --- CSRF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        NEW,
        "/admin/posts/{id}/edit",
        "/admin/posts/{id}/autosave",
        "/admin/posts/{id}/delete",
        "/admin/posts/{id}/revisions/{rev}/restore",
        "/admin/preview/post",
        "/admin/pages/new",
        "/admin/images",
    ],
)
def test_every_editor_post_needs_the_csrf_token(app, client, admin_token, path):
    post_id = post_id_from(client.post(NEW, data=post_fields(admin_token, title="Guarded")))
    revision = revisions_of(app, post_id)[0]
    data = post_fields(admin_token, title="Changed")
    del data["csrf_token"]
    response = client.post(path.format(id=post_id, rev=revision.id), data=data)
    assert response.status_code == 400
    assert load_post(app, post_id).title == "Guarded"

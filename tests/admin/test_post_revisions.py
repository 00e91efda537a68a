"""A post's revisions: each can be viewed and restored, which adds a new revision."""

from tests.support.admin import NEW_POST as NEW
from tests.support.admin import edit_url, post_fields, post_id_from
from tests.support.content import load_post, permalink, revisions_of
from tests.support.web import csrf_from


def test_a_revision_can_be_viewed_and_restored_as_a_new_revision(app, client, admin_token):
    post_id = post_id_from(
        client.post(NEW, data=post_fields(admin_token, "publish", title="V1", body="one", labels="a"))
    )
    client.post(
        edit_url(post_id),
        data=post_fields(
            admin_token, "update", title="V2", body="two", labels="b", slug=load_post(app, post_id).slug
        ),
    )
    first, second = revisions_of(app, post_id)
    listing = client.get(f"/admin/posts/{post_id}/revisions")
    assert listing.status_code == 200 and "V1" in listing.text and "V2" in listing.text
    shown = client.get(f"/admin/posts/{post_id}/revisions/{first.id}")
    assert shown.status_code == 200 and "<p>one</p>" in shown.text
    restored = client.post(
        f"/admin/posts/{post_id}/revisions/{first.id}/restore", data={"csrf_token": csrf_from(shown.text)}
    )
    assert restored.status_code == 302 and restored.headers["Location"].endswith(edit_url(post_id))
    post = load_post(app, post_id)
    assert (post.title, post.body_source, [label.name for label in post.labels]) == ("V1", "one", ["a"])
    assert [r.title for r in revisions_of(app, post_id)] == ["V1", "V2", "V1"]
    assert "<p>one</p>" in client.get(permalink(post)).text
    # A revision of another post is not found through this one.
    other = post_id_from(client.post(NEW, data=post_fields(admin_token, title="Other")))
    assert client.get(f"/admin/posts/{other}/revisions/{first.id}").status_code == 404

"""A blog with something to hide: a post, a comment, a label, a page, an author and an image whose
words (SECRETS) must never reach a signed-out person while the blog is private."""

import secrets
from dataclasses import dataclass
from io import BytesIO

import pytest
from PIL import Image

from blog.uploads import upload_folder
from tests.support.comments import add_comment
from tests.support.content import permalink

# Words that appear in the content only, never in a URL (a redirect to /signin?next=... names the URL).
SECRETS = ("Ximenia Jam", "SECRETBODY", "SECRETCOMMENT", "SECRETPAGE", "Family Recipes", "Ada Admin")


@dataclass
class Hidden:
    post_id: int
    comment_id: int
    permalink: str
    year: str
    month: str
    author_id: int
    image: str
    image_bytes: bytes

    def urls(self) -> dict[str, list[str]]:
        """Every kind of URL a reader can ask for, by the answer a signed-out person gets when private."""
        return {
            "page": [
                "/",
                self.permalink,
                f"/{self.year}/",
                f"/{self.year}/{self.month}/",
                "/search/label/Family%20Recipes",
                "/search?q=recipe",
                "/p/pantry.html",
                f"/profile/{self.author_id}",
            ],
            "feed": [
                "/feeds/posts/default",
                "/feeds/posts/default?alt=rss",
                "/feeds/posts/default/-/Family%20Recipes",
                "/feeds/comments/default",
                f"/feeds/{self.post_id}/comments/default",
                "/sitemap.xml",
            ],
            "api": [
                "/api/v1/posts",
                f"/api/v1/posts/{self.post_id}",
                f"/api/v1/posts/{self.post_id}/comments",
                "/api/v1/pages",
                "/api/v1/labels",
                "/api/v1/posts?label=Family%20Recipes",
                "/api/v1/posts?q=recipe",
                "/api/v1/openapi.json",
            ],
            "partial": [f"/posts/{self.post_id}/comments", f"/comments/{self.comment_id}"],
            "image": [f"/media/{self.image}"],
        }


def png_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (4, 4), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def hidden(app, admin, member, make_post, make_page) -> Hidden:
    post = make_post("Ximenia Jam", body="The SECRETBODY recipe.", labels=["Family Recipes"])
    comment_id = add_comment(app, post, author=member, body="SECRETCOMMENT, says Max.")
    make_page(title="Pantry", slug="pantry", body="SECRETPAGE shelves.")
    name = secrets.token_hex(16) + ".png"
    data = png_bytes()
    with app.app_context():
        folder = upload_folder()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return Hidden(
        post.id,
        comment_id,
        permalink(post),
        f"{post.year:04d}",
        f"{post.month:02d}",
        admin.id,
        name,
        data,
    )

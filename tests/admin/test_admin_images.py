"""Image uploads from the editor: only real PNG, JPEG, GIF and WebP, re-encoded without metadata,
size and pixel limits, generated names, served with the right type, nosniff and a long cache."""

import io
import json
import pathlib
import re
import struct
import zlib

import pytest
from PIL import ExifTags, Image, PngImagePlugin
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from blog.extensions import db
from blog.models import Image as ImageRecord
from tests.support.web import HTMX

NAME = re.compile(r"!\[([^\]]*)\]\(/media/([0-9a-f]{32}\.(?:png|jpg|gif|webp))\)")


def png_bytes(size=(64, 48), color="teal", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG", **save)
    return out.getvalue()


def upload(client, token, data: bytes, filename="photo.png", alt="", htmx=True):
    # Built by hand so the encoded body (a temporary file when large) is closed: the test client leaves
    # it open, which filterwarnings=error would report as an unraisable ResourceWarning.
    builder = EnvironBuilder(
        path="/admin/images",
        method="POST",
        headers=HTMX if htmx else {},
        data={"image-csrf_token": token, "image-alt": alt, "image-image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def get_media(client, path):
    """GET a file response and close it (it holds the file open until closed)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def stored_files(app) -> list:
    path = pathlib.Path(app.config["UPLOAD_FOLDER"])
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def image_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImageRecord))


def test_a_good_png_is_reencoded_stored_and_served(app, client, admin_token):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Name <script>alert(1)</script>")
    original = png_bytes(pnginfo=info)
    response = upload(client, admin_token, original, filename="Sunset at the lake.png")
    assert response.status_code == 200
    event = json.loads(response.headers["HX-Trigger"])["image-uploaded"]
    alt, name = NAME.fullmatch(event["markdown"]).groups()
    assert alt == "Sunset at the lake"
    assert event["markdown"] in response.text and "<html" not in response.text
    assert stored_files(app) == [name] and image_rows(app) == 1

    served = get_media(client, f"/media/{name}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    cache = served.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache
    assert served.data != original  # re-encoded
    assert b"Secret Name" not in served.data and b"script" not in served.data  # metadata stripped
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.format == "PNG" and image.size == (64, 48)
        assert image.getpixel((0, 0)) == (0, 128, 128)


def test_jpeg_loses_its_exif_but_keeps_its_orientation(app, client, admin_token):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Orientation] = 6  # rotated: shown 90 degrees turned
    original = io.BytesIO()
    Image.new("RGB", (80, 40), "navy").save(original, "JPEG", exif=exif)
    response = upload(client, admin_token, original.getvalue(), filename="phone.jpg")
    name = NAME.search(response.headers["HX-Trigger"]).group(2)
    assert name.endswith(".jpg")
    served = get_media(client, f"/media/{name}")
    assert served.headers["Content-Type"] == "image/jpeg"
    assert b"SecretCam" not in served.data
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (40, 80) and not dict(image.getexif())


def test_animated_gif_and_webp_are_accepted(app, client, admin_token):
    frames = [Image.new("RGB", (16, 16), color) for color in ("red", "green", "blue")]
    for fmt, suffix in (("GIF", "gif"), ("WEBP", "webp")):
        out = io.BytesIO()
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=80, loop=0)
        response = upload(client, admin_token, out.getvalue(), filename=f"anim.{suffix}")
        name = NAME.search(response.headers["HX-Trigger"]).group(2)
        served = get_media(client, f"/media/{name}")
        assert served.headers["Content-Type"] == f"image/{suffix}"
        with Image.open(io.BytesIO(served.data)) as image:
            assert image.n_frames == 3


def test_without_javascript_the_answer_is_a_page_with_the_snippet(client, admin_token):
    response = upload(client, admin_token, png_bytes(), filename="chart.png", alt="Sales [2024]", htmx=False)
    assert response.status_code == 200 and "<html" in response.text
    assert "HX-Trigger" not in response.headers
    match = re.search(r'<input id="image-markdown" type="text" readonly value="([^"]+)"', response.text)
    assert match and NAME.fullmatch(match.group(1))
    assert NAME.fullmatch(match.group(1)).group(1) == "Sales 2024"  # brackets would break the Markdown


def polyglot_gif() -> bytes:
    return b"GIF89a<script>alert(document.cookie)</script>"


def pixel_bomb_header() -> bytes:
    """A tiny PNG whose header claims 30000 x 30000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def compressible_giant() -> bytes:
    """A real, valid 8000 x 6000 PNG (48 megapixels) that compresses to a few hundred kilobytes."""
    return png_bytes(size=(8000, 6000), color="white", optimize=False, compress_level=9)


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
            "logo.svg",
            "not a PNG, JPEG, GIF or WebP image",
        ),
        (
            b"<!doctype html><html><body><script>alert(1)</script></body></html>",
            "page.png",
            "not a PNG, JPEG, GIF or WebP image",
        ),
        (polyglot_gif(), "funny.gif", "not a PNG, JPEG, GIF or WebP image"),
        (png_bytes()[:60], "cut.png", "damaged or incomplete"),
        (pixel_bomb_header(), "bomb.png", "too many pixels"),
        (compressible_giant(), "giant.png", "too many pixels"),
        (b"import os\nos.system('rm -rf /')\n", "../../app.py", "not a PNG, JPEG, GIF or WebP image"),
        (b"", "empty.png", "Choose an image file"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_files_are_refused_with_a_message(app, client, admin_token, data, filename, message, htmx):
    response = upload(client, admin_token, data, filename=filename, htmx=htmx)
    assert response.status_code == 422
    assert message in response.text
    assert "HX-Trigger" not in response.headers
    assert stored_files(app) == [] and image_rows(app) == 0


def test_an_oversized_file_is_refused(app, client, admin_token):
    over = png_bytes() + b"\0" * (10 * 1024 * 1024)
    response = upload(client, admin_token, over, filename="huge.png")
    assert response.status_code == 413 and "larger than 10 MB" in response.text
    # Far over the limit, the request itself is cut off, with the same message.
    far_over = b"\0" * (11 * 1024 * 1024)
    response = upload(client, admin_token, far_over, filename="huger.png")
    assert response.status_code == 413 and "larger than 10 MB" in response.text
    assert stored_files(app) == []


def test_the_upload_limit_applies_to_uploads_only(client, admin_token):
    # Other admin forms keep the app's ordinary (smaller) request limit.
    response = client.post(
        "/admin/preview/post",
        headers=HTMX,
        data={"csrf_token": admin_token, "title": "x", "body": "y" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 413


def test_a_path_traversal_name_is_ignored(app, client, admin_token, tmp_path):
    response = upload(client, admin_token, png_bytes(), filename="../../app.py")
    assert response.status_code == 200
    alt, name = NAME.search(response.headers["HX-Trigger"]).groups()
    assert stored_files(app) == [name] and alt == "app"
    assert not (tmp_path / "app.py").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/media/../app.py",
        "/media/..%2F..%2Fapp.py",
        "/media/secret_key",
        "/media/abc.png",
        "/media/" + "0" * 32 + ".png",
        "/media/" + "0" * 32 + ".svg",
        "/media/" + "A" * 32 + ".png",
    ],
)
def test_media_serves_only_generated_names(client, path):
    assert get_media(client, path).status_code == 404


def test_the_editor_offers_the_upload_form(client, admin_token):
    page = client.get("/admin/posts/new").text
    assert 'action="/admin/images"' in page and 'enctype="multipart/form-data"' in page
    assert 'data-hx-post="/admin/images"' in page and 'type="file"' in page
    assert 'accept="image/png,image/jpeg,image/gif,image/webp"' in page
    assert 'id="upload-result"' in page and "up to 10 MB" in page

"""The Theme screens: an admin signed in, and submitting the Theme form as the browser does."""

import io

import pytest
from PIL import Image
from werkzeug.test import EnvironBuilder

from tests.support.accounts import sign_in
from tests.support.web import token_for


@pytest.fixture
def admin_token(client, admin) -> str:
    sign_in(client, admin.email)
    return token_for(client, "/")


def look_fields(token: str, **fields) -> dict:
    """A complete Theme form: every field, as the screen sends it, overridden by fields."""
    data = {
        "csrf_token": token,
        "action": "save",
        "accent_color": "#b3400b",
        "font": "system",
        "page_width": "normal",
        "sidebar_side": "right",
        "header_image_alt": "",
        "custom_css": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def png(size=(120, 40), color="teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def post_multipart(client, path: str, data: dict, headers=None):
    """A multipart POST whose body the test client closes (filterwarnings=error would see it left open)."""
    builder = EnvironBuilder(
        path=path, method="POST", data=data, headers=headers or {}, content_type="multipart/form-data"
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()

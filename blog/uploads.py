"""Uploaded images: proved to be PNG, JPEG, GIF or WebP by decoding them with Pillow, re-encoded
(so nothing but pixels survives: no metadata, no appended HTML, no polyglot tricks), and stored
in the upload folder under a generated name (the uploader's file name is never used as a path)."""

import os
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

from flask import Flask, current_app
from flask_babel import gettext
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from blog.config import Config

FORMATS = {  # Pillow format -> (extension, Content-Type)
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = dict(FORMATS.values())

# Pillow warns past this many pixels and refuses past twice as many (DecompressionBombError);
# store_image() also checks its own limit, and turns the warning into a refusal.
Image.MAX_IMAGE_PIXELS = Config.IMAGE_MAX_PIXELS


class UploadRefused(Exception):
    """The upload is not accepted; the message says why, for the person uploading."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class StoredImage:
    name: str
    content_type: str
    width: int
    height: int
    size: int


def upload_folder(app: Flask | None = None) -> Path:
    app = app or current_app
    return Path(app.config["UPLOAD_FOLDER"] or Path(app.instance_path) / "uploads")


def limits() -> tuple[int, int]:
    config = current_app.config
    return int(config["IMAGE_MAX_BYTES"]), int(config["IMAGE_MAX_PIXELS"])


def store_image(stream: IO[bytes]) -> StoredImage:
    """Check, re-encode and save an uploaded image; raises UploadRefused with a reason."""
    max_bytes, max_pixels = limits()
    data = stream.read(max_bytes + 1)
    if not data:
        raise UploadRefused(gettext("Choose an image file to upload."))
    if len(data) > max_bytes:
        raise UploadRefused(f"That file is larger than {max_bytes / 1024 / 1024:g} MB.", 413)
    encoded, fmt, width, height = reencode(data, max_pixels)
    extension, content_type = FORMATS[fmt]
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(encoded)
    return StoredImage(name, content_type, width, height, len(encoded))


def reencode(data: bytes, max_pixels: int) -> tuple[bytes, str, int, int]:
    """Decode fully with Pillow (only the four formats), then encode afresh; returns bytes, format, size."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=list(FORMATS)) as probe:
                fmt, (width, height) = probe.format, probe.size
                if width * height * getattr(probe, "n_frames", 1) > max_pixels:
                    raise UploadRefused(too_many_pixels(max_pixels))
                probe.verify()
            with Image.open(BytesIO(data), formats=[fmt]) as image:
                return encode(image, fmt), fmt, width, height
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UploadRefused(too_many_pixels(max_pixels)) from None
        except UnidentifiedImageError:
            raise UploadRefused(gettext("That file is not a PNG, JPEG, GIF or WebP image.")) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError):
            # Pillow's decoders report damaged files with any of these.
            raise UploadRefused(gettext("That image file is damaged or incomplete.")) from None


def too_many_pixels(max_pixels: int) -> str:
    return gettext(
        "That image has too many pixels (the limit is %(count)s million).",
        count=format(max_pixels / 1_000_000, "g"),
    )


def encode(image: Image.Image, fmt: str) -> bytes:
    out = BytesIO()
    if getattr(image, "n_frames", 1) > 1 and fmt in ("GIF", "WEBP"):
        frames, durations = [], []
        for frame in ImageSequence.Iterator(image):
            frames.append(pixels_only(frame, fmt))
            durations.append(int(frame.info.get("duration", 100)))
        frames[0].save(
            out,
            fmt,
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
        )
    else:
        image.load()
        upright = ImageOps.exif_transpose(image)  # a phone photo keeps its orientation without its EXIF
        pixels_only(upright, fmt).save(out, fmt, **SAVE_OPTIONS.get(fmt, {}))
    return out.getvalue()


SAVE_OPTIONS = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}
SAVE_MODES = {
    "JPEG": ("RGB", "L", "CMYK"),
    "WEBP": ("RGB", "RGBA"),
    "GIF": ("1", "L", "P", "RGB", "RGBA"),
    "PNG": ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"),
}


def pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """A copy holding pixels (and palette transparency) only: EXIF, XMP, ICC, text chunks and comments go."""
    if image.mode not in SAVE_MODES[fmt]:
        alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if alpha and fmt != "JPEG" else "RGB")
    clean = image.copy()
    clean.info = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    return clean

"""The content API: read-only JSON under /api/v1/, described by an OpenAPI 3 document built from the
same schemas that shape its answers (openapi.py). Importing the view modules registers their routes."""

from blog.api import openapi, views  # noqa: F401
from blog.api.blueprint import bp

__all__ = ["bp"]

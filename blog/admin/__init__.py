"""The admin area, one module per screen; importing them registers their routes on bp."""
from . import dashboard  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]

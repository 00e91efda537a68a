"""The dashboard: what needs attention, at a glance."""
from flask import render_template

from .blueprint import bp


@bp.get("/")
def dashboard():
    """Counts, latest comments and activity."""
    return render_template("admin/dashboard.html")

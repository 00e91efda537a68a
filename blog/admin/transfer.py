"""Moving the blog in and out from the admin area: upload an export to import it, download an export.

The import runs in the background (blog/transfer/jobs.py) while its page shows the progress:
htmx polls the status fragment, and without JavaScript the page refreshes itself.
"""

import tempfile
from datetime import date

from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.extensions import db
from blog.publishing import slug_of
from blog.site_settings import get_settings
from blog.transfer import jobs
from blog.transfer.common import ImportRefused
from blog.transfer.export import FORMATS, write
from blog.web.forms import Form
from blog.web.htmx import page_or_fragment

MEDIA_TYPES = {"atom": "application/atom+xml", "jsonl": "application/x-ndjson"}


class ImportForm(Form):
    upload = FileField(
        lazy_gettext("Export file"),
        validators=[FileRequired(lazy_gettext("Choose the export file to import."))],
    )
    credit_me = BooleanField(lazy_gettext("Credit posts whose author has no account here to me"))


def upload_limit_mb() -> int:
    return int(current_app.config["TRANSFER_MAX_UPLOAD_MB"])


def page(form: ImportForm, job=None, status: int = 200):
    return render_template("admin/transfer.html", form=form, job=job, limit_mb=upload_limit_mb()), status


@bp.get("/transfer")
@sensitive
def transfer():
    """The import form and the export downloads."""
    return page(ImportForm())


@bp.post("/transfer/import")
@sensitive
def transfer_import():
    """Store the uploaded export and start importing it; then show its progress."""
    form = ImportForm()
    if not form.validate_on_submit():
        return page(form, status=422)
    if jobs.another_running():
        form.upload.errors.append(gettext("Another import is still running; try again when it has finished."))
        return page(form, status=409)
    try:
        job, _thread = jobs.start(form.upload.data, current_user.id if form.credit_me.data else None)
    except ImportRefused as refusal:
        form.upload.errors.append(f"{refusal} Nothing was imported.")
        return page(form, status=422)
    record("blog.import", None, file=job.filename, kind=job.kind)
    db.session.commit()
    return redirect(url_for("admin.transfer_status", job_id=job.id))


@bp.get("/transfer/import/<job_id>")
@sensitive
def transfer_status(job_id: str):
    """An import's progress, then its summary: the fragment for htmx's polling, else the whole page."""
    job = jobs.load(job_id) or abort(404)
    return page_or_fragment(
        "admin/transfer.html",
        "admin/_import_status.html",
        form=ImportForm(),
        job=job,
        limit_mb=upload_limit_mb(),
    )


@bp.get("/transfer/export/<fmt>")
@sensitive
def transfer_export(fmt: str):
    """Download the whole blog as Atom (Blogger-compatible) or as a JSON Lines backup."""
    if fmt not in FORMATS:
        abort(404)
    out = tempfile.TemporaryFile()  # spooled to disk, not memory; gone once sent
    write(out, fmt)
    out.seek(0)
    name = f"{slug_of(get_settings().title, 'blog', max_length=0)}-{date.today().isoformat()}.{fmt}"
    return send_file(out, mimetype=MEDIA_TYPES[fmt], as_attachment=True, download_name=name)

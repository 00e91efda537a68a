"""Static pages (/p/slug.html) in the admin area, for admins only, with the same editor as posts."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from slugify import slugify
from sqlalchemy import select

from blog.admin.blueprint import bp, require_admin
from blog.admin.forms import EmptyForm, PageForm
from blog.admin.images import upload_context
from blog.admin.ownership import editable_page
from blog.admin.preview import preview_from_form
from blog.extensions import db
from blog.models import Page, utcnow
from blog.publishing import set_body
from blog.web.htmx import wants_partial

STALE = "This page was published or unpublished in the meantime, so nothing was saved. Check the buttons."


@bp.get("/pages")
def pages():
    """Every static page, in menu order."""
    require_admin()
    found = db.session.scalars(select(Page).order_by(Page.position, Page.title)).all()
    return render_template("admin/pages.html", pages=found)


@bp.route("/pages/new", methods=["GET", "POST"])
def new_page():
    """The editor for a new static page."""
    require_admin()
    return editor(None)


@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
def edit_page(page_id: int):
    """The editor for a saved static page."""
    return editor(editable_page(page_id))


def editor(page: Page | None):
    """Show the page editor, or apply the button pressed (422 with the form kept on errors)."""
    if request.method == "GET":
        return render_editor(page, PageForm(obj=page, body=page.body_source if page else ""))
    form = PageForm()
    action = request.form.get("action") or ("update" if page is not None and page.published else "draft")
    if action not in {"draft", "publish", "update", "unpublish", "preview"}:
        abort(400)
    if action not in allowed_actions(page):
        # Published or unpublished elsewhere since this page was loaded: keep what was typed.
        return render_editor(page, form, STALE), 422
    if action == "preview":
        return render_editor(page, form)
    if form.validate():
        slug = page_slug(page, form)
        if slug is not None:
            target = page or Page(title="", slug="")
            save_page(target, form, slug, action)
            db.session.commit()
            flash({"publish": "Published.", "unpublish": "Unpublished."}.get(action, "Saved."))
            return redirect(url_for("admin.edit_page", page_id=target.id))
    return render_editor(page, form), 422


def allowed_actions(page: Page | None) -> set[str]:
    if page is None or not page.published:
        return {"draft", "publish", "preview"}
    return {"update", "unpublish", "preview"}


def page_slug(page: Page | None, form: PageForm) -> str | None:
    """The slug to use: the one typed (an error on the form when another page has it), else from the title."""
    typed = form.wanted_slug
    slug = typed or slugify(form.title.data, max_length=80, word_boundary=True) or "page"
    base, n = slug, 1
    while db.session.scalar(select(Page.id).where(Page.slug == slug, Page.id != (page.id if page else 0))):
        if typed:
            form.slug.errors.append("Another page already uses this slug.")
            return None
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_page(page: Page, form: PageForm, slug: str, action: str) -> None:
    if page.id is None:
        page.author_id = current_user.id
        db.session.add(page)
    page.title = form.title.data.strip()
    page.slug = slug
    page.position = form.position.data or 0
    set_body(page, form.body.data or "")
    if action in ("publish", "unpublish"):
        page.published = action == "publish"
    page.updated_at = utcnow()


def render_editor(page: Page | None, form: PageForm, problem: str | None = None) -> str:
    published = page is not None and page.published
    buttons = (
        [("update", "Update", True), ("unpublish", "Unpublish", False)]
        if published
        else [("draft", "Save draft", False), ("publish", "Publish", True)]
    )
    return render_template(
        "admin/editor.html",
        kind="page",
        item=page,
        form=form,
        preview=preview_from_form(form, page),
        buttons=buttons,
        problem=problem,
        **upload_context(),
    )


@bp.route("/pages/<int:page_id>/delete", methods=["GET", "POST"])
def delete_page(page_id: int):
    """Confirm, then delete a static page."""
    page = editable_page(page_id)
    if request.method == "GET":
        return render_template(
            "admin/confirm_delete.html",
            item=page,
            kind="page",
            form=EmptyForm(),
            cancel_url=url_for("admin.edit_page", page_id=page.id),
        )
    title = page.title
    db.session.delete(page)
    db.session.commit()
    flash(f"Deleted “{title}”.")
    if wants_partial():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for("admin.pages")
        return response
    return redirect(url_for("admin.pages"))

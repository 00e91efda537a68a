"""Static pages (/p/slug.html) in the admin area, for admins only: their list and the page kind of
the shared editor (a menu position instead of a post's labels, date and comments)."""

from flask import render_template
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from blog.admin import editor
from blog.admin.blueprint import bp, require_admin
from blog.admin.forms import Action, PageForm
from blog.admin.ownership import editable_page
from blog.extensions import db
from blog.models import Page, utcnow
from blog.publishing import free_slug, page_slug_taken, set_body, slug_of

SAVED = {Action.PUBLISH: lazy_gettext("Published."), Action.UNPUBLISH: lazy_gettext("Unpublished.")}


@bp.get("/pages")
def pages():
    """Every static page, in menu order."""
    require_admin()
    found = db.session.scalars(select(Page).order_by(Page.position, Page.title)).all()
    return render_template("admin/pages.html", pages=found)


def is_draft(page: Page | None) -> bool:
    return page is None or not page.published


def form_data(page: Page) -> dict:
    return {"title": page.title, "body": page.body_source, "slug": page.slug, "position": page.position}


def page_slug(page: Page | None, form: PageForm) -> str | None:
    """The slug to use: the one typed (an error on the form when another page has it), else from the title."""
    exclude = page.id if page else None
    typed = form.wanted_slug
    if typed and page_slug_taken(typed, exclude):
        form.slug.errors.append(gettext("Another page already uses this slug."))
        return None
    return typed or free_slug(slug_of(form.title.data, "page"), lambda slug: page_slug_taken(slug, exclude))


def save(page: Page | None, form: PageForm, action: Action) -> tuple[Page, str] | None:
    slug = page_slug(page, form)
    if slug is None:
        return None
    page = page or Page(title="", slug="", author_id=current_user.id)
    if page.id is None:
        db.session.add(page)
    page.title = form.title.data.strip()
    page.slug = slug
    page.position = form.position.data or 0
    set_body(page, form.body.data or "")
    if action in (Action.PUBLISH, Action.UNPUBLISH):
        page.published = action == Action.PUBLISH
    page.updated_at = utcnow()
    return page, str(SAVED.get(action, gettext("Saved.")))


PAGE = editor.Kind(
    name="page",
    form=PageForm,
    load=editable_page,
    is_draft=is_draft,
    form_data=form_data,
    save=save,
    may_create=require_admin,
)


@bp.route("/pages/new", methods=["GET", "POST"])
def new_page():
    return editor.new(PAGE)


@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
def edit_page(page_id: int):
    return editor.edit(PAGE, page_id)


@bp.route("/pages/<int:page_id>/delete", methods=["GET", "POST"])
def delete_page(page_id: int):
    return editor.delete(PAGE, page_id)

"""One editor for posts and static pages: the same views, template (admin/editor.html) and buttons,
told apart by a Kind that says which form, how an item is loaded and saved, and where its list is.

Each kind's module routes the same three URLs here: /<kind>s/new (admin.new_<kind>),
/<kind>s/<id>/edit (admin.edit_<kind>) and /<kind>s/<id>/delete (admin.delete_<kind>)."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from blog.admin.forms import Action, EditorForm
from blog.admin.images import upload_context
from blog.admin.preview import preview_from_form
from blog.extensions import db
from blog.models import Page, Post
from blog.web.forms import EmptyForm
from blog.web.htmx import hx_redirect, wants_partial

Item = Post | Page


@dataclass(frozen=True)
class Kind:
    name: str  # "post" or "page": in URLs, endpoint names and the template's wording
    form: type[EditorForm]
    load: Callable[[int], Item]  # the item the current person may edit, else 404 or 403
    is_draft: Callable[[Item | None], bool]  # None: a new one, always a draft
    form_data: Callable[[Item], dict]  # the saved item as the form's fields
    # Apply the action; (the item, what to tell the writer), or None with an error put on the form.
    save: Callable[[Item | None, EditorForm, Action], tuple[Item, str] | None]
    may_create: Callable[[], None] = lambda: None  # aborts when the current person may not make one
    context: Callable[[EditorForm], dict] = lambda form: {}  # what the kind's fields need
    publish_label: Callable[[EditorForm], str] = lambda form: gettext("Publish")
    published: Callable[[], None] = lambda: None  # after a Publish is committed (posts: mail followers)
    changed: Callable[[], None] = lambda: None  # after any save or delete is committed (posts: the fediverse)

    def stale(self) -> str:
        if self.name == "post":
            return gettext(
                "This post was published or unpublished in the meantime, so nothing was saved. Check the buttons."
            )
        return gettext(
            "This page was published or unpublished in the meantime, so nothing was saved. Check the buttons."
        )

    def ids(self, item: Item) -> dict:
        """The URL arguments naming a saved item: {"post_id": 7}."""
        return {f"{self.name}_id": item.id}


def new(kind: Kind):
    """The editor for a new item; its first save creates it."""
    kind.may_create()
    return editor(kind, None)


def edit(kind: Kind, item_id: int):
    """The editor for a saved item: save, publish or schedule, update, unpublish, preview."""
    return editor(kind, kind.load(item_id))


def editor(kind: Kind, item: Item | None):
    """Show the editor, or apply the button pressed: redirect on success, 422 with the form kept on errors."""
    if request.method == "GET":
        return render_editor(kind, item, kind.form(data=kind.form_data(item) if item else {}))
    form = kind.form()
    action = requested_action(kind, item)
    if action not in allowed_actions(kind.is_draft(item)):
        # A page loaded before the item was published (or unpublished) elsewhere: keep what was typed.
        return render_editor(kind, item, form, kind.stale()), 422
    if action == Action.PREVIEW:
        return render_editor(kind, item, form)
    if form.validate():
        saved = kind.save(item, form, action)
        if saved is not None:
            target, message = saved
            db.session.commit()
            if action == Action.PUBLISH:
                kind.published()
            kind.changed()
            flash(str(message))
            return redirect(url_for(f"admin.edit_{kind.name}", **kind.ids(target)))
    return render_editor(kind, item, form), 422


def requested_action(kind: Kind, item: Item | None) -> Action:
    """The button pressed; Enter in a field (or no button) means the first, safest one."""
    default = Action.DRAFT if kind.is_draft(item) else Action.UPDATE
    try:
        return Action(request.form.get("action") or default)
    except ValueError:
        abort(400)


def allowed_actions(draft: bool) -> set[Action]:
    """What the buttons may ask of a draft (or a new item), or of a published one."""
    if draft:
        return {Action.DRAFT, Action.PUBLISH, Action.PREVIEW}
    return {Action.UPDATE, Action.UNPUBLISH, Action.PREVIEW}


def render_editor(kind: Kind, item: Item | None, form: EditorForm, problem: str | None = None) -> str:
    return render_template(
        "admin/editor.html",
        kind=kind.name,
        item=item,
        form=form,
        preview=preview_from_form(form, item),
        problem=problem,
        buttons=buttons(kind, item, form),
        **upload_context(),
        **kind.context(form),
    )


def buttons(kind: Kind, item: Item | None, form: EditorForm) -> list[tuple[str, str, bool]]:
    """(action, label, primary) for each submit button; the first is what Enter does."""
    if kind.is_draft(item):
        return [
            (Action.DRAFT, gettext("Save draft"), False),
            (Action.PUBLISH, kind.publish_label(form), True),
        ]
    return [(Action.UPDATE, gettext("Update"), True), (Action.UNPUBLISH, gettext("Unpublish"), False)]


def delete(kind: Kind, item_id: int):
    """Ask to confirm (a page, for browsers without JavaScript), then delete the item for good."""
    item = kind.load(item_id)
    if request.method == "GET":
        return render_template(
            "admin/confirm_delete.html",
            item=item,
            kind=kind.name,
            form=EmptyForm(),
            cancel_url=url_for(f"admin.edit_{kind.name}", **kind.ids(item)),
        )
    title = item.title
    db.session.delete(item)
    db.session.commit()
    kind.changed()
    flash(gettext("Deleted “%(title)s”.", title=title))
    listing = url_for(f"admin.{kind.name}s")
    if wants_partial():  # hx-post from the editor's Delete (after hx-confirm): leave the deleted item's page
        return hx_redirect(listing)
    return redirect(listing)

"""Commands: `flask setup-link` and `flask invitations create|list|revoke`."""

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from blog.accounts.invitations import DEFAULT_DAYS, create_invitation, list_invitations, revoke_invitation
from blog.accounts.setup import DEFAULT_BASE_URL, setup_url
from blog.extensions import db
from blog.models import Invitation, utcnow
from blog.web.hosts import url_for_path


def base_url_option(f):
    return click.option(
        "--base-url",
        default=None,
        help=f"Where the blog is served (default: BASE_URL setting or {DEFAULT_BASE_URL}).",
    )(f)


@click.command("setup-link")
@with_appcontext
@base_url_option
@click.option("--if-needed", is_flag=True, help="Print nothing and succeed when an admin already exists.")
def setup_link(base_url: str | None, if_needed: bool) -> None:
    """Print a one-time link that creates the blog's first admin (while there is none)."""
    url = setup_url(base_url)
    if url is None:
        if not if_needed:
            click.echo("The blog already has an admin; no setup link is needed.", err=True)
            sys.exit(1)
        return
    click.echo(url)


@click.group("invitations", cls=AppGroup)
def invitations() -> None:
    """Invitation links that let people create a member account."""


@invitations.command("create")
@click.option(
    "--uses", type=click.IntRange(1, 10000), default=1, show_default=True, help="How many people may join."
)
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=DEFAULT_DAYS,
    show_default=True,
    help="Days it stays valid.",
)
@click.option("--note", default="", help="Whom it is for (shown to admins).")
@base_url_option
def create(uses: int, days: int, note: str, base_url: str | None) -> None:
    """Create an invitation and print its link (shown only now: only a hash is stored)."""
    invitation, token = create_invitation(None, max_uses=uses, days=days, note=note)
    db.session.commit()
    base = (base_url or current_app.config["BASE_URL"] or DEFAULT_BASE_URL).rstrip("/")
    click.echo(base + url_for_path("accounts.join", token=token))
    click.echo(
        f"Invitation {invitation.id}: {uses} use(s), valid until {invitation.expires_at:%Y-%m-%d %H:%M} UTC.",
        err=True,
    )


@invitations.command("list")
def list_command() -> None:
    """List invitations with their state."""
    now = utcnow()
    for inv in list_invitations():
        state = (
            "revoked"
            if inv.revoked_at
            else "expired"
            if inv.expires_at <= now
            else "used up"
            if inv.uses >= inv.max_uses
            else "open"
        )
        click.echo(
            f"{inv.id}\t{state}\t{inv.uses}/{inv.max_uses} used\tuntil {inv.expires_at:%Y-%m-%d}\t{inv.note}"
        )


@invitations.command("revoke")
@click.argument("invitation_id", type=int)
def revoke(invitation_id: int) -> None:
    """Revoke an invitation: its link stops working at once."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        click.echo(f"No invitation {invitation_id}.", err=True)
        sys.exit(1)
    revoke_invitation(invitation)
    db.session.commit()
    click.echo(f"Revoked invitation {invitation_id}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(setup_link)
    app.cli.add_command(invitations)

"""Command-line commands: `flask users create`, `flask demo`."""

import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import IntegrityError

from blog.accounts import find_user_by_email
from blog.extensions import db
from blog.models import Role, User


# AppGroup and with_appcontext: the test CLI runner calls commands without the app context `flask` pushes.
@click.group("users", cls=AppGroup)
def users():
    """Manage accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value, show_default=True
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create an account."""
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an email address", param_hint="--email")
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="--password")
    if find_user_by_email(email) is not None:
        click.echo(f"An account with the email {email} already exists.", err=True)
        sys.exit(1)
    user = User(email=email, name=name.strip() or email, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        click.echo(f"An account with the email {email} already exists.", err=True)
        sys.exit(1)
    click.echo(f"Created {role} {email} (id {user.id}).")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill the blog with a small demo blog; safe to repeat."""
    from blog.commands.demo import load_demo

    click.echo(load_demo())


def init_app(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo_command)

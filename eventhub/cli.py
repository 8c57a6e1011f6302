"""Flask commands: init-db, seed-demo, create-user, create-token, compile-translations."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from eventhub.accounts import services as accounts
from eventhub.errors import Refused


def upgrade_database() -> None:
    """Apply every migration (all domain branches) to the configured database."""
    upgrade(revision="heads")


@click.command("init-db")
def init_db_command() -> None:
    """Create or upgrade the schema through the migrations."""
    upgrade_database()
    click.echo("Database is up to date.")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo: the seeds' events, today's live edition, the directory, an organiser.

    Running it again changes nothing.
    """
    from eventhub import demo

    report = demo.load()
    for line in report.lines:
        click.echo(line)


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help="admin, organiser, moderator or door")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="Display name")
def create_user_command(email: str, role: str, password: str, name: str) -> None:
    """Create an account."""
    try:
        user = accounts.create_user(email, password, role, name)
    except Refused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}")


@click.command("create-token")
@click.argument("email")
@click.option("--label", default="cli", help="What the token is for (device, script)")
def create_token_command(email: str, label: str) -> None:
    """Print a new bearer token for an existing user (shown once)."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}")
    click.echo(accounts.issue_token(user, label))


@click.command("compile-translations")
def compile_translations_command() -> None:
    """Compile the message catalogs (.po → .mo) that are missing or stale."""
    from eventhub.i18n import compile_catalogs

    click.echo(f"{compile_catalogs(current_app)} catalog(s) compiled.")


@click.command("update-translations")
@click.argument("domain")
def update_translations_command(domain: str) -> None:
    """Extract DOMAIN's messages (core, accounts, programme…) into its English catalog."""
    from eventhub import catalogs

    if domain not in catalogs.domains():
        raise click.ClickException(f"Unknown catalog {domain}: {', '.join(catalogs.domains())}")
    untranslated = catalogs.update(domain)
    click.echo(f"{catalogs.catalog_path(domain)}: {len(untranslated)} message(s) to translate")
    for msgid in untranslated:
        click.echo(f"  {msgid}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (
        init_db_command,
        seed_demo_command,
        create_user_command,
        create_token_command,
        compile_translations_command,
        update_translations_command,
    ):
        app.cli.add_command(command)

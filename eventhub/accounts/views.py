"""Login, logout, and the admin pages for accounts and tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from eventhub.accounts import services
from eventhub.accounts.auth import role_required
from eventhub.accounts.forms import EmptyForm, LoginForm, TokenForm, UserEditForm, UserForm
from eventhub.accounts.models import User
from eventhub.accounts.roles import Role
from eventhub.errors import Refused
from eventhub.extensions import db, limiter
from eventhub.urls import safe_redirect_target

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


def _landing(user: User) -> str:
    """Where a sign-in without a ``next`` leads: the organiser dashboard for an account
    that can organise (what it signed in for), else the home page."""
    if user.can(Role.ORGANISER):
        return url_for("programme_admin.events")
    return url_for("programme.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_redirect_target(request.args.get("next"), _landing(user)))
        form.password.errors.append(_("E-mail ou mot de passe incorrect."))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
def logout():
    """Sign out (a POST, so that a link elsewhere cannot sign anyone out).

    The account's stamp changes, so a copy of this session's cookies (or of its
    remember cookie) opens nothing any more: the account is signed out everywhere.
    """
    if current_user.is_authenticated:
        services.end_sessions(current_user.id)
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("programme.index"))


@bp.route("/admin/users", methods=["GET", "POST"])
@role_required("admin")
def users():
    """List accounts and create one."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.password.data, form.role.data, form.name.data or ""
            )
        except Refused as exc:
            getattr(form, exc.field or "", form.email).errors.append(exc.message)
        else:
            flash(_("Compte créé pour %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    status = 400 if form.errors else 200
    return (
        render_template("accounts/users.html", users=services.list_users(), form=form),
        status,
    )


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int):
    """Change an account's role or disable it."""
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors.append(
                _("Vous ne pouvez pas retirer vos propres droits d'administration.")
            )
        else:
            services.update_account(user, form.role.data, form.active.data)
            flash(_("Compte %(email)s mis à jour.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    status = 400 if form.errors else 200
    return render_template("accounts/user_edit.html", user=user, form=form,
                           end_sessions_form=EmptyForm()), status


@bp.post("/admin/users/<int:user_id>/logout-everywhere")
@role_required("admin")
def logout_everywhere(user_id: int):
    """End every session of an account, on every device (a lost phone, a shared laptop)."""
    user = db.get_or_404(User, user_id)
    services.end_sessions(user.id)
    flash(_("Toutes les sessions de %(email)s sont fermées.", email=user.email), "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.route("/admin/tokens", methods=["GET", "POST"])
@role_required("admin")
def tokens():
    """List every bearer token; create one for the signed-in admin."""
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = services.issue_token(current_user, form.label.data)
    status = 400 if form.errors else 200
    return (
        render_template(
            "accounts/tokens.html",
            tokens=services.list_tokens(),
            form=form,
            new_token=new_token,
            revoke_form=EmptyForm(),
        ),
        status,
    )


@bp.post("/admin/tokens/<int:token_id>/revoke")
@role_required("admin")
def revoke_token(token_id: int):
    """Revoke a token: scripts and scanners using it are refused from now on."""
    try:
        row = services.revoke_token(token_id)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash(_("Jeton %(prefix)s… révoqué.", prefix=row.prefix), "success")
    return redirect(url_for("accounts.tokens"))

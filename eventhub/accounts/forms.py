"""Forms of the accounts pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from eventhub.accounts.roles import LABELS, Role
from eventhub.accounts.services import MIN_PASSWORD_LENGTH


def _role_choices():
    return [(role.value, LABELS[role]) for role in Role]


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired()])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


class UserForm(FlaskForm):
    """A new account."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Nom"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Rôle"), choices=_role_choices)
    password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)]
    )


class UserEditForm(FlaskForm):
    """Role and status of an existing account."""

    role = SelectField(_l("Rôle"), choices=_role_choices)
    active = BooleanField(_l("Compte actif"))


class TokenForm(FlaskForm):
    """A new bearer token for the signed-in user."""

    label = StringField(
        _l("Nom du jeton (appareil ou script)"), validators=[DataRequired(), Length(max=120)]
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for POST buttons."""

"""Forms of the live pages: asking without JavaScript, stream and moderation settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventhub.live.models import NAME_MAX_LENGTH, QUESTION_MAX_LENGTH


class AskForm(FlaskForm):
    """A question, with an optional name."""

    text = TextAreaField(_l("Votre question"), validators=[
        DataRequired(_l("La question est vide.")), Length(max=QUESTION_MAX_LENGTH)])
    name = StringField(_l("Votre nom (facultatif)"),
                       validators=[Optional(), Length(max=NAME_MAX_LENGTH)])


class StreamForm(FlaskForm):
    """The stream of the event or of one of its rooms (removing it is its own button)."""

    url = StringField(_l("Adresse de la diffusion"), validators=[
        DataRequired(_l("Indiquez l'adresse de la diffusion.")), Length(max=500)])


class ModerationSettingsForm(FlaskForm):
    """Per-event moderation."""

    premoderation = BooleanField(_l("Valider chaque question avant publication"))

"""Forms of the organiser pages. They parse types; the rules live in services.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventhub.programme.models import OrganisationRole, SlotKind


def _optional_int(value):
    return int(value) if value not in (None, "") else None


def choices(pairs, blank: bool = False) -> list[SelectChoice]:
    """Select options from (value, label) pairs; ``blank`` adds an empty "—" first."""
    options = [SelectChoice("", "—")] if blank else []
    return options + [SelectChoice(str(value), label) for value, label in pairs]


class EventForm(FlaskForm):
    """An event's fields."""

    slug = StringField(_l("Identifiant d'adresse"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=300)])
    theme = StringField(_l("Thème"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    audience = TextAreaField(_l("Public"), validators=[Optional()])
    start_date = DateField(_l("Premier jour"), validators=[DataRequired()])
    end_date = DateField(_l("Dernier jour"), validators=[DataRequired()])
    timezone = SelectField(_l("Fuseau horaire"), default="Europe/Paris")
    venue_name = StringField(_l("Lieu"), validators=[Optional(), Length(max=200)])
    venue_address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    venue_commune = StringField(_l("Commune"), validators=[Optional(), Length(max=120)])
    expected_participants = IntegerField(_l("Participants attendus"),
                                         validators=[Optional(), NumberRange(min=0)])
    series_id = SelectField(_l("Série"), coerce=_optional_int)
    published = BooleanField(_l("Publié (visible du public)"))


class RoomForm(FlaskForm):
    """A room's name and capacity."""

    name = StringField(_l("Nom de la salle"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Capacité"), validators=[Optional(), NumberRange(min=1)])


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SlotForm(FlaskForm):
    """A slot's fields, with times entered in the event's timezone."""

    kind = SelectField(_l("Type"), choices=choices(SlotKind.choices()))
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=300)])
    abstract = TextAreaField(_l("Résumé"), validators=[Optional()])
    starts_at = DateTimeLocalField(_l("Début"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Fin"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    room_id = SelectField(_l("Salle"), coerce=_optional_int)
    rotation = IntegerField(_l("Rotation (ateliers tournants)"),
                            validators=[Optional(), NumberRange(min=1)])
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=1)])
    remote_speaker = BooleanField(_l("Intervention à distance"))
    replay_url = StringField(_l("Adresse du replay"), validators=[Optional(), Length(max=500)])
    slides_url = StringField(_l("Adresse des supports"), validators=[Optional(), Length(max=500)])
    speakers = MultiCheckboxField(_l("Intervenants"), coerce=int)
    new_speaker_name = StringField(_l("Nouvel intervenant : nom"),
                                   validators=[Optional(), Length(max=200)])
    new_speaker_affiliation = StringField(_l("Nouvel intervenant : structure"),
                                          validators=[Optional(), Length(max=300)])
    confirm_conflicts = BooleanField(_l("Enregistrer malgré le conflit"))


class SpeakerForm(FlaskForm):
    """A speaker's fields."""

    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    affiliation = StringField(_l("Structure"), validators=[Optional(), Length(max=300)])
    bio = TextAreaField(_l("Biographie"), validators=[Optional()])
    url = StringField(_l("Site web"), validators=[Optional(), Length(max=500)])


class OrganisationForm(FlaskForm):
    """An organisation's fields."""

    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Sigle"), validators=[Optional(), Length(max=40)])
    url = StringField(_l("Site web"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional()])


class EventOrganisationForm(FlaskForm):
    """An organisation's part in an event."""

    organisation_id = SelectField(_l("Organisation"), coerce=_optional_int)
    role = SelectField(_l("Rôle"), choices=choices(OrganisationRole.choices()))


class SeriesForm(FlaskForm):
    """A series' fields."""

    slug = StringField(_l("Identifiant d'adresse"), validators=[DataRequired(), Length(max=120)])
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional()])


class StopForm(FlaskForm):
    """A stop of a series."""

    city = StringField(_l("Ville"), validators=[DataRequired(), Length(max=120)])
    event_id = SelectField(_l("Événement (facultatif)"), coerce=_optional_int)

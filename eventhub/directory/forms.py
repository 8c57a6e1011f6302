"""Forms of the directory: applications, private-link editing, contact, moderation."""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventhub.directory.models import VENUE_SERVICES, Teleworker, Venue, VenueKind, WorkerStatus

# A contact form older than this is stale: the visitor reloads it.
CONTACT_FORM_MAX_AGE = 24 * 3600


def _service_choices():
    return list(VENUE_SERVICES.items())


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class TeleworkerFields(FlaskForm):
    """What a teleworker tells about themselves."""

    name = StringField(_l("Nom et prénom"), validators=[DataRequired(), Length(max=120)])
    status = RadioField(_l("Statut"), choices=WorkerStatus.choices, validators=[DataRequired()])
    activity = StringField(_l("Activité"), validators=[DataRequired(), Length(max=200)])
    skills = StringField(_l("Compétences (séparées par des virgules)"),
                         validators=[Optional(), Length(max=600)])
    commune = StringField(_l("Commune"), validators=[DataRequired(), Length(max=120)])
    website = URLField(_l("Site web"), validators=[Optional(), Length(max=300)])
    presentation = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=2000)])
    email = EmailField(_l("E-mail (jamais affiché)"),
                       validators=[DataRequired(), Email(), Length(max=254)])


class TeleworkerApplyForm(TeleworkerFields):
    """The public application form of a teleworker."""

    consent = BooleanField(
        _l("J'accepte que ces informations (sauf mon e-mail) soient publiées dans l'annuaire."),
        validators=[DataRequired(_l("La publication demande votre consentement."))])


class VenueFields(FlaskForm):
    """What a venue tells about itself."""

    name = StringField(_l("Nom du lieu"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Adresse"), validators=[DataRequired(), Length(max=300)])
    commune = StringField(_l("Commune"), validators=[DataRequired(), Length(max=120)])
    latitude = FloatField(_l("Latitude (facultatif)"),
                          validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("Longitude (facultatif)"),
                           validators=[Optional(), NumberRange(-180, 180)])
    contact_name = StringField(_l("Personne à contacter"),
                               validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail (jamais affiché)"),
                       validators=[DataRequired(), Email(), Length(max=254)])
    website = URLField(_l("Site web"), validators=[Optional(), Length(max=300)])
    opening_hours = TextAreaField(_l("Horaires d'ouverture"),
                                  validators=[Optional(), Length(max=1000)])
    description = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=2000)])
    services = CheckboxesField(_l("Services proposés"), choices=_service_choices)
    open_to_public = BooleanField(_l("Ouvert au public, sans restriction d'accès"))

    def validate_longitude(self, field):
        """Both coordinates or neither."""
        if (self.latitude.data is None) != (field.data is None):
            raise ValidationError(_l("Donnez la latitude et la longitude, ou aucune des deux."))


def entry_form(entry: Teleworker | Venue, filled: bool) -> TeleworkerFields | VenueFields:
    """The edit form of ``entry``: ``filled`` with its values to show it, or else read
    from the posted data."""
    form_class = TeleworkerFields if isinstance(entry, Teleworker) else VenueFields
    if not filled:
        return form_class()
    form = form_class(obj=entry)
    if isinstance(entry, Teleworker):
        form.skills.data = ", ".join(skill.name for skill in entry.skills)
    return form


class VenueApplyForm(VenueFields):
    """The application of a venue, with the charter accepted."""

    charter_version = HiddenField()
    accept_charter = BooleanField(_l("J'ai lu la charte qualité et je l'accepte au nom du lieu."),
                                  validators=[DataRequired(_l("Acceptez la charte qualité."))])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="directory-contact")


def form_started_stamp() -> str:
    """A signed timestamp put in the contact form when it is shown."""
    return _serializer().dumps(time.time())


class ContactForm(FlaskForm):
    """A message to relay. ``homepage`` is a honeypot hidden from people; ``started`` is
    the signed time the form was shown, so that instant robot posts are refused."""

    sender_name = StringField(_l("Votre nom"), validators=[DataRequired(), Length(max=120)])
    sender_email = EmailField(_l("Votre e-mail (pour la réponse)"),
                              validators=[DataRequired(), Email(), Length(max=254)])
    message = TextAreaField(_l("Message"), validators=[DataRequired(), Length(min=10, max=3000)])
    homepage = StringField(_l("Ne pas remplir ce champ"))
    started = HiddenField()

    def validate_homepage(self, field):
        """People never see this field; robots fill it in."""
        if field.data:
            raise ValidationError(_l("Message refusé par le filtre anti-spam."))

    def validate_started(self, field):
        """The form must have been shown by us, a little while ago."""
        try:
            started = _serializer().loads(field.data or "", max_age=CONTACT_FORM_MAX_AGE)
        except BadSignature as exc:
            raise ValidationError(
                _l("Le formulaire a expiré : rechargez la page et recommencez.")) from exc
        if time.time() - float(started) < current_app.config["DIRECTORY_CONTACT_MIN_SECONDS"]:
            raise ValidationError(
                _l("Message envoyé trop vite : relisez-le et envoyez-le à nouveau."))


class ApproveVenueForm(FlaskForm):
    """The moderator decides the kind of a venue when approving it."""

    kind = SelectField(_l("Type de lieu"), choices=VenueKind.choices, validators=[DataRequired()])


class RejectForm(FlaskForm):
    """An optional reason sent to the applicant."""

    reason = StringField(_l("Motif (envoyé au demandeur)"), validators=[Length(max=300)])


class ConfirmForm(FlaskForm):
    """A checkbox that confirms an irreversible action."""

    confirm = BooleanField(_l("Je confirme l'effacement définitif de cette fiche."),
                           validators=[DataRequired(_l("Cochez la case pour confirmer."))])


class EventVenueForm(FlaskForm):
    """The directory venue of an event."""

    venue = SelectField(_l("Lieu de l'annuaire"), coerce=int)

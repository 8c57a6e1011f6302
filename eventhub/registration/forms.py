"""Forms of registration: the public form, workshop choices, organiser settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from eventhub.programme.models import Slot
from eventhub.registration.models import Attendance


class ChoicesForm(FlaskForm):
    """Workshop choices; one select per rotation is added by ``with_rotations``."""

    def chosen_ids(self) -> list[int]:
        """The slot ids picked in the rotation selects."""
        return [int(field.data) for name, field in self._fields.items()
                if name.startswith("rotation_") and field.data]


class RegistrationForm(ChoicesForm):
    """The public registration form."""

    name = StringField(_l("Nom et prénom"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("Adresse e-mail"), validators=[DataRequired(), Email(),
                                                          Length(max=254)])
    organisation = StringField(_l("Organisation (facultatif)"),
                               validators=[Optional(), Length(max=200)])
    attendance = RadioField(_l("Participation"),
                            choices=[SelectChoice(*pair) for pair in Attendance.choices()],
                            default="onsite", validators=[DataRequired()])
    consent = BooleanField(
        _l("J'accepte que mes nom et e-mail servent à gérer mon inscription, puis soient "
           "effacés après l'événement."),
        validators=[DataRequired(_l("Votre accord est nécessaire pour vous inscrire."))],
    )


def with_rotations(form_class: type[ChoicesForm], rotations: dict[int, list[Slot]],
                   taken: dict[int, int], kept: set[int] = frozenset()) -> type[ChoicesForm]:
    """``form_class`` with one workshop select per rotation; full workshops are marked."""

    class Form(form_class):
        pass

    for number, slots in rotations.items():
        options = [SelectChoice("", _l("— aucun —"))]
        for slot in slots:
            label = slot.title
            free = None if slot.capacity is None else slot.capacity - taken.get(slot.id, 0)
            if free is not None and free <= 0 and slot.id not in kept:
                label = _l("%(title)s (complet)", title=slot.title)
            options.append(SelectChoice(str(slot.id), label))
        setattr(Form, f"rotation_{number}", SelectField(
            _l("Atelier, rotation %(n)s", n=number), choices=options, validators=[Optional()]))
    return Form


class SettingsForm(FlaskForm):
    """Registration settings of one event."""

    onsite_capacity = IntegerField(_l("Places sur place"),
                                   validators=[InputRequired(), NumberRange(min=0, max=100000)])
    remote_capacity = IntegerField(_l("Places à distance (vide : illimité)"),
                                   validators=[Optional(), NumberRange(min=0, max=1000000)])
    opens_at = DateTimeLocalField(_l("Ouverture des inscriptions"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Clôture des inscriptions"), validators=[Optional()])

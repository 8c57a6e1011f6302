"""Directory rules: applications, moderation, private-link editing, erasure, search,
relayed contact, the community goal and the venue of an event.

Views and tests call these functions; they raise ``Refused`` with a message for a
person when a rule refuses, and change nothing in that case.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from email.headerregistry import Address

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from eventhub import mail
from eventhub.database import checkpoint_erasure, utcnow
from eventhub.directory import charter
from eventhub.directory.models import (
    VENUE_SERVICES,
    AuditEntry,
    ContactMessage,
    EntryState,
    EventVenue,
    Skill,
    Teleworker,
    Venue,
    VenueKind,
    WorkerStatus,
    teleworker_skill,
)
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.text import normalise_email, web_address_problem
from eventhub.unique import commit_retrying, unique_slug
from eventhub.urls import public_url

MAX_SKILLS = 12
TELEWORKER_FIELDS = ("name", "status", "activity", "commune", "website", "presentation")
VENUE_FIELDS = ("name", "address", "commune", "latitude", "longitude", "contact_name",
                "website", "opening_hours", "description", "services", "open_to_public")
# Who changed an entry when no moderator account did: the holder of the private link.
OWNER = "lien privé"


# --- small helpers -------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    """A fresh private-link token and the hash that is stored."""
    token = secrets.token_urlsafe(24)
    return token, _hash(token)


def _required(fields: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if not str(fields.get(name) or "").strip():
            raise Refused("invalid_field", _("Champ obligatoire manquant : %(name)s.",
                                             name=name), field=name)


def _clean_website(value: str | None) -> str:
    value = (value or "").strip()
    problem = web_address_problem(value)
    if problem:
        raise Refused("invalid_field", problem, field="website")
    return value


def parse_skills(text: str | list[str]) -> list[str]:
    """Skill tags from a comma-separated text (or a list): trimmed, lower-case, unique."""
    items = text.split(",") if isinstance(text, str) else text
    seen: list[str] = []
    for item in items:
        name = " ".join(item.split()).lower()[:60]
        if name and name not in seen:
            seen.append(name)
    if len(seen) > MAX_SKILLS:
        raise Refused("invalid_field", _("Au plus %(n)d compétences.", n=MAX_SKILLS),
                      field="skills")
    return seen


def _skills(names: list[str]) -> list[Skill]:
    found = {s.name: s for s in db.session.scalars(sa.select(Skill).where(Skill.name.in_(names)))}
    return [found.get(name) or Skill(name=name) for name in names]


def _remove_orphan_skills() -> None:
    used = sa.select(teleworker_skill.c.skill_id)
    db.session.execute(sa.delete(Skill).where(Skill.id.not_in(used)))


def _target_type(entry: Teleworker | Venue) -> str:
    """What the audit log calls the kind of ``entry``."""
    return "teleworker" if isinstance(entry, Teleworker) else "venue"


def _audit(action: str, entry: Teleworker | Venue, actor=None, detail: str = "") -> None:
    """Record who did ``action`` on ``entry``; ``actor`` is a User or None (private link)."""
    db.session.add(AuditEntry(
        user_id=getattr(actor, "id", None),
        actor=actor.email if actor is not None else OWNER,
        action=action,
        target_type=_target_type(entry),
        target_id=entry.id,
        target_label=entry.name,
        detail=detail[:300],
    ))


def private_link(token: str) -> str:
    """The absolute URL of an entry's private edit page."""
    return public_url("directory.edit", token=token)


# --- applications ----------------------------------------------------------------------


def _teleworker_values(fields: dict) -> dict:
    _required(fields, ("name", "status", "activity", "commune"))
    if fields["status"] not in set(WorkerStatus):
        raise Refused("invalid_field", _("Statut inconnu : choisissez salarié ou indépendant."),
                      field="status")
    return {
        "name": fields["name"].strip()[:120],
        "status": fields["status"],
        "activity": fields["activity"].strip()[:200],
        "commune": " ".join(fields["commune"].split())[:120],
        "website": _clean_website(fields.get("website")),
        "presentation": (fields.get("presentation") or "").strip(),
    }


def apply_teleworker(fields: dict, consent: bool) -> tuple[Teleworker, str]:
    """Record a teleworker's application (pending); returns it and its private token.

    ``fields``: name, status, activity, commune, website, presentation, email, skills.
    Publication needs ``consent``; its time is recorded.
    """
    if not consent:
        raise Refused("invalid_field", _("La publication demande votre consentement."),
                      field="consent")
    values = _teleworker_values(fields)
    email = normalise_email(fields.get("email"))
    skills = parse_skills(fields.get("skills") or "")
    token, token_hash = _new_token()

    def insert() -> Teleworker:
        person = Teleworker(**values, email=email, consent_at=utcnow(),
                            edit_token_hash=token_hash,
                            slug=unique_slug(Teleworker, values["name"]))
        person.skills = _skills(skills)
        db.session.add(person)
        db.session.flush()
        _audit("applied", person)
        return person

    return commit_retrying(insert), token


def _venue_values(fields: dict) -> dict:
    _required(fields, ("name", "address", "commune", "contact_name"))
    services = list(fields.get("services") or [])
    unknown = [code for code in services if code not in VENUE_SERVICES]
    if unknown:
        raise Refused("invalid_field", _("Service inconnu : %(code)s.", code=", ".join(unknown)),
                      field="services")
    lat, lon = fields.get("latitude"), fields.get("longitude")
    if (lat is None) != (lon is None):
        raise Refused("invalid_field",
                      _("Donnez la latitude et la longitude, ou aucune des deux."),
                      field="latitude")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Refused("invalid_field", _("Coordonnées hors limites."), field="latitude")
    return {
        "name": fields["name"].strip()[:200],
        "address": fields["address"].strip()[:300],
        "commune": " ".join(fields["commune"].split())[:120],
        "latitude": lat,
        "longitude": lon,
        "contact_name": fields["contact_name"].strip()[:120],
        "website": _clean_website(fields.get("website")),
        "opening_hours": (fields.get("opening_hours") or "").strip(),
        "description": (fields.get("description") or "").strip(),
        "services": [code for code in VENUE_SERVICES if code in services],
        "open_to_public": bool(fields.get("open_to_public")),
    }


def apply_venue(fields: dict, charter_version: int | None) -> tuple[Venue, str]:
    """Record a venue's application (pending); returns it and its private token.

    The venue must accept the current charter: ``charter_version`` is the version shown
    to the applicant, recorded with the time of acceptance.
    """
    if charter_version != charter.CURRENT_VERSION:
        raise Refused("invalid_field", _("Acceptez la version en vigueur de la charte qualité."),
                      field="charter")
    values = _venue_values(fields)
    email = normalise_email(fields.get("email"))
    token, token_hash = _new_token()

    def insert() -> Venue:
        venue = Venue(**values, email=email, charter_version=charter_version,
                      charter_accepted_at=utcnow(),
                      edit_token_hash=token_hash, slug=unique_slug(Venue, values["name"]))
        db.session.add(venue)
        db.session.flush()
        # Audit details are stored data, not interface text: kept in one language.
        _audit("applied", venue, detail=f"charte v{charter_version}")
        return venue

    return commit_retrying(insert), token


# --- moderation ------------------------------------------------------------------------


def kind_problem(venue: Venue, kind: str) -> str | None:
    """Why ``venue`` cannot be of ``kind`` under the charter, or None when it can."""
    if kind not in set(VenueKind):
        return _("Type de lieu inconnu.")
    services = set(venue.services or [])
    if kind == VenueKind.COMPTOIR and not (venue.open_to_public and "wifi" in services):
        return _("Un Comptoir doit être ouvert au public et offrir le wifi gratuit.")
    if kind == VenueKind.TELECENTRE and not {"private_offices", "pro_connectivity"} <= services:
        return _("Un Télécentre doit offrir des bureaux privatifs et une connectivité "
                 "de niveau professionnel.")
    return None


def _send_approval(entry: Teleworker | Venue, token: str) -> None:
    what = _("votre fiche") if isinstance(entry, Teleworker) else _("la fiche de votre lieu")
    text = _(
        "Bonjour,\n\n%(what)s « %(name)s » est publiée dans l'annuaire SoLozère.\n\n"
        "Pour la modifier ou la supprimer à tout moment, utilisez ce lien privé "
        "(ne le partagez pas) :\n%(link)s\n\nVotre adresse e-mail n'est jamais affichée : "
        "les visiteurs vous écrivent par un formulaire que le site relaie.\n",
        what=what.capitalize(), name=entry.name, link=private_link(token))
    mail.send_mail(entry.email, _("Votre fiche est publiée dans l'annuaire"), text)


def approve_teleworker(person: Teleworker, actor, notify: bool = True) -> None:
    """Publish a teleworker and e-mail them a fresh private link (unless ``notify`` is
    False: the demo publishes fictional entries nobody should be written to)."""
    token, person.edit_token_hash = _new_token()
    person.state = EntryState.APPROVED
    person.approved_at = utcnow()
    _audit("approved", person, actor)
    db.session.commit()
    if notify:
        _send_approval(person, token)


def approve_venue(venue: Venue, kind: str, actor, notify: bool = True) -> None:
    """Publish a venue as ``kind`` (decided by the moderator) if its services allow it;
    its contact is e-mailed a fresh private link unless ``notify`` is False."""
    problem = kind_problem(venue, kind)
    if problem:
        raise Refused("invalid_field", problem, field="kind")
    token, venue.edit_token_hash = _new_token()
    venue.kind = kind
    venue.state = EntryState.APPROVED
    venue.approved_at = utcnow()
    _audit("approved", venue, actor, detail=kind)
    db.session.commit()
    if notify:
        _send_approval(venue, token)


def reject(entry: Teleworker | Venue, actor, reason: str = "") -> None:
    """Refuse (or unpublish) an entry; the applicant is told, with the reason if given."""
    entry.state = EntryState.REJECTED
    _audit("rejected", entry, actor, detail=reason)
    db.session.commit()
    text = _("Bonjour,\n\nLa fiche « %(name)s » n'a pas été retenue pour l'annuaire SoLozère.\n",
             name=entry.name)
    if reason:
        text += _("Motif : %(reason)s\n", reason=reason)
    mail.send_mail(entry.email, _("Votre demande d'inscription à l'annuaire"), text)


# --- editing -------------------------------------------------------------------------


def find_by_token(token: str) -> Teleworker | Venue | None:
    """The entry a private link opens, or None."""
    digest = _hash(token)
    return (db.session.scalar(sa.select(Teleworker).where(Teleworker.edit_token_hash == digest))
            or db.session.scalar(sa.select(Venue).where(Venue.edit_token_hash == digest)))


def update_teleworker(person: Teleworker, fields: dict, actor=None) -> None:
    """Change a teleworker's entry (the owner through the link, or a moderator)."""
    values = _teleworker_values(fields)
    skills = parse_skills(fields.get("skills") or "")
    email = normalise_email(fields["email"]) if fields.get("email") else person.email

    def change() -> None:
        for name, value in values.items():
            setattr(person, name, value)
        person.email = email
        person.skills = _skills(skills)
        _audit("edited", person, actor)
        db.session.flush()
        _remove_orphan_skills()

    commit_retrying(change)


def update_venue(venue: Venue, fields: dict, actor=None) -> bool:
    """Change a venue's entry. Returns True when the change took it off the map.

    A published venue whose services no longer meet its kind goes back to moderation.
    """
    values = _venue_values(fields)
    email = normalise_email(fields["email"]) if fields.get("email") else venue.email
    for name, value in values.items():
        setattr(venue, name, value)
    venue.email = email
    unpublished = bool(venue.state == EntryState.APPROVED and venue.kind
                       and kind_problem(venue, venue.kind))
    if unpublished:
        venue.state = EntryState.PENDING
    _audit("edited", venue, actor, detail="remise en modération" if unpublished else "")
    db.session.commit()
    return unpublished


def update_entry(entry: Teleworker | Venue, fields: dict, actor=None) -> str | None:
    """Change a teleworker's or a venue's entry. Returns a warning for the person when
    the change waits for a moderator or sent a published venue back to moderation.

    The owner's edit of a published entry (``actor`` None) is only proposed: the
    published version stays public until a moderator accepts it.
    """
    if actor is None and entry.state == EntryState.APPROVED:
        propose_changes(entry, fields)
        return _("Votre fiche est publiée : vos modifications y paraîtront après leur "
                 "relecture par un modérateur.")
    if isinstance(entry, Teleworker):
        update_teleworker(entry, fields, actor)
        return None
    if update_venue(entry, fields, actor):
        return _("Les services ne correspondent plus au type du lieu : la fiche repasse "
                 "en modération.")
    return None


def _proposed_values(entry: Teleworker | Venue, fields: dict) -> dict:
    """``fields`` checked and cleaned, as ``update_entry`` takes them (JSON-ready)."""
    if isinstance(entry, Teleworker):
        values = {**_teleworker_values(fields),
                  "skills": parse_skills(fields.get("skills") or "")}
    else:
        values = _venue_values(fields)
        for name in ("latitude", "longitude"):
            values[name] = float(values[name]) if values[name] is not None else None
    values["email"] = normalise_email(fields["email"]) if fields.get("email") else entry.email
    return values


def propose_changes(entry: Teleworker | Venue, fields: dict) -> None:
    """Keep the owner's changes to a published entry for a moderator to review."""
    entry.pending_changes = _proposed_values(entry, fields)
    _audit("proposed", entry)
    db.session.commit()


def _current_value(entry: Teleworker | Venue, name: str):
    if name == "skills":
        return sorted(skill.name for skill in entry.skills)
    return getattr(entry, name)


def pending_diff(entry: Teleworker | Venue) -> list[tuple[str, object, object]]:
    """The proposed changes of ``entry`` as (field, published value, proposed value)."""
    proposed = entry.pending_changes or {}
    return [(name, _current_value(entry, name), value) for name, value in proposed.items()
            if (sorted(value) if name == "skills" else value) != _current_value(entry, name)]


def accept_changes(entry: Teleworker | Venue, actor) -> str | None:
    """Publish the proposed changes (a moderator's decision); same answer as ``update_entry``."""
    proposed, entry.pending_changes = entry.pending_changes, None
    if not proposed:
        raise Refused("conflict", _("Aucune modification n'attend de relecture."))
    return update_entry(entry, proposed, actor)


def discard_changes(entry: Teleworker | Venue, actor) -> None:
    """Drop the proposed changes; the published version stays."""
    entry.pending_changes = None
    _audit("discarded", entry, actor)
    db.session.commit()


# --- erasure -------------------------------------------------------------------------


def erase(entry: Teleworker | Venue, actor=None) -> None:
    """Delete an entry and everything tied to it: messages, tags, event links, names in
    the audit log. The log keeps only that entry number N was erased, and by whom."""
    target_type, target_id = _target_type(entry), entry.id
    # Its own line loses the name below with the rest of the entry's history.
    _audit("erased", entry, actor)
    # Messages, tags and event links go with it: ON DELETE CASCADE.
    db.session.delete(entry)
    db.session.flush()
    _remove_orphan_skills()
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
        .values(target_label="", detail=""))
    db.session.commit()
    checkpoint_erasure()


# --- public reading ------------------------------------------------------------------


@dataclass
class Filters:
    """What the directory search asks for; empty strings mean "any"."""

    q: str = ""
    status: str = ""
    skill: str = ""
    commune: str = ""


def _approved(model):
    return sa.select(model).where(model.state == EntryState.APPROVED)


def search_teleworkers(filters: Filters) -> list[Teleworker]:
    """Published teleworkers matching the text and filters, by name."""
    query = _approved(Teleworker)
    if filters.q.strip():
        like = f"%{filters.q.strip()}%"
        skill_match = sa.select(teleworker_skill.c.teleworker_id).join(Skill).where(
            Skill.name.ilike(like))
        query = query.where(sa.or_(
            Teleworker.name.ilike(like), Teleworker.activity.ilike(like),
            Teleworker.presentation.ilike(like), Teleworker.commune.ilike(like),
            Teleworker.id.in_(skill_match)))
    if filters.status:
        query = query.where(Teleworker.status == filters.status)
    if filters.commune:
        query = query.where(Teleworker.commune == filters.commune)
    if filters.skill:
        query = query.where(Teleworker.skills.any(Skill.name == filters.skill.lower()))
    query = query.options(selectinload(Teleworker.skills)).order_by(Teleworker.name)
    return list(db.session.scalars(query))


def filter_choices() -> dict[str, list[str]]:
    """The communes and skills of published teleworkers, for the filter menus."""
    communes = db.session.scalars(
        sa.select(Teleworker.commune).where(Teleworker.state == EntryState.APPROVED)
        .distinct().order_by(Teleworker.commune))
    skills = db.session.scalars(
        sa.select(Skill.name).join(teleworker_skill).join(Teleworker)
        .where(Teleworker.state == EntryState.APPROVED).distinct().order_by(Skill.name))
    return {"communes": list(communes), "skills": list(skills)}


def published_teleworker(slug: str) -> Teleworker | None:
    """A published teleworker by slug."""
    return db.session.scalar(_approved(Teleworker).where(Teleworker.slug == slug))


def published_venues() -> list[Venue]:
    """Published venues, by commune then name."""
    return list(db.session.scalars(_approved(Venue).order_by(Venue.commune, Venue.name)))


def published_venue(slug: str) -> Venue | None:
    """A published venue by slug."""
    return db.session.scalar(_approved(Venue).where(Venue.slug == slug))


@dataclass
class Progress:
    """The community goal of the seeds, as shown."""

    members: int
    registered: int
    target: int

    @property
    def percent(self) -> int:
        """How far along, 0–100."""
        return min(100, round(100 * self.members / self.target)) if self.target else 100


def community_progress() -> Progress:
    """How close the community is to its goal.

    The seeds count about 30 teleworkers known to the network before this directory
    existed (``DIRECTORY_COMMUNITY_BASELINE``). Those people are expected to join here
    too, so adding them to the approved entries would count them twice: the figure
    shown is the larger of the baseline and the approved teleworkers.
    """
    registered = db.session.scalar(
        sa.select(sa.func.count()).select_from(Teleworker)
        .where(Teleworker.state == EntryState.APPROVED)
    )
    config = current_app.config
    return Progress(members=max(config["DIRECTORY_COMMUNITY_BASELINE"], registered),
                    registered=registered, target=config["DIRECTORY_COMMUNITY_TARGET"])


# --- contact -------------------------------------------------------------------------


def send_contact(entry: Teleworker | Venue, sender_name: str, sender_email: str,
                 text: str) -> None:
    """Relay a visitor's message to a published entry; the visitor is in Reply-To.

    Only the sender's name and the time are kept, to tie the message to the entry (and
    erase it with the entry); the text leaves by e-mail, waiting in the mail outbox only
    until the SMTP server takes it.
    """
    if entry.state != EntryState.APPROVED:
        raise Refused("not_found", _("Cette fiche n'est pas publiée."))
    sender_email = normalise_email(sender_email, field="sender_email")
    sender_name = " ".join(sender_name.split())[:120]
    text = text.strip()
    if not sender_name or not text:
        raise Refused("invalid_field", _("Indiquez votre nom et votre message."))
    body = _(
        "Bonjour,\n\n%(sender)s vous écrit depuis l'annuaire SoLozère (fiche « %(name)s »). "
        "Répondez à ce message pour lui répondre directement.\n\n"
        "-----\n%(text)s\n-----\n\nLe site a relayé ce message sans vous montrer ni "
        "montrer votre adresse.\n",
        sender=sender_name, name=entry.name, text=text)
    db.session.add(ContactMessage(
        teleworker_id=entry.id if isinstance(entry, Teleworker) else None,
        venue_id=entry.id if isinstance(entry, Venue) else None,
        sender_name=sender_name))
    db.session.commit()
    # An Address, not "name <addr>": a comma in the name would add a second Reply-To.
    mail.send_mail(entry.email, _("Message de %(sender)s via l'annuaire", sender=sender_name),
                   body, reply_to=Address(display_name=sender_name, addr_spec=sender_email))


# --- events --------------------------------------------------------------------------


def set_event_venue(event, venue: Venue | None) -> None:
    """Name (or with None, forget) the directory venue an event takes place in."""
    if venue is not None and venue.state != EntryState.APPROVED:
        raise Refused("invalid_field", _("Seul un lieu publié de l'annuaire peut être choisi."),
                      field="venue")
    event_id, venue_id = event.id, venue.id if venue is not None else None

    def change() -> None:
        link = db.session.scalar(sa.select(EventVenue).where(EventVenue.event_id == event_id))
        if venue_id is None:
            if link is not None:
                db.session.delete(link)
        elif link is None:
            db.session.add(EventVenue(event_id=event_id, venue_id=venue_id))
            db.session.flush()
        else:
            link.venue_id = venue_id

    commit_retrying(change)


def venue_for_event(event) -> Venue | None:
    """The published directory venue of ``event``, if one is named."""
    if event is None or getattr(event, "id", None) is None:
        return None
    return db.session.scalar(
        sa.select(Venue).join(EventVenue)
        .where(EventVenue.event_id == event.id, Venue.state == EntryState.APPROVED))

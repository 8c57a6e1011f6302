"""Demo directory: the five télécentres of the 2012 call for projects and POLeN (from the
seeds), with approximate coordinates of their communes, and a few clearly fictional
teleworkers. The charter is the versioned text of ``eventhub.directory.charter``.

Nothing is e-mailed: every address is a fictional ``@example.org`` one. Entries are
looked up by name first, so loading twice changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.demo.accounts import DEMO_EMAIL
from eventhub.directory import charter, services
from eventhub.directory.models import Teleworker, Venue
from eventhub.extensions import db

TELECENTRE_SERVICES = ["wifi", "private_offices", "shared_space", "meeting_room",
                       "videoconference", "pro_connectivity", "printing", "accessibility"]

# (kind, name, commune, address, latitude, longitude) — coordinates are the communes'
# centres, approximately: enough for the map, not a street address.
VENUES = [
    ("telecentre", "Télécentre de Saint-Chély-d'Apcher — Centre multimédia",
     "Saint-Chély-d'Apcher", "Centre multimédia", 44.8014, 3.2756),
    ("telecentre", "Télécentre de Langogne — Espace René Raynal",
     "Langogne", "Espace René Raynal", 44.7272, 3.8553),
    ("telecentre", "Télécentre de Meyrueis — Maison des services",
     "Meyrueis", "Maison des services", 44.1797, 3.4306),
    ("telecentre", "Télécentre de Villefort — Maison de l'Emploi / Communauté de communes "
     "de Villefort", "Villefort", "Maison de l'Emploi", 44.4400, 3.9331),
    ("telecentre", "Télécentre de Marvejols — Maison de l'Emploi / Relais Services Publics",
     "Marvejols", "Maison de l'Emploi / Relais Services Publics", 44.5540, 3.2910),
    ("resource_centre", "POLeN — Centre de Ressources TIC (Lozère Développement)",
     "Mende", "Lozère Développement", 44.5181, 3.5006),
]

TELEWORKERS = [
    {"name": "Camille Exemple (profil fictif)", "status": "independant",
     "activity": "Traductrice technique anglais–français", "skills": "traduction, anglais",
     "commune": "Mende"},
    {"name": "Dominique Démo (profil fictif)", "status": "salarie",
     "activity": "Développeur web pour une entreprise lyonnaise",
     "skills": "développement web, python", "commune": "Marvejols"},
    {"name": "Alex Illustration (profil fictif)", "status": "independant",
     "activity": "Graphiste et illustratrice", "skills": "graphisme, illustration",
     "commune": "Langogne"},
    {"name": "Sacha Modèle (profil fictif)", "status": "salarie",
     "activity": "Comptable dans un cabinet montpelliérain",
     "skills": "comptabilité, gestion", "commune": "Saint-Chély-d'Apcher"},
]


def _exists(model, name: str) -> bool:
    return db.session.scalar(sa.select(model.id).where(model.name == name)) is not None


def load(report) -> None:
    """Create the demo venues and teleworkers once, published by the demo organiser."""
    moderator = accounts.find_user(DEMO_EMAIL)
    created = 0
    for n, (kind, name, commune, address, lat, lon) in enumerate(VENUES, start=1):
        if _exists(Venue, name):
            continue
        venue, _token = services.apply_venue({
            "name": name, "address": address, "commune": commune, "latitude": lat,
            "longitude": lon, "contact_name": "Accueil du lieu (démonstration)",
            "email": f"lieu-{n}@example.org",
            "opening_hours": "Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h",
            "description": "Fiche de démonstration : horaires et services sont indicatifs.",
            "services": TELECENTRE_SERVICES, "open_to_public": True,
        }, charter.CURRENT_VERSION)
        services.approve_venue(venue, kind, moderator, notify=False)
        created += 1
    for n, fields in enumerate(TELEWORKERS, start=1):
        if _exists(Teleworker, fields["name"]):
            continue
        person, _token = services.apply_teleworker({
            **fields, "email": f"teletravailleur-{n}@example.org",
            "presentation": "Profil fictif de démonstration : cette personne n'existe pas.",
        }, consent=True)
        services.approve_teleworker(person, moderator, notify=False)
        created += 1
    report.say(f"Directory: {len(VENUES)} venues, {len(TELEWORKERS)} fictional teleworkers, "
               f"charter v{charter.CURRENT_VERSION} ({created} created now)")

"""The quality charter of the network's venues, versioned.

A venue records the version it accepted; a new text gets a new version number here and
the old ones stay, so what each venue signed can always be shown again. The charter is
the network's French reference text and is shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Charter:
    """One version of the charter."""

    version: int
    adopted: str  # ISO date
    text: str


CHARTERS: dict[int, Charter] = {
    1: Charter(
        version=1,
        adopted="2013-02-01",
        text=(
            "Charte qualité des points d'accueil des télétravailleurs SoLozère\n\n"
            "1. Le lieu accueille, ponctuellement ou dans la durée, les télétravailleurs "
            "qui se présentent aux heures d'ouverture annoncées dans l'annuaire.\n"
            "2. Les Comptoirs SoLozère sont des lieux de travail occasionnels pour des "
            "télétravailleurs de proximité ou des points de passage pour des "
            "télétravailleurs nomades. Lieux ouverts au public, ils n'appliquent aucune "
            "restriction d'accès et proposent un espace dédié au télétravail, ainsi "
            "qu'une connexion wifi gratuite.\n"
            "3. Les Télécentres sont des équipements dotés d'une capacité de réception et "
            "d'animation dédiés aux problématiques des télétravailleurs. Ils offrent une "
            "palette de services plus large et une connectivité de niveau professionnel, "
            "en particulier des bureaux individuels privatifs ou dans une enceinte "
            "mutualisée.\n"
            "4. Le lieu tient à jour sa fiche (horaires, services) au moyen du lien privé "
            "reçu à l'adhésion et signale toute fermeture durable.\n"
            "5. Le lieu relaie les actions d'animation du réseau SoLozère auprès des "
            "télétravailleurs qu'il accueille.\n"
            "6. Le lieu peut quitter le réseau à tout moment : sa fiche est alors effacée."
        ),
    ),
}

CURRENT_VERSION = max(CHARTERS)


def current() -> Charter:
    """The charter a venue accepts when it applies today."""
    return CHARTERS[CURRENT_VERSION]

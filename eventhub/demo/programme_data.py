"""The seeds' events as data: names, places, dates, roles and themes from the seed texts.

Start and end times, room names and the titles marked ``illustrative`` are not in the
seeds: they are plausible values so the demo timetable looks like a real one.
"""

from __future__ import annotations

ORGANISATIONS = [
    ("Lozère Développement", "", "Anime le Centre de Ressources TIC de POLeN, à Mende."),
    ("Maison de l'Emploi et de la Cohésion Sociale de la Lozère", "MDECS", ""),
    ("État", "", ""),
    ("Conseil général de la Lozère", "", ""),
    ("Cybermassif", "", ""),
    ("La Mêlée — Commission Télétravail", "", "Organise les Explorcamps du télétravail."),
]

SERIES = {
    "slug": "tour-de-france-teletravail-coworking-2014",
    "name": "Tour de France du télétravail et du coworking 2014",
    "description": "Cinq étapes pour parler télétravail, tiers lieux et coworking, "
    "de Saint-Étienne à Mende.",
    "stops": ["Saint-Étienne", "Strasbourg", "Bordeaux", "Paris La Défense", "Mende"],
}

# Each slot: (start, end, kind, title, room, speakers, extra). Speakers are
# "Name (Affiliation)" strings; extra holds abstract, rotation, capacity, remote_speaker.
AUMONT_SLOTS = [
    ("09:00", "09:30", "welcome", "Accueil des participants", "Salle des fêtes", [], {}),
    ("09:30", "10:30", "keynote", "Le télétravail en France, les salariés sont prêts !",
     "Salle des fêtes",
     ["Pierre Morel-À-L'Huissier (Député de la Lozère)", "Nicole Turbé-Suetens"],
     {"abstract": "L'état des lieux dressé en 2010 dans leur ouvrage : l'intérêt, pour les "
      "territoires ruraux, d'un télétravail bien compris et bien organisé."}),
    ("10:45", "11:45", "conference",
     "Les solos : travailler en indépendant depuis un territoire rural", "Salle des fêtes",
     [], {}),
    ("10:45", "11:45", "workshop", "Mettre en place le télétravail dans son entreprise",
     "Salle annexe", [], {"capacity": 40}),
    ("12:00", "12:30", "conference", "Lancement de l'annuaire des télétravailleurs SoLozère",
     "Salle des fêtes", [],
     {"abstract": "SoLozère devient l'espace communautaire où se retrouvent entreprises et "
      "télétravailleurs, salariés ou indépendants."}),
    ("12:30", "14:00", "break", "Déjeuner", None, [], {}),
    ("14:00", "15:00", "conference",
     "Média sociaux et outils numériques : les nouvelles formes de collaboration et de "
     "management", "Salle des fêtes", [], {}),
    ("15:15", "16:15", "workshop", "Le Très Haut Débit à Aumont-Aubrac : nouveaux usages",
     "Salle des fêtes", [],
     {"remote_speaker": True,
      "abstract": "Aumont-Aubrac, commune pilote du Très Haut Débit : diffusion en direct, "
      "interventions d'experts en visioconférence HD."}),
    ("16:30", "17:30", "round_table",
     "Télétravail et territoires ruraux : l'environnement lozérien", "Salle des fêtes", [], {}),
]

MENDE_SLOTS = [
    ("09:00", "09:20", "opening", "Ouverture", "Amphithéâtre",
     ["Marie-Paule Demiguel (Secrétaire générale de la Préfecture)",
      "Jean-Paul Pourquier (Président du Conseil général de la Lozère)"], {}),
    ("09:20", "09:40", "keynote",
     "Le télétravail et le numérique, vecteurs de développement des territoires ruraux",
     "Amphithéâtre", ["Xavier de Mazenod"], {}),
    ("09:45", "11:00", "round_table", "Infrastructures numériques", "Amphithéâtre",
     ["Bruno Moriset (CNRS)", "Colin Lalouette (Cloud is Mine, NOVAE)",
      "Laurent Raybaud (NOVAE)", "Pierre Gentes (Association des Maires Ruraux de France)"],
     {"abstract": "Une simple connexion ADSL satisfait-elle vraiment les entreprises ? "
      "Infrastructures, accompagnement et écosystème."}),
    ("11:15", "12:30", "round_table", "Accompagner les nouvelles formes de travail",
     "Amphithéâtre",
     ["Céline Teixido (AGT)", "Pauline Maurin (Conseil général de la Lozère)",
      "Vincent Maurage (ARACT Languedoc-Roussillon)", "Erwan Kezzar (Simplon.co)",
      "Hélène Laxenaire (Supagro Florac)"],
     {"abstract": "Management à distance, télétravail des techniciens, contractualisation, "
      "formation aux usages numériques et collaboratifs."}),
    ("12:30", "14:00", "break", "Déjeuner", None, [], {}),
    ("14:00", "16:00", "workshop", "S'installer en entrepreneur solo à la campagne",
     "Salle de formation",
     ["Gaëlle Ottan (Myexpertteam)", "Sébastien Oziol (Lozère Développement)"],
     {"capacity": 55}),
    ("14:00", "16:00", "workshop", "Tiers lieux : un modèle économique vivable en milieu rural",
     "Salle de réunion", ["Yoann Duriaux (Tilios)", "Alban Tiberghien (Tilios)"],
     {"capacity": 55}),
]

EXPLORCAMP_THEMES = [
    ("Le télétravail pour qui ?", "Salle 1",
     "Intégrer et proposer cette organisation du travail aux agents des collectivités."),
    ("Le télétravail pourquoi ?", "Salle 2",
     "Enjeux économiques, sociétaux, environnementaux pour un territoire ou une collectivité."),
    ("Le télétravail comment ?", "Salle 3",
     "Modèle économique des tiers lieux, bonnes pratiques."),
]

EXPLORCAMP_SLOTS = [
    ("14:00", "14:45", "keynote", "Conférence introductive", "Salle 1",
     ["Pascal Rassat (CITICA)"], {}),
    *[
        (start, end, "workshop", title, room, [],
         {"rotation": rotation, "capacity": 20, "abstract": abstract})
        for rotation, (start, end) in ((1, ("15:00", "16:00")), (2, ("16:15", "17:15")))
        for title, room, abstract in EXPLORCAMP_THEMES
    ],
]

EXPLORCAMP_GUESTS = [
    "Gérard Amigues (Conseil général du Lot)",
    "Annabelle Dessaint (Conseil général de l'Hérault)",
    "Michel Pieyre (Conseil général de l'Hérault)",
    "Angélique Viala (Communauté de Communes de Murat)",
    "Lilian Fourcadier (CCI du Tarn)",
    "Stéphane Capgras (Communauté de Communes de Tarn & Dadou)",
    "Laurence Gombert (Pays Tolosan)",
]

EVENTS = [
    {
        "slug": "rencontres-teletravail-aumont-aubrac",
        "title": "Les Rencontres du télétravail",
        "date": "2011-10-28",
        "venue_name": "Aumont-Aubrac",
        "venue_commune": "Aumont-Aubrac",
        "theme": "Six conférences et ateliers sur le télétravail, pratiqué en indépendant ou "
        "par les salariés d'une entreprise.",
        "description": "Organisées par Lozère Développement et la Maison de l'Emploi et de la "
        "Cohésion Sociale de la Lozère à Aumont-Aubrac, commune pilote du Très Haut Débit, "
        "les rencontres montrent que les difficultés du début du télétravail sont dépassées. "
        "Diffusion en direct sur le web et interventions d'experts en visioconférence HD. "
        "Lancement de l'annuaire des télétravailleurs SoLozère.",
        "audience": "Télétravailleurs indépendants et porteurs de projets, responsables "
        "d'entreprises, acteurs du développement économique et territorial.",
        "expected_participants": 100,
        "organisers": ["Lozère Développement",
                       "Maison de l'Emploi et de la Cohésion Sociale de la Lozère"],
        "supporters": ["État", "Conseil général de la Lozère", "Cybermassif"],
        "slots": AUMONT_SLOTS,
    },
    {
        "slug": "tour-de-france-teletravail-mende-2014",
        "title": "Étape rurale du Tour de France du télétravail et du coworking",
        "date": "2014-10-09",
        "venue_name": "POLeN",
        "venue_commune": "Mende",
        "series": True,
        "theme": "Du télétravail au travail collaboratif : tiers lieux et usages collaboratifs "
        "du web en milieu rural.",
        "description": "Après Saint-Étienne, Strasbourg, Bordeaux et Paris La Défense, Mende "
        "devient le temps d'une journée le haut lieu du télétravail, des tiers lieux et du "
        "coworking : deux tables rondes le matin, deux ateliers en parallèle l'après-midi.",
        "audience": "Entreprises, télétravailleurs, élus et animateurs des territoires.",
        "expected_participants": 110,
        "organisers": ["Maison de l'Emploi et de la Cohésion Sociale de la Lozère",
                       "Lozère Développement"],
        "supporters": [],
        "slots": MENDE_SLOTS,
    },
    {
        "slug": "explorcamp-2-teletravail-territoires",
        "title": "Explorcamp n° 2 : Télétravail et Territoires… Pour qui, Pourquoi, Comment ?",
        "date": "2013-05-28",
        "venue_name": "Diagora",
        "venue_commune": "Labège",
        "theme": "Chaque participant explore 2 des 3 ateliers, un par rotation.",
        "description": "Un explorcamp de la Commission Télétravail de La Mêlée à destination "
        "des territoires et des collectivités. Intervenants présents : "
        + ", ".join(EXPLORCAMP_GUESTS) + ".",
        "audience": "Élus et techniciens des collectivités.",
        "expected_participants": 50,
        "organisers": ["La Mêlée — Commission Télétravail"],
        "supporters": [],
        "slots": EXPLORCAMP_SLOTS,
    },
]

LIVE_DEMO = {
    "slug": "rencontres-teletravail-aujourdhui",
    "title": "Les Rencontres du télétravail — nouvelle édition",
    "venue_name": "Aumont-Aubrac",
    "venue_commune": "Aumont-Aubrac",
    "theme": "Une édition de démonstration, en direct à toute heure : inscription, billets, "
    "accueil et direct peuvent être essayés à tout moment.",
    "description": "Le programme d'Aumont-Aubrac, rejoué à l'heure où la démonstration est "
    "lancée (sa conférence introductive vient de commencer), diffusé en direct avec questions "
    "du public.",
    "audience": "Télétravailleurs, entreprises, acteurs du territoire.",
    "expected_participants": 120,
    "organisers": ["Lozère Développement",
                   "Maison de l'Emploi et de la Cohésion Sociale de la Lozère"],
    "supporters": ["État", "Conseil général de la Lozère", "Cybermassif"],
    # The Aumont-Aubrac programme, its round table stretched to close the day at 18:00.
    "slots": [
        (*slot[:1], "18:00", *slot[2:]) if slot[3].startswith("Télétravail et territoires")
        else slot
        for slot in AUMONT_SLOTS
    ],
}

"""The satisfaction questionnaires, one per population of the sheet ("bilan qualité")."""

from dataclasses import dataclass

from django.db import models


class Population(models.TextChoices):
    PARTENAIRES = "partenaires", "Partenaires (association, entreprises)"
    ELEVES = "eleves", "Élèves"
    MENTORS = "mentors", "Mentors"
    PARENTS = "parents", "Parents"
    PERSONNELS = "personnels", "Personnels de l’établissement"


NOTES = [
    (1, "Pas du tout satisfait"),
    (2, "Plutôt pas satisfait"),
    (3, "Plutôt satisfait"),
    (4, "Très satisfait"),
]


@dataclass(frozen=True)
class Question:
    code: str
    libelle: str


_COMMUNES = [Question("global", "Dans l’ensemble, êtes-vous satisfait du dispositif de mentorat cette année ?")]

QUESTIONNAIRES: dict[str, list[Question]] = {
    Population.ELEVES: [
        *_COMMUNES,
        Question("mentor", "Les échanges avec votre mentor vous ont-ils aidé ?"),
        Question("frequence", "Le rythme des séances vous a-t-il convenu ?"),
        Question("projet", "Le mentorat vous a-t-il aidé dans votre projet (stage, orientation, emploi) ?"),
    ],
    Population.MENTORS: [
        *_COMMUNES,
        Question("accueil", "L’accueil dans l’établissement a-t-il été à la hauteur ?"),
        Question("accompagnement", "Vous êtes-vous senti accompagné dans votre mission ?"),
        Question("absences", "Avez-vous été prévenu à temps des absences de votre mentoré ?"),
    ],
    Population.PARENTS: [
        *_COMMUNES,
        Question("information", "Avez-vous été bien informé du dispositif ?"),
        Question("effets", "Avez-vous constaté des effets positifs pour votre enfant ?"),
    ],
    Population.PERSONNELS: [
        *_COMMUNES,
        Question("information", "Avez-vous été bien informé du dispositif et de ses partenaires ?"),
        Question("organisation", "L’organisation des séances était-elle compatible avec les enseignements ?"),
    ],
    Population.PARTENAIRES: [
        *_COMMUNES,
        Question("relations", "La qualité des relations avec l’établissement vous a-t-elle satisfait ?"),
        Question("organisation", "L’organisation matérielle (salles, horaires, communication) était-elle adaptée ?"),
    ],
}

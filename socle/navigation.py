"""The main menu: each entry names a URL and the roles (on the current LP) that see it.

Entries are values (URL names as strings), so this bottom layer imports no app above it.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from . import roles as R
from .roles import Role


@dataclass(frozen=True)
class Entree:
    libelle: str
    url_name: str
    roles: frozenset
    prefixe: str = ""  # URL prefix that marks the entry as the current page


MENU = [
    Entree("Tableau de bord", "accueil", frozenset(Role.values)),
    Entree("Cadre du dispositif", "etablissements:etablissement", R.LECTURE_PROGRAMME, "/etablissements/"),
    Entree("Élèves", "binomes:eleves", R.LECTURE_PROGRAMME | {Role.PERSONNEL}, "/binomes/eleves/"),
    Entree("Mentors", "binomes:mentors", R.LECTURE_PROGRAMME, "/binomes/mentors/"),
    Entree("Binômes", "binomes:binomes", R.LECTURE_PROGRAMME | {Role.MENTOR}),
    Entree("Honorabilité", "binomes:honorabilite_file", frozenset({Role.PILOTAGE}), "/binomes/honorabilite/"),
    Entree("Séances", "seances:liste", R.LECTURE_PROGRAMME | {Role.MENTOR}, "/seances/"),
    Entree("Absences et entretiens", "seances:entretiens", R.VIE_SCOLAIRE, "/absences/"),
    Entree("Suivi", "seances:reunions", R.LECTURE_PROGRAMME, "/suivi/"),
    Entree("Alertes", "seances:alertes", R.LECTURE_PROGRAMME, "/alertes/"),
    Entree("Signalements", "seances:signalements", R.SIGNALEMENTS, "/signalements/"),
    # Everyone else working with the students files a signalement, and reads none.
    Entree("Signaler une situation", "seances:signalement_nouveau", R.DEPOT_SIGNALEMENT - R.SIGNALEMENTS),
    Entree("Bilan", "bilans:bilan", R.LECTURE_PROGRAMME - {Role.COORDONNATEUR}, "/bilans/"),
    Entree("Académie", "bilans:academie", frozenset({Role.PILOTAGE}), "/bilans/academie/"),
    Entree("National", "bilans:national", frozenset({Role.PILOTAGE_NATIONAL}), "/bilans/national/"),
    Entree("Registre RGPD", "rgpd:registre", frozenset({Role.CHEF, Role.REFERENT}), "/rgpd/"),
    # Roles held on an académie or an association, added by the context processor.
    Entree(
        "Administration",
        "etablissements:administration",
        frozenset({Role.ADMIN_ACADEMIQUE}),
        "/etablissements/administration/",
    ),
    Entree("Mon association", "etablissements:mon_association", frozenset({Role.RESPONSABLE})),
]


def menu_pour(roles, chemin: str):
    items = []
    for entree in MENU:
        if not (entree.roles & set(roles)):
            continue
        url = _url(entree.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        actif = chemin == url if not entree.prefixe else chemin.startswith(entree.prefixe)
        items.append({"libelle": entree.libelle, "url": url, "actif": actif})
    return items


@cache
def _url(url_name: str, _prefixe: str, _urlconf: str) -> str:
    """An entry's URL, reversed once per process: the menu is on every page, and reversing its
    dozen entries cost each page about a millisecond (issue 18). The URL depends on nothing else
    than the script prefix and the URLconf, both part of the key."""
    return reverse(url_name)

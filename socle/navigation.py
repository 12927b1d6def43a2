"""The main menu: each entry names a URL and the roles (on the current LP) that see it.

Entries are values (URL names as strings), so this bottom layer imports no app above it.
"""

from dataclasses import dataclass

from . import roles as R
from .chemins import chemin as url_de
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
    # The menu is on every page: its dozen URLs are reversed once per process (socle.chemins).
    items = []
    for entree in MENU:
        if not (entree.roles & set(roles)):
            continue
        url = url_de(entree.url_name)
        actif = chemin == url if not entree.prefixe else chemin.startswith(entree.prefixe)
        items.append({"libelle": entree.libelle, "url": url, "actif": actif})
    return items

"""Demo data of the « cadre du dispositif » for the two demo LPs (idempotent).

Called by `charger_demo` once the LPs, their dispositif of the year and the accounts exist.
Louise-Michel gets the whole frame (diagnostic, signed convention, a validated cadrage v1
and a draft v2, team, budget, milestones) and last year's dispositif, to browse a past year.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from socle.models import User

from . import frise, services
from .models import (
    Comite,
    Convention,
    Diagnostic,
    Dispositif,
    Etablissement,
    Formation,
    LigneBudget,
    MembreEquipe,
    VersionCadrage,
)
from .models.cadrage import StatutCadrage
from .models.convention import POINTS_DE_VIGILANCE, StatutConvention
from .models.dispositif import annee_scolaire_courante
from .models.jalon import StatutJalon

CLAUSES = {
    "duree_engagement": "Un an, du 1er septembre au 31 août, reconductible par avenant.",
    "recrutement_mentors": "L’association recrute les mentors parmi les salariés volontaires "
    "des entreprises du réseau.",
    "verification_honorabilite": "L’association vérifie le bulletin n° 3 du casier judiciaire de chaque mentor "
    "avant toute séance et en atteste auprès du lycée.",
    "cadre_intervention": "Séances au lycée, en présence d’un personnel joignable, sur les créneaux de l’après-midi.",
    "frequence_interventions": "Au moins une séance par mois et par binôme.",
    "communication": "Le coordonnateur et le référent échangent chaque semaine ; absences signalées la veille.",
    "suivi": "Réunion de suivi chaque trimestre ; comité de pilotage en janvier et en juin.",
    "assurance": "Les mentors sont couverts par la responsabilité civile de l’association.",
    "remboursement_frais": "L’association rembourse les frais de déplacement des mentors.",
    "valeurs_republique": "Les mentors signent la charte de laïcité et de neutralité : ni prosélytisme, "
    "ni propagande politique ou commerciale.",
}

CADRAGE = {
    "objectifs": "Accompagner les élèves volontaires vers la réussite de leurs périodes de formation en milieu "
    "professionnel et leur insertion.",
    "public_cible": "Élèves volontaires de première bac pro et de première année de CAP.",
    "duree_mois": 8,
    "duree_precisions": "D’octobre à mai",
    "indicateurs": ["filles_garcons", "mentors", "entreprises", "absenteisme", "abandon", "insertion", "sommes"],
    "autres_indicateurs": "Nombre d’élèves ayant trouvé leur lieu de PFMP",
    "activites": ["entretiens", "atelier_cv", "preparation_entretien", "visites", "reunions_suivi", "lancement"],
    "activites_precisions": "Un atelier CV au premier trimestre, deux visites d’entreprise dans l’année.",
}

COMITES = [
    {
        "nom": "Comité de pilotage",
        "membres": "Chef d’établissement, référent mentorat, DDFPT, coordonnateur de l’association",
        "frequence": "Deux fois par an (janvier, juin)",
    },
    {
        "nom": "Réunion de suivi",
        "membres": "Référent mentorat, CPE, coordonnateur des mentors",
        "frequence": "Une fois par trimestre",
    },
]


def _user(email):
    return User.objects.filter(email=email).first()


def _cadrage(dispositif, *, referent, chef, brouillon_suivant):
    if dispositif.versions_cadrage.exists():
        return
    v1 = VersionCadrage.objects.create(dispositif=dispositif, numero=1, cree_par=referent, **CADRAGE)
    Comite.objects.bulk_create([Comite(version=v1, **c) for c in COMITES])
    services.cadrage_soumettre(version=v1, auteur=referent)
    services.cadrage_valider(version=v1, auteur=chef)
    if brouillon_suivant:
        v2 = services.cadrage_nouvelle_version(dispositif=dispositif, auteur=referent)
        services.cadrage_modifier(
            version=v2,
            valeurs={"objectifs": CADRAGE["objectifs"] + " Ouvrir le dispositif aux élèves de seconde."},
            comites=COMITES,
            auteur=referent,
        )


def _convention(dispositif, *, referent, chef):
    """The convention as the référent writes it, submits it, and the chef signs it."""
    convention = dispositif.conventions.first()
    if convention is None or convention.texte_signe:
        return  # none, or already signed through the services: loading again changes nothing
    # The demo's loader may have created it "signée" without its text: start from a draft.
    Convention.objects.filter(pk=convention.pk).update(statut=StatutConvention.BROUILLON)
    valeurs = {
        **{champ: CLAUSES[champ] for champ, _libelle, _aide in POINTS_DE_VIGILANCE},
        "date_debut": dispositif.date_debut,
        "date_fin": dispositif.date_fin,
        "cout_estime": Decimal("1800.00"),
        "couts": "Frais de déplacement des mentors, évènement de lancement, cérémonie de fin d’année.",
        "prise_en_charge": "Déplacements : l’association ; évènements : le lycée.",
    }
    services.convention_modifier(convention=convention, valeurs=valeurs, auteur=referent)
    services.convention_soumettre(convention=convention, auteur=referent)
    services.convention_signer(
        convention=convention,
        auteur=chef,
        date_signature=date(dispositif.annee, 6, 20),
        signataire_partenaire="Amina Diallo, coordonnatrice",
        date_signature_partenaire=date(dispositif.annee, 6, 24),
    )


def _diagnostic(dispositif):
    diagnostic, _ = Diagnostic.objects.update_or_create(
        dispositif=dispositif,
        defaults={
            "date_reflexion": date(dispositif.annee, 5, 19),
            "participants": "Équipe de direction, professeurs principaux de première, CPE, DDFPT, RBDE.",
            "sources": ["auto_evaluation", "climat_scolaire", "qualeduc", "projet_etablissement", "volet_orientation"],
            "constats": "Un élève de première sur quatre n’a pas trouvé seul son lieu de PFMP ; "
            "l’enquête de climat scolaire montre un manque de confiance à l’oral.",
            "besoins": "Recherche de stage, confiance en soi, connaissance des métiers.",
            "types_mentorat": ["insertion", "competences_professionnelles"],
            "public_cible": "Élèves volontaires de première bac pro et de première année de CAP.",
        },
    )
    diagnostic.formations_ciblees.set(Formation.objects.filter(etablissement=dispositif.etablissement_id))


def _equipe(dispositif, comptes):
    membres = [
        ("referent", "Camille", "Rousseau", "Professeure d’économie-gestion", comptes["referent"], True),
        ("chef", "Philippe", "Garnier", "Proviseur", comptes["chef"], False),
        ("ddfpt", "Isabelle", "Morel", "DDFPT", comptes["ddfpt"], False),
        ("rbde", "Julien", "Perrin", "Responsable du bureau des entreprises", comptes["rbde"], False),
        ("cpe", "Sandrine", "Chevalier", "CPE", comptes["cpe"], False),
        ("coordonnateur", "Amina", "Diallo", "Coordonnatrice des mentors", comptes["coordonnateur"], False),
    ]
    for role, prenom, nom, fonction, user, pacte in membres:
        MembreEquipe.objects.update_or_create(
            dispositif=dispositif,
            role=role,
            nom=nom,
            defaults={"prenom": prenom, "fonction": fonction, "user": user, "mission_pacte": pacte},
        )


def _budget(dispositif):
    lignes = [
        ("allocation", "plan_1j1m", "", "Subvention « 1 jeune, 1 mentor »", "1500.00", date(dispositif.annee, 10, 2)),
        ("allocation", "etablissement", "", "Crédits pédagogiques du lycée", "600.00", date(dispositif.annee, 9, 15)),
        ("engagement", "", "evenements", "Évènement de lancement", "350.00", date(dispositif.annee, 11, 20)),
        ("engagement", "", "remboursement_frais", "Déplacements des mentors", "420.00", None),
        ("engagement", "", "formation", "Parcours de formation des mentors", "200.00", None),
    ]
    for type_, source, nature, libelle, montant, jour in lignes:
        LigneBudget.objects.update_or_create(
            dispositif=dispositif,
            libelle=libelle,
            defaults={"type": type_, "source": source, "nature": nature, "montant": Decimal(montant), "date": jour},
        )


def _jalons(dispositif, codes, referent):
    dispositif.jalons.filter(code__in=codes).exclude(statut=StatutJalon.FAIT).update(
        statut=StatutJalon.FAIT, modifie_par=referent, modifie_le=timezone.now()
    )


@transaction.atomic
def charger(*, stdout=None):
    annee = annee_scolaire_courante()
    comptes = {
        "referent": _user("referent@demo.mentorat.fr"),
        "chef": _user("chef@demo.mentorat.fr"),
        "ddfpt": _user("ddfpt@demo.mentorat.fr"),
        "rbde": _user("rbde@demo.mentorat.fr"),
        "cpe": _user("cpe@demo.mentorat.fr"),
        "coordonnateur": _user("coordonnateur@demo.mentorat.fr"),
    }
    louise = Etablissement.objects.filter(uai="0691234S").first()
    moulin = Etablissement.objects.filter(uai="0692418D").first()
    if louise:
        courant = Dispositif.objects.filter(etablissement=louise, annee=annee).first()
        if courant:
            _diagnostic(courant)
            _convention(courant, referent=comptes["referent"], chef=comptes["chef"])
            _cadrage(courant, referent=comptes["referent"], chef=comptes["chef"], brouillon_suivant=True)
            _equipe(courant, comptes)
            _budget(courant)
            _jalons(courant, ["sourcing", "eleves", "presentation"], comptes["referent"])
        # Last year's dispositif, finished, to browse a past year.
        passe, cree = Dispositif.objects.get_or_create(
            etablissement=louise, annee=annee - 1, defaults={"partenaire": courant.partenaire if courant else None}
        )
        if cree:
            frise.generer_jalons(passe)
        if cree and passe.partenaire:
            Convention.objects.create(dispositif=passe, partenaire=passe.partenaire)
        _diagnostic(passe)
        _convention(passe, referent=comptes["referent"], chef=comptes["chef"])
        _cadrage(passe, referent=comptes["referent"], chef=comptes["chef"], brouillon_suivant=False)
        _equipe(passe, comptes)
        _budget(passe)
        _jalons(passe, list(passe.jalons.values_list("code", flat=True)), comptes["referent"])
    if moulin:
        courant = Dispositif.objects.filter(etablissement=moulin, annee=annee).first()
        if courant:
            # Jean-Moulin is behind: a partial diagnostic, a draft cadrage, no team yet.
            Diagnostic.objects.get_or_create(
                dispositif=courant,
                defaults={"besoins": "Découverte des métiers de l’automobile.", "sources": ["qualeduc"]},
            )
            referent = _user("referent.moulin@demo.mentorat.fr")
            if not courant.versions_cadrage.exists():
                services.cadrage_nouvelle_version(dispositif=courant, auteur=referent)
            VersionCadrage.objects.filter(dispositif=courant, statut=StatutCadrage.BROUILLON, objectifs="").update(
                objectifs="Faire découvrir les métiers de la maintenance automobile."
            )
    if stdout is not None:
        stdout.write("Cadre du dispositif : diagnostic, convention, cadrage, équipe, budget et frise chargés.")

"""Bringing mentors in: invite one (record + account invitation), link the account once accepted,
and import a list of them from a CSV file, all or nothing.

A mentor is a record per LP (their engagement there) and one account and one honorabilité
record per person (see Mentor.save). Who may invite a mentor on an LP is said once, by
`etablissements.invitations.roles_invitables`.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from etablissements import invitations
from etablissements.models import Affectation, Entreprise
from socle.models import normaliser_email
from socle.roles import Role

from . import tableur
from .models import CAPACITE_MAX, ImportMentors, Mentor

# --- Rights and invitations -------------------------------------------------------------------


def peut_inviter(user, etablissement) -> bool:
    return etablissement is not None and Role.MENTOR in invitations.roles_invitables(user, etablissement)


def exiger(user, etablissement):
    # An LP the user's association does not serve is not theirs: the same answer as a missing one.
    if not peut_inviter(user, etablissement):
        raise Http404


def _inviter_compte(*, par, mentor: Mentor) -> str:
    """Invite the person to an account with the mentor role on the mentor's LP; says what was done."""
    compte = invitations.compte_existant(mentor.email)
    if (
        compte is not None
        and Affectation.objects.filter(user=compte, role=Role.MENTOR, etablissement_id=mentor.etablissement_id).exists()
    ):
        if mentor.user_id is None:
            mentor.user = compte
            mentor.save(update_fields=["user"])
        return (
            f"{mentor} a déjà un compte de mentor sur ce lycée : sa fiche y est reliée, "
            "aucune invitation n’est envoyée."
        )
    invitations.inviter(
        par=par,
        email=mentor.email,
        role=Role.MENTOR,
        lieu=mentor.etablissement,
        prenom=mentor.prenom,
        nom=mentor.nom,
    )
    if compte is not None:
        return (
            f"Invitation envoyée à {mentor.email} : cette personne a déjà un compte, "
            "elle se connecte avec son mot de passe pour l’accepter."
        )
    return f"Invitation envoyée à {mentor.email} : le lien, valable 7 jours, lui permet de créer son compte."


@transaction.atomic
def mentor_inviter(*, par, etablissement, valeurs: dict) -> tuple[Mentor, str]:
    """Create the mentor record on `etablissement` (or take the one with the same address) and
    invite the person. Nothing is kept when the invitation cannot be sent."""
    exiger(par, etablissement)
    email = (valeurs.get("email") or "").strip()
    if not email:
        raise ValidationError({"email": "L’adresse électronique est nécessaire pour inviter un mentor."})
    mentor = Mentor.objects.select_for_update().filter(etablissement=etablissement, email__iexact=email).first()
    repris = mentor is not None
    if mentor is None:
        mentor = Mentor(etablissement=etablissement, **valeurs)
        mentor.full_clean(exclude=["honorabilite", "user"])
        mentor.save()
    message = _inviter_compte(par=par, mentor=mentor)
    if repris:
        message = f"La fiche existante de {mentor} est reprise. {message}"
    return mentor, message


@transaction.atomic
def mentor_inviter_compte(*, par, mentor: Mentor) -> str:
    """From the mentor's page: invite a mentor who has no account yet."""
    mentor = Mentor.objects.select_for_update().select_related("etablissement").get(pk=mentor.pk)
    exiger(par, mentor.etablissement)
    if mentor.user_id is not None:
        raise ValidationError(f"{mentor} a déjà un compte.")
    if not mentor.email:
        raise ValidationError("Renseignez d’abord l’adresse électronique du mentor (Modifier).")
    return _inviter_compte(par=par, mentor=mentor)


def relier_compte(*, invitation, user) -> int:
    """An accepted mentor invitation: the LP's mentor records under that address get the account."""
    if invitation.role != Role.MENTOR or invitation.etablissement_id is None:
        return 0
    n = 0
    for mentor in Mentor.objects.filter(
        etablissement_id=invitation.etablissement_id, email__iexact=invitation.email, user=None
    ):
        mentor.user = user
        mentor.save(update_fields=["user"])
        n += 1
    return n


# --- CSV import --------------------------------------------------------------------------------

COLONNES = {
    "nom": ("nom", "nomdefamille"),
    "prenom": ("prenom",),
    "email": ("email", "courriel", "adresseelectronique", "mail", "adressemail", "adressecourriel"),
    "telephone": ("telephone", "tel", "portable"),
    "entreprise": ("entreprise", "employeur", "societe", "structure"),
    "metier": ("metier", "poste", "fonction"),
    "secteur": ("secteur", "secteurdactivite"),
    "capacite": ("capacite", "nombredeleves", "eleves"),
    "disponibilites": ("disponibilites", "disponibilite"),
}
LIBELLES = {
    "nom": "Nom",
    "prenom": "Prénom",
    "email": "Courriel",
    "telephone": "Téléphone",
    "entreprise": "Entreprise",
    "metier": "Métier",
    "secteur": "Secteur",
    "capacite": "Capacité",
    "disponibilites": "Disponibilités",
}
OBLIGATOIRES = ("nom", "prenom", "email")
LONGUEURS = {
    "nom": 150,
    "prenom": 150,
    "email": 254,
    "telephone": 20,
    "entreprise": 200,
    "metier": 150,
    "secteur": 100,
    "disponibilites": 255,
}
MENTORS_MAX = 1000


def valider_ligne(brut: dict) -> tuple[dict, list[tuple[str, str]]]:
    """One mentor row, cleaned; errors as (column label, French reason)."""
    ligne, erreurs = {}, []
    for champ, longueur in LONGUEURS.items():
        valeur = (brut.get(champ) or "").strip() if isinstance(brut.get(champ, ""), str) else ""
        if champ in OBLIGATOIRES and not valeur:
            erreurs.append((LIBELLES[champ], "Valeur obligatoire manquante."))
        elif len(valeur) > longueur:
            erreurs.append((LIBELLES[champ], f"Plus de {longueur} caractères."))
        ligne[champ] = valeur
    if ligne["email"] and not any(c == LIBELLES["email"] for c, _ in erreurs):
        try:
            validate_email(ligne["email"])
        except ValidationError:
            erreurs.append((LIBELLES["email"], f"« {ligne['email']} » n’est pas une adresse électronique valide."))
    capacite = brut.get("capacite")
    capacite = capacite.strip() if isinstance(capacite, str) else str(capacite or "")
    if not capacite:
        ligne["capacite"] = 1
    elif not capacite.isdigit() or not 1 <= int(capacite) <= CAPACITE_MAX:
        erreurs.append((LIBELLES["capacite"], f"« {capacite} » : un nombre d’élèves de 1 à {CAPACITE_MAX}."))
        ligne["capacite"] = None
    else:
        ligne["capacite"] = int(capacite)
    return ligne, erreurs


@dataclass
class LectureMentors:
    lignes: list[dict]
    erreurs: list[tableur.Erreur]


def lire(contenu: bytes) -> LectureMentors:
    """Read a mentors CSV; raises tableur.FichierRefuse for a file refused as a whole."""
    lignes, erreurs, vues = [], [], {}
    for numero, brut in tableur.lignes_csv(
        contenu,
        entetes=COLONNES,
        obligatoires=OBLIGATOIRES,
        libelles=LIBELLES,
        max_lignes=MENTORS_MAX,
        quoi="mentors",
    ):
        repere = f"ligne {numero}"
        ligne, problemes = valider_ligne(brut)
        erreurs += [tableur.Erreur(repere, champ, raison) for champ, raison in problemes]
        cle = normaliser_email(ligne["email"])
        if cle and cle in vues:
            erreurs.append(
                tableur.Erreur(repere, LIBELLES["email"], f"Cette adresse figure déjà à la ligne {vues[cle]}.")
            )
        elif cle:
            vues[cle] = numero
        if not problemes:
            lignes.append(ligne | {"numero": numero})
    return LectureMentors(lignes=lignes, erreurs=erreurs)


CONSERVATION_APERCU = tableur.CONSERVATION_APERCU


def import_lire(*, par, etablissement, nom_fichier: str, contenu: bytes):
    """Parse an upload and keep it for confirmation: (ImportMentors or None, errors)."""
    exiger(par, etablissement)
    lecture = lire(contenu)
    if lecture.erreurs:
        return None, lecture.erreurs
    if not lecture.lignes:
        raise tableur.FichierRefuse("Le fichier ne contient aucun mentor.")
    # Previews never confirmed should not keep people's data around (data minimisation).
    ImportMentors.objects.filter(
        etablissement=etablissement, applique_le__isnull=True, cree_le__lt=timezone.now() - CONSERVATION_APERCU
    ).delete()
    kept = ImportMentors.objects.create(
        etablissement=etablissement,
        nom_fichier=nom_fichier[:255],
        empreinte=hashlib.sha256(contenu).hexdigest(),
        lignes=lecture.lignes,
        cree_par=par,
    )
    return kept, []


def import_apercu(*, import_mentors: ImportMentors) -> list[dict]:
    """Each row with what confirming does to it: a new record, or the LP's existing one taken."""
    existants = {
        normaliser_email(e): pk
        for pk, e in Mentor.objects.filter(etablissement=import_mentors.etablissement).values_list("pk", "email")
        if e
    }
    return [ligne | {"existant": normaliser_email(ligne["email"]) in existants} for ligne in import_mentors.lignes]


@transaction.atomic
def import_appliquer(*, par, import_mentors: ImportMentors, envoyer_invitations: bool) -> tuple[int, int, int]:
    """Create every mentor of a kept import (all or nothing), then invite each one if asked.

    Returns (created, taken as they were, invitations sent)."""
    import_mentors = ImportMentors.objects.select_for_update().select_related("etablissement").get(pk=import_mentors.pk)
    etablissement = import_mentors.etablissement
    exiger(par, etablissement)
    if import_mentors.applique_le is not None:
        raise ValidationError("Cet import a déjà été appliqué.")
    crees = repris = invites = 0
    for brut in import_mentors.lignes if isinstance(import_mentors.lignes, list) else [None]:
        ligne, erreurs = valider_ligne(brut if isinstance(brut, dict) else {})
        if erreurs:
            raise ValidationError("L’import conservé n’est plus valide : déposez le fichier à nouveau.")
        mentor = Mentor.objects.filter(etablissement=etablissement, email__iexact=ligne["email"]).first()
        if mentor is None:
            nom_entreprise = ligne.pop("entreprise")
            entreprise = None
            if nom_entreprise:
                entreprise = Entreprise.objects.filter(
                    etablissement=etablissement, nom__iexact=nom_entreprise
                ).first() or Entreprise.objects.create(etablissement=etablissement, nom=nom_entreprise)
            mentor = Mentor(etablissement=etablissement, entreprise=entreprise, **ligne)
            mentor.full_clean(exclude=["honorabilite", "user"])
            mentor.save()
            crees += 1
        else:
            repris += 1
        if envoyer_invitations and mentor.user_id is None:
            _inviter_compte(par=par, mentor=mentor)
            invites += 1
    import_mentors.applique_le = timezone.now()
    import_mentors.lignes = []
    import_mentors.save(update_fields=["applique_le", "lignes"])
    return crees, repris, invites

"""Writes of the « cadre du dispositif » that touch several rows or leave a trace.

Each service takes keyword-only arguments, runs in one transaction and writes the
history row (`Modification`) of a convention or cadrage change in that same
transaction: a change is never saved without its trace.
"""

import difflib
import logging
from datetime import date
from decimal import Decimal
from smtplib import SMTPException

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from socle.courriels import envoyer_courriel, lien
from socle.formats import montant, nombre
from socle.roles import Role

from . import annee_suivante, frise
from .models import (
    Affectation,
    Avenant,
    Comite,
    Convention,
    Dispositif,
    Jalon,
    MembreEquipe,
    Modification,
    VersionCadrage,
)
from .models.cadrage import StatutCadrage
from .models.convention import POINTS_DE_VIGILANCE, StatutConvention
from .models.historique import ActionHistorique

# The fields staff type in a convention and a cadrage version: their forms show exactly these,
# and the history (`Modification`) records each change among them.
# The référent writes the convention's text; its status and signatures are decisions
# (submission, the chef's and the partner's signatures), each made by its own service.
CHAMPS_CONVENTION = [
    "date_debut",
    "date_fin",
    *[champ for champ, _libelle, _aide in POINTS_DE_VIGILANCE],
    "cout_estime",
    "couts",
    "prise_en_charge",
]
CHAMPS_CADRAGE = [
    "objectifs",
    "public_cible",
    "duree_mois",
    "duree_precisions",
    "indicateurs",
    "autres_indicateurs",
    "activites",
    "activites_precisions",
]
LIBELLE_COMITOLOGIE = "Comitologie"

COMMENTAIRE_OBLIGATOIRE = "Dites au référent ce qu’il faut modifier : le commentaire est obligatoire."

logger = logging.getLogger(__name__)


class CadrageFige(PermissionDenied):
    """A validated version of the cadrage is frozen."""

    def __init__(self):
        super().__init__("Cette version du document de cadrage est validée : elle ne peut plus être modifiée.")


def _libelles(instance, champ, valeurs: list) -> list[str]:
    """The labels of a list field's codes, as the model's `get_<champ>_display` gives them."""
    libelles = getattr(instance, f"get_{champ}_display", None)
    if libelles is None:
        return [str(v) for v in valeurs]
    ancienne = getattr(instance, champ)
    setattr(instance, champ, valeurs)
    try:
        return list(libelles())
    finally:
        setattr(instance, champ, ancienne)


class ConventionSignee(PermissionDenied):
    """A signed convention changes only by an avenant."""

    def __init__(self):
        super().__init__(
            "Cette convention est signée : elle ne se modifie plus que par un avenant, "
            "que signe le chef d’établissement."
        )


def _texte(instance, champ, valeur) -> str:
    """A value as a person reads it in the history."""
    field = instance._meta.get_field(champ)
    if valeur in (None, "", []):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(valeur, valeur))
    if isinstance(valeur, list):
        return ", ".join(_libelles(instance, champ, valeur)) or "—"
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(field, models.DecimalField):  # the documents' only decimals are amounts (coût estimé)
        return montant(valeur)
    if isinstance(valeur, (int, Decimal, float)):
        return nombre(valeur)
    return str(valeur)


def _ecarts(avant: list[str], apres: list[str]) -> dict:
    """What was added and removed between two lists of items or lines, in their order.

    The history shows these rather than both values side by side: two long texts or
    lists cut to the same width look identical even when they differ.
    """
    ajouts, retraits = [], []
    for ligne in difflib.ndiff(avant, apres):
        if ligne.startswith("+ "):
            ajouts.append(ligne[2:])
        elif ligne.startswith("- "):
            retraits.append(ligne[2:])
    return {"ajouts": ajouts, "retraits": retraits}


def _lignes(texte: str) -> list[str]:
    return [ligne.strip() for ligne in (texte or "").splitlines() if ligne.strip()]


def _changement(instance, champ, avant, apres) -> dict:
    """One history entry: the field, both values as read, and for lists and texts the lines that changed."""
    entree = {
        "champ": str(instance._meta.get_field(champ).verbose_name),
        "avant": _texte(instance, champ, avant),
        "apres": _texte(instance, champ, apres),
    }
    if isinstance(avant or apres, list):
        entree.update(_ecarts(_libelles(instance, champ, avant or []), _libelles(instance, champ, apres or [])))
    elif isinstance(avant or apres, str) and ("\n" in (avant or "") + (apres or "") or len(entree["avant"]) > 120):
        entree.update(_ecarts(_lignes(avant), _lignes(apres)))
    return entree


def _appliquer(instance, champs, valeurs: dict) -> list[dict]:
    """Set `valeurs` on `instance`; return the changes as history entries."""
    changements = []
    for champ in champs:
        if champ not in valeurs:
            continue
        avant, apres = getattr(instance, champ), valeurs[champ]
        if avant != apres:
            changements.append(_changement(instance, champ, avant, apres))
            setattr(instance, champ, apres)
    return changements


def texte_signe(convention) -> list[dict]:
    """The convention's text as signed: each clause's label and its text, kept once signed."""
    return [
        {
            "champ": str(convention._meta.get_field(champ).verbose_name),
            "texte": _texte(convention, champ, getattr(convention, champ)),
        }
        for champ in CHAMPS_CONVENTION
    ]


def _tracer(*, dispositif, auteur, action, convention=None, version=None, changements=(), commentaire=""):
    Modification.objects.create(
        dispositif=dispositif,
        convention=convention,
        version_cadrage=version,
        auteur=auteur,
        action=action,
        changements=list(changements),
        commentaire=commentaire,
    )


def _emails(etablissement_id, role) -> list[str]:
    """The addresses of the active accounts holding `role` on the LP."""
    return sorted(
        Affectation.objects.filter(etablissement_id=etablissement_id, role=role, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _prevenir(*, destinataires: list[str], sujet: str, contexte: dict) -> None:
    """Email `destinataires` once the transaction commits, from this process.

    Sent in the request rather than through Celery, as invitations are: a Redis outage
    cannot lose it. If the mail server fails, the decision stands (it is logged) and the
    dashboard's « À faire » list still shows what waits, so nothing depends on the email.
    """
    if not destinataires:
        return

    def envoyer():
        try:
            envoyer_courriel(
                destinataires=destinataires, sujet=sujet, gabarit="etablissements/emails/decision", contexte=contexte
            )
        except (SMTPException, OSError):
            logger.warning("Courriel « %s » non envoyé.", sujet, exc_info=True)

    transaction.on_commit(envoyer)


def _nom(user) -> str:
    return user.get_full_name() or user.email


def _tracer_statut(objet, *, auteur, action, avant: str, apres: str, commentaire: str = "") -> None:
    """The history row of a decision on a convention or a cadrage version: its status before and after."""
    cible = {"convention": objet} if isinstance(objet, Convention) else {"version": objet}
    _tracer(
        dispositif=objet.dispositif,
        auteur=auteur,
        action=action,
        changements=[{"champ": "Statut", "avant": avant, "apres": apres}],
        commentaire=commentaire,
        **cible,
    )


def _prevenir_le_lp(objet, *, role, sujet: str, message: str, libelle_lien: str, **contexte) -> None:
    """Email the holders of `role` on the LP of `objet` (a convention or a cadrage version) about it."""
    etablissement = objet.dispositif.etablissement
    _prevenir(
        destinataires=_emails(etablissement.pk, role),
        sujet=f"{sujet} — {etablissement.nom}",
        contexte={"message": message, "lien": lien(objet.get_absolute_url()), "libelle_lien": libelle_lien, **contexte},
    )


def _commentaire_de_renvoi(commentaire) -> str:
    """What the chef asks to change: required to send anything back."""
    commentaire = (commentaire or "").strip()
    if not commentaire:
        raise ValidationError(
            {"commentaire": "Dites au référent ce qu’il faut modifier : le commentaire est obligatoire."}
        )
    return commentaire


# --- Dispositif -----------------------------------------------------------------------


@transaction.atomic
def dispositif_creer(*, etablissement, annee: int, auteur, copier: bool = False) -> Dispositif:
    """Create the LP's dispositif for school year `annee` (its milestones come with it).

    With `copier`, the latest earlier dispositif's team, partner, conventions and
    cadrage are carried over as drafts: conventions unsigned, the cadrage as version 1
    to be validated again.
    """
    if Dispositif.objects.filter(etablissement=etablissement, annee=annee).exists():
        raise ValidationError({"annee": "Un dispositif existe déjà pour cette année scolaire."})
    if annee > max(annee_suivante.annees_ouvertes()):
        raise ValidationError(
            {"annee": "L’année scolaire suivante s’ouvre à partir du 1er juin, après la réunion de fin d’année."}
        )
    precedent = (
        Dispositif.objects.filter(etablissement=etablissement, annee__lt=annee).order_by("-annee").first()
        if copier
        else None
    )
    dispositif = Dispositif.objects.create(
        etablissement=etablissement, annee=annee, partenaire=precedent.partenaire if precedent else None
    )
    # Every dispositif carries the sheet's timeline from its first day.
    frise.generer_jalons(dispositif)
    if precedent:
        _copier(precedent, dispositif, auteur)
    return dispositif


def _copier(source: Dispositif, cible: Dispositif, auteur) -> None:
    decalage = cible.annee - source.annee

    def decaler(jour):
        try:
            return jour.replace(year=jour.year + decalage) if jour else None
        except ValueError:  # 29 February
            return jour.replace(year=jour.year + decalage, day=28)

    MembreEquipe.objects.bulk_create(
        [
            MembreEquipe(
                dispositif=cible,
                role=m.role,
                user=m.user,
                prenom=m.prenom,
                nom=m.nom,
                fonction=m.fonction,
                email=m.email,
                telephone=m.telephone,
                mission_pacte=m.mission_pacte,
            )
            for m in source.equipe.all()
        ]
    )
    for ancienne in source.conventions.all():
        convention = Convention(dispositif=cible, partenaire_id=ancienne.partenaire_id)
        for champ in CHAMPS_CONVENTION:
            setattr(convention, champ, getattr(ancienne, champ))
        convention.statut = StatutConvention.BROUILLON
        convention.date_debut = decaler(ancienne.date_debut)
        convention.date_fin = decaler(ancienne.date_fin)
        convention.date_signature_etablissement = convention.date_signature_partenaire = None
        convention.save()
        _tracer(
            dispositif=cible,
            auteur=auteur,
            action=ActionHistorique.CREATION,
            convention=convention,
            changements=[
                {"champ": "Origine", "avant": "—", "apres": f"Copie de la convention {source.annee_scolaire}"}
            ],
        )
    modele = (
        source.versions_cadrage.filter(statut=StatutCadrage.VALIDEE).order_by("-numero").first()
        or source.versions_cadrage.order_by("-numero").first()
    )
    ameliorations = annee_suivante.ameliorations(source)
    if not (modele or ameliorations):
        return
    if modele:
        version = _copier_version(modele, dispositif=cible, numero=1, auteur=auteur)
        origine = f"Copie de la version {modele.numero} de {source.annee_scolaire}"
        changements = [{"champ": "Origine", "avant": "—", "apres": origine}]
    else:
        version = VersionCadrage.objects.create(dispositif=cible, numero=1, cree_par=auteur)
        changements = []
    if ameliorations:
        version.objectifs = annee_suivante.objectifs_avec_ameliorations(version.objectifs, source, ameliorations)
        version.save(update_fields=["objectifs"])
        changements.append(
            {
                "champ": "Améliorations reprises",
                "avant": "—",
                "apres": f"Bilan {source.annee_scolaire} : " + " ; ".join(a.strip() for a in ameliorations),
            }
        )
    _tracer(dispositif=cible, auteur=auteur, action=ActionHistorique.CREATION, version=version, changements=changements)


def _copier_version(modele: VersionCadrage, *, dispositif, numero, auteur) -> VersionCadrage:
    version = VersionCadrage(dispositif=dispositif, numero=numero, cree_par=auteur)
    for champ in CHAMPS_CADRAGE:
        setattr(version, champ, getattr(modele, champ))
    version.save()
    Comite.objects.bulk_create(
        [Comite(version=version, nom=c.nom, membres=c.membres, frequence=c.frequence) for c in modele.comites.all()]
    )
    return version


# --- Convention -----------------------------------------------------------------------


@transaction.atomic
def convention_creer(*, dispositif, partenaire, auteur) -> Convention:
    """A draft convention with `partenaire`, who becomes the dispositif's coordinating partner if it has none."""
    if dispositif.conventions.filter(partenaire=partenaire).exists():
        raise ValidationError("Une convention existe déjà avec ce partenaire pour cette année.")
    if dispositif.partenaire_id is None:
        dispositif.partenaire = partenaire
        dispositif.save(update_fields=["partenaire"])
    convention = Convention.objects.create(
        dispositif=dispositif,
        partenaire=partenaire,
        date_debut=dispositif.date_debut,
        date_fin=dispositif.date_fin,
    )
    _tracer(dispositif=dispositif, auteur=auteur, action=ActionHistorique.CREATION, convention=convention)
    return convention


@transaction.atomic
def convention_modifier(*, convention, valeurs: dict, auteur) -> Convention:
    """Apply `valeurs` (field → value) to a draft convention, validate it and trace what changed.

    A signed convention is read-only (an avenant changes it); a submitted one goes back to draft.
    """
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.est_signee:
        raise ConventionSignee()
    changements = _appliquer(convention, CHAMPS_CONVENTION, valeurs)
    convention.full_clean()
    if changements:
        if convention.statut == StatutConvention.SOUMISE:
            changements.append({"champ": "Statut", "avant": "Soumise à signature", "apres": "Brouillon"})
            convention.statut = StatutConvention.BROUILLON
        convention.save()
        _tracer(
            dispositif=convention.dispositif,
            auteur=auteur,
            action=ActionHistorique.MODIFICATION,
            convention=convention,
            changements=changements,
        )
    return convention


def _convention_verrouillee(convention) -> Convention:
    return (
        Convention.objects.select_for_update()
        .select_related("dispositif__etablissement", "partenaire")
        .get(pk=convention.pk)
    )


@transaction.atomic
def convention_soumettre(*, convention, auteur) -> Convention:
    """The référent hands the complete draft to the chef d'établissement for signature."""
    convention = _convention_verrouillee(convention)
    if convention.statut != StatutConvention.BROUILLON:
        raise ValidationError("Seule une convention en brouillon peut être soumise à la signature.")
    # Points of vigilance left empty are flagged on the page; the chef judges them and may send it back.
    if not (convention.date_debut and convention.date_fin):
        raise ValidationError("Avant de soumettre, complétez la période de l’engagement.")
    convention.statut = StatutConvention.SOUMISE
    convention.save(update_fields=["statut"])
    _tracer_statut(
        convention, auteur=auteur, action=ActionHistorique.SOUMISSION, avant="Brouillon", apres="Soumise à signature"
    )
    _prevenir_le_lp(
        convention,
        role=Role.CHEF,
        sujet="Convention à signer",
        message=f"{_nom(auteur)} soumet la convention avec {convention.partenaire} à votre signature : "
        "vous pouvez la signer ou la renvoyer pour modification.",
        libelle_lien="Lire la convention",
    )
    return convention


@transaction.atomic
def convention_renvoyer(*, convention, auteur, commentaire: str) -> Convention:
    """The chef d'établissement sends the submitted convention back to draft, saying what to change."""
    convention = _convention_verrouillee(convention)
    if convention.statut != StatutConvention.SOUMISE:
        raise ValidationError("Seule une convention soumise à la signature peut être renvoyée pour modification.")
    commentaire = _commentaire_de_renvoi(commentaire)
    convention.statut = StatutConvention.BROUILLON
    convention.save(update_fields=["statut"])
    _tracer_statut(
        convention,
        auteur=auteur,
        action=ActionHistorique.RENVOI,
        avant="Soumise à signature",
        apres="Brouillon",
        commentaire=commentaire,
    )
    _prevenir_le_lp(
        convention,
        role=Role.REFERENT,
        sujet="Convention renvoyée pour modification",
        message=f"{_nom(auteur)} renvoie la convention avec {convention.partenaire} pour modification.",
        libelle_lien="Reprendre la convention",
        auteur=_nom(auteur),
        commentaire=commentaire,
    )
    return convention


@transaction.atomic
def convention_signer_partenaire(*, convention, auteur, date_signature: date) -> Convention:
    """The partner's responsable records the association's signature of the submitted convention."""
    convention = _convention_verrouillee(convention)
    if convention.statut != StatutConvention.SOUMISE:
        raise ValidationError("Seule une convention soumise à la signature peut être signée.")
    convention.signataire_partenaire = _nom(auteur)
    convention.date_signature_partenaire = date_signature
    convention.signee_partenaire_par = auteur
    convention.full_clean()
    convention.save()
    _tracer(
        dispositif=convention.dispositif,
        auteur=auteur,
        action=ActionHistorique.SIGNATURE,
        convention=convention,
        changements=[
            {
                "champ": "Signature du partenaire",
                "avant": "—",
                "apres": f"{convention.signataire_partenaire}, le {date_signature:%d/%m/%Y}",
            }
        ],
    )
    return convention


@transaction.atomic
def convention_signer(
    *, convention, auteur, date_signature: date, signataire_partenaire: str = "", date_signature_partenaire=None
) -> Convention:
    """The chef d'établissement signs the submitted convention, which is then read-only.

    The partner's signature is the one its responsable recorded; without it, the chef
    records the partner's signatory and date from the signed paper.
    """
    convention = _convention_verrouillee(convention)
    if convention.statut != StatutConvention.SOUMISE:
        raise ValidationError("Seule une convention soumise à la signature peut être signée.")
    if convention.date_signature_partenaire is None:
        erreurs = {}
        if not (signataire_partenaire or "").strip():
            erreurs["signataire_partenaire"] = "Indiquez qui a signé pour le partenaire."
        if not date_signature_partenaire:
            erreurs["date_signature_partenaire"] = "Indiquez la date de signature du partenaire."
        if erreurs:
            raise ValidationError(erreurs)
        convention.signataire_partenaire = signataire_partenaire.strip()
        convention.date_signature_partenaire = date_signature_partenaire
    convention.signataire_etablissement = _nom(auteur)
    convention.date_signature_etablissement = date_signature
    convention.signee_par = auteur
    convention.statut = StatutConvention.SIGNEE
    convention.texte_signe = texte_signe(convention)
    convention.full_clean()
    convention.save()
    _tracer(
        dispositif=convention.dispositif,
        auteur=auteur,
        action=ActionHistorique.SIGNATURE,
        convention=convention,
        changements=[
            {"champ": "Statut", "avant": "Soumise à signature", "apres": "Signée"},
            {
                "champ": "Signature de l’établissement",
                "avant": "—",
                "apres": f"{convention.signataire_etablissement}, le {date_signature:%d/%m/%Y}",
            },
            {
                "champ": "Signature du partenaire",
                "avant": "—",
                "apres": f"{convention.signataire_partenaire}, le {convention.date_signature_partenaire:%d/%m/%Y}",
            },
        ],
    )
    return convention


@transaction.atomic
def avenant_signer(*, convention, auteur, objet: str, date_signature: date, valeurs: dict) -> Avenant:
    """Record an avenant the chef d'établissement signed: it changes the signed convention's text.

    The avenant keeps each change (before, after); the text first signed stays in
    `texte_signe`, so every state of the convention remains readable.
    """
    convention = _convention_verrouillee(convention)
    if not convention.est_signee:
        raise ValidationError("Seule une convention signée se modifie par avenant ; modifiez directement ce brouillon.")
    changements = _appliquer(convention, CHAMPS_CONVENTION, valeurs)
    if not changements:
        raise ValidationError("Cet avenant ne change rien à la convention : modifiez au moins un point.")
    convention.full_clean()
    convention.save()
    return _avenant_enregistrer(
        convention=convention, auteur=auteur, objet=objet, date_signature=date_signature, changements=changements
    )


def _avenant_enregistrer(*, convention, auteur, objet: str, date_signature: date, changements: list) -> Avenant:
    """The next avenant of `convention` (numbered after its last one), saved and traced in its history:
    an avenant the chef signed, or one renewing the convention for the next year (reconduction)."""
    numero = (convention.avenants.aggregate(n=Max("numero"))["n"] or 0) + 1
    avenant = Avenant(
        convention=convention,
        numero=numero,
        objet=(objet or "").strip(),
        date_signature=date_signature,
        changements=changements,
        signe_par=auteur,
    )
    avenant.full_clean()
    avenant.save()
    _tracer(
        dispositif=convention.dispositif,
        auteur=auteur,
        action=ActionHistorique.AVENANT,
        convention=convention,
        changements=changements,
        commentaire=f"Avenant n° {numero} signé le {date_signature:%d/%m/%Y} : {avenant.objet}",
    )
    return avenant


# --- Document de cadrage --------------------------------------------------------------


@transaction.atomic
def cadrage_nouvelle_version(*, dispositif, auteur) -> VersionCadrage:
    """The draft to write in: the open one if there is one, else a copy of the latest version."""
    Dispositif.objects.select_for_update().filter(pk=dispositif.pk).first()
    ouverte = dispositif.versions_cadrage.exclude(statut=StatutCadrage.VALIDEE).order_by("-numero").first()
    if ouverte:
        return ouverte
    derniere = dispositif.versions_cadrage.order_by("-numero").first()
    numero = (dispositif.versions_cadrage.aggregate(n=Max("numero"))["n"] or 0) + 1
    if derniere:
        version = _copier_version(derniere, dispositif=dispositif, numero=numero, auteur=auteur)
    else:
        version = VersionCadrage.objects.create(dispositif=dispositif, numero=numero, cree_par=auteur)
    _tracer(
        dispositif=dispositif,
        auteur=auteur,
        action=ActionHistorique.CREATION,
        version=version,
        changements=[{"champ": "Origine", "avant": "—", "apres": f"Reprise de la version {derniere.numero}"}]
        if derniere
        else [],
    )
    return version


def _texte_comite(c) -> str:
    return f"{c['nom']} ({c['frequence']})"


def _texte_comites(comites) -> str:
    return " ; ".join(map(_texte_comite, comites)) or "—"


@transaction.atomic
def cadrage_modifier(*, version, valeurs: dict, comites: list[dict], auteur) -> VersionCadrage:
    """Write a draft version. A validated version is frozen; a submitted one goes back to draft."""
    version = VersionCadrage.objects.select_for_update().get(pk=version.pk)
    if version.est_validee:
        raise CadrageFige()
    changements = _appliquer(version, CHAMPS_CADRAGE, valeurs)
    anciens = [{"nom": c.nom, "membres": c.membres, "frequence": c.frequence} for c in version.comites.all()]
    if anciens != comites:
        changements.append(
            {
                "champ": LIBELLE_COMITOLOGIE,
                "avant": _texte_comites(anciens),
                "apres": _texte_comites(comites),
                **_ecarts(list(map(_texte_comite, anciens)), list(map(_texte_comite, comites))),
            }
        )
        version.comites.all().delete()
        Comite.objects.bulk_create([Comite(version=version, **c) for c in comites])
    if changements:
        if version.statut == StatutCadrage.SOUMISE:
            changements.append({"champ": "Statut", "avant": "Soumise à validation", "apres": "Brouillon"})
            version.statut = StatutCadrage.BROUILLON
            version.soumise_le = None
        version.full_clean()
        version.save()
        _tracer(
            dispositif=version.dispositif,
            auteur=auteur,
            action=ActionHistorique.MODIFICATION,
            version=version,
            changements=changements,
        )
    return version


@transaction.atomic
def cadrage_soumettre(*, version, auteur) -> VersionCadrage:
    """The référent hands the draft to the chef d'établissement for validation."""
    version = VersionCadrage.objects.select_for_update().get(pk=version.pk)
    if version.statut != StatutCadrage.BROUILLON:
        raise ValidationError("Seul un brouillon peut être soumis à validation.")
    manquants = [
        libelle
        for champ, libelle in (("objectifs", "les objectifs"), ("public_cible", "le public ciblé"))
        if not getattr(version, champ).strip()
    ]
    if version.duree_mois is None and not version.duree_precisions.strip():
        manquants.append("la durée du mentorat")
    if manquants:
        raise ValidationError(f"Avant de soumettre, complétez {', '.join(manquants)}.")
    version.statut = StatutCadrage.SOUMISE
    version.soumise_le = timezone.now()
    version.save(update_fields=["statut", "soumise_le"])
    _tracer_statut(
        version, auteur=auteur, action=ActionHistorique.SOUMISSION, avant="Brouillon", apres="Soumise à validation"
    )
    _prevenir_le_lp(
        version,
        role=Role.CHEF,
        sujet="Document de cadrage à valider",
        message=f"{_nom(auteur)} soumet la version {version.numero} du document de cadrage "
        f"{version.dispositif.annee_scolaire} à votre validation : vous pouvez la valider ou la renvoyer "
        "pour modification.",
        libelle_lien="Lire la version soumise",
    )
    return version


@transaction.atomic
def cadrage_renvoyer(*, version, auteur, commentaire: str) -> VersionCadrage:
    """The chef d'établissement sends a submitted version back to draft, saying what to change."""
    version = VersionCadrage.objects.select_for_update().select_related("dispositif__etablissement").get(pk=version.pk)
    if version.statut != StatutCadrage.SOUMISE:
        raise ValidationError("Seule une version soumise à validation peut être renvoyée pour modification.")
    commentaire = _commentaire_de_renvoi(commentaire)
    version.statut = StatutCadrage.BROUILLON
    version.soumise_le = None
    version.save(update_fields=["statut", "soumise_le"])
    _tracer_statut(
        version,
        auteur=auteur,
        action=ActionHistorique.RENVOI,
        avant="Soumise à validation",
        apres="Brouillon",
        commentaire=commentaire,
    )
    _prevenir_le_lp(
        version,
        role=Role.REFERENT,
        sujet="Document de cadrage renvoyé pour modification",
        message=f"{_nom(auteur)} renvoie la version {version.numero} du document de cadrage "
        f"{version.dispositif.annee_scolaire} pour modification.",
        libelle_lien="Reprendre la version",
        auteur=_nom(auteur),
        commentaire=commentaire,
    )
    return version


@transaction.atomic
def cadrage_valider(*, version, auteur) -> VersionCadrage:
    """The chef d'établissement validates a submitted version, which is then frozen."""
    version = VersionCadrage.objects.select_for_update().get(pk=version.pk)
    if version.statut != StatutCadrage.SOUMISE:
        raise ValidationError("Seule une version soumise à validation peut être validée.")
    version.statut = StatutCadrage.VALIDEE
    version.validee_par = auteur
    version.validee_le = timezone.now()
    version.save(update_fields=["statut", "validee_par", "validee_le"])
    _tracer_statut(
        version, auteur=auteur, action=ActionHistorique.VALIDATION, avant="Soumise à validation", apres="Validée"
    )
    return version


# --- Frise ----------------------------------------------------------------------------


def jalon_modifier(*, jalon: Jalon, statut: str, commentaire: str, auteur) -> Jalon:
    """Fix the milestone's status by hand (`statut`), or give it back to the data (`statut=""`).

    The author and the moment are kept either way: the frise says who fixed a status.
    """
    jalon.statut = statut
    jalon.commentaire = commentaire
    jalon.modifie_par = auteur
    jalon.modifie_le = timezone.now()
    jalon.save(update_fields=["statut", "commentaire", "modifie_par", "modifie_le"])
    return jalon

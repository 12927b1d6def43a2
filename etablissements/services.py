"""Writes of the « cadre du dispositif » that touch several rows or leave a trace.

Each service takes keyword-only arguments, runs in one transaction and writes the
history row (`Modification`) of a convention or cadrage change in that same
transaction: a change is never saved without its trace.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import frise
from .models import Comite, Convention, Dispositif, Jalon, MembreEquipe, Modification, VersionCadrage
from .models.cadrage import StatutCadrage
from .models.convention import POINTS_DE_VIGILANCE, StatutConvention
from .models.historique import ActionHistorique

# The fields staff type in a convention and a cadrage version: their forms show exactly these,
# and the history (`Modification`) records each change among them.
CHAMPS_CONVENTION = [
    "statut",
    "date_debut",
    "date_fin",
    *[champ for champ, _libelle, _aide in POINTS_DE_VIGILANCE],
    "cout_estime",
    "couts",
    "prise_en_charge",
    "signataire_etablissement",
    "date_signature_etablissement",
    "signataire_partenaire",
    "date_signature_partenaire",
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


class CadrageFige(PermissionDenied):
    """A validated version of the cadrage is frozen."""

    def __init__(self):
        super().__init__("Cette version du document de cadrage est validée : elle ne peut plus être modifiée.")


def _texte(instance, champ, valeur) -> str:
    """A value as a person reads it in the history."""
    field = instance._meta.get_field(champ)
    if valeur in (None, "", []):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(valeur, valeur))
    if isinstance(valeur, list):
        libelles = getattr(instance, f"get_{champ}_display", None)
        if libelles:
            ancienne = getattr(instance, champ)
            setattr(instance, champ, valeur)
            texte = ", ".join(libelles())
            setattr(instance, champ, ancienne)
            return texte or "—"
        return ", ".join(map(str, valeur))
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    return str(valeur)


def _appliquer(instance, champs, valeurs: dict) -> list[dict]:
    """Set `valeurs` on `instance`; return the changes as history entries."""
    changements = []
    for champ in champs:
        if champ not in valeurs:
            continue
        avant, apres = getattr(instance, champ), valeurs[champ]
        if avant != apres:
            changements.append(
                {
                    "champ": str(instance._meta.get_field(champ).verbose_name),
                    "avant": _texte(instance, champ, avant),
                    "apres": _texte(instance, champ, apres),
                }
            )
            setattr(instance, champ, apres)
    return changements


def _tracer(*, dispositif, auteur, action, convention=None, version=None, changements=()):
    Modification.objects.create(
        dispositif=dispositif,
        convention=convention,
        version_cadrage=version,
        auteur=auteur,
        action=action,
        changements=list(changements),
    )


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
    if modele:
        version = _copier_version(modele, dispositif=cible, numero=1, auteur=auteur)
        _tracer(
            dispositif=cible,
            auteur=auteur,
            action=ActionHistorique.CREATION,
            version=version,
            changements=[
                {
                    "champ": "Origine",
                    "avant": "—",
                    "apres": f"Copie de la version {modele.numero} de {source.annee_scolaire}",
                }
            ],
        )


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
    """Apply `valeurs` (field → value) to the convention, validate it and trace what changed."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    changements = _appliquer(convention, CHAMPS_CONVENTION, valeurs)
    convention.full_clean()
    if changements:
        convention.save()
        _tracer(
            dispositif=convention.dispositif,
            auteur=auteur,
            action=ActionHistorique.MODIFICATION,
            convention=convention,
            changements=changements,
        )
    return convention


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


def _texte_comites(comites) -> str:
    return " ; ".join(f"{c['nom']} ({c['frequence']})" for c in comites) or "—"


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
            {"champ": LIBELLE_COMITOLOGIE, "avant": _texte_comites(anciens), "apres": _texte_comites(comites)}
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
    _tracer(
        dispositif=version.dispositif,
        auteur=auteur,
        action=ActionHistorique.SOUMISSION,
        version=version,
        changements=[{"champ": "Statut", "avant": "Brouillon", "apres": "Soumise à validation"}],
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
    _tracer(
        dispositif=version.dispositif,
        auteur=auteur,
        action=ActionHistorique.VALIDATION,
        version=version,
        changements=[{"champ": "Statut", "avant": "Soumise à validation", "apres": "Validée"}],
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

"""The objectives of a binôme: the cadrage's objectives to pick from, writes, and their history.

The progress of an objective is noted at the séances, an app above this one: it registers
with `enregistrer_historique` the function that reads it, so that the binôme's page shows
each objective with its history without this app importing the séances.
"""

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from etablissements.models import VersionCadrage
from etablissements.models.cadrage import StatutCadrage

from .models import OBJECTIFS_MAX, Binome, ObjectifBinome, OrigineObjectif, StatutObjectif

MESSAGE_MAX = (
    f"Un binôme suit au plus {OBJECTIFS_MAX} objectifs : la fiche en conseille deux ou trois, "
    "choisis avec l’élève. Abandonnez ou regroupez un objectif avant d’en ajouter un."
)

# fonction(objectifs) -> {objectif id: [entries, most recent first]}; an entry has date, note, statut.
Historique = Callable[[list[ObjectifBinome]], dict[int, list]]
_HISTORIQUES: list[Historique] = []


def enregistrer_historique(fonction: Historique) -> None:
    if fonction not in _HISTORIQUES:
        _HISTORIQUES.append(fonction)


def avec_historique(objectifs: Iterable[ObjectifBinome]) -> list[ObjectifBinome]:
    """The objectives, each with `.historique`: what the registered apps know of its progress."""
    objectifs = list(objectifs)
    for objectif in objectifs:
        objectif.historique = []
    for fonction in _HISTORIQUES:
        entrees = fonction(objectifs)
        for objectif in objectifs:
            objectif.historique.extend(entrees.get(objectif.pk, []))
    return objectifs


def objectifs_du_cadrage(dispositif) -> list[str]:
    """The objectives of the dispositif's cadrage, one per line or sentence, to pick from.

    The cadrage's objectives are one free text; the last validated version is the one agreed on
    (a draft when none is validated yet).
    """
    versions = VersionCadrage.objects.filter(dispositif=dispositif).order_by("-numero")
    version = versions.filter(statut=StatutCadrage.VALIDEE).first() or versions.first()
    if version is None:
        return []
    morceaux = re.split(r"\n+|(?<=[.;!?])\s+", version.objectifs)
    libelles = [m.strip(" -•*\t;").rstrip(".").strip() for m in morceaux]
    return list(dict.fromkeys(libelle[:200] for libelle in libelles if libelle))


def verifier_place(binome, ajoutes: int = 1):
    """Refuse when the pair would follow more than OBJECTIFS_MAX objectives (abandoned ones aside)."""
    suivis = ObjectifBinome.objects.filter(binome=binome).exclude(statut=StatutObjectif.ABANDONNE).count()
    if suivis + ajoutes > OBJECTIFS_MAX:
        raise ValidationError(MESSAGE_MAX)


@transaction.atomic
def objectif_ajouter(*, binome: Binome, libelle: str, origine: str = OrigineObjectif.LIBRE) -> ObjectifBinome:
    """Add an objective to the pair, up to OBJECTIFS_MAX followed (abandoned ones do not count)."""
    # Lock the pair so that two entries at once cannot pass the maximum together.
    binome = Binome.objects.select_for_update().get(pk=binome.pk)
    verifier_place(binome)
    dernier = ObjectifBinome.objects.filter(binome=binome).aggregate(m=Max("ordre"))["m"]
    return ObjectifBinome.objects.create(
        binome=binome, libelle=libelle.strip(), origine=origine, ordre=0 if dernier is None else dernier + 1
    )


def objectifs_depuis_texte(*, binome: Binome, texte: str) -> list[ObjectifBinome]:
    """One objective per non-empty line of `texte` (the binôme creation form)."""
    lignes = [ligne.strip(" -•*\t") for ligne in texte.splitlines()]
    lignes = [ligne for ligne in lignes if ligne]
    if len(lignes) > OBJECTIFS_MAX:
        raise ValidationError(MESSAGE_MAX)
    return [objectif_ajouter(binome=binome, libelle=ligne[:200]) for ligne in lignes]


@transaction.atomic
def objectif_modifier(*, objectif: ObjectifBinome, libelle: str, statut: str) -> ObjectifBinome:
    """Rename an objective or change its status; taking back an abandoned one counts in the maximum."""
    if objectif.statut == StatutObjectif.ABANDONNE and statut != StatutObjectif.ABANDONNE:
        verifier_place(objectif.binome)
    changer_statut(objectif, statut, timezone.localdate())
    objectif.libelle = libelle.strip()
    objectif.save()
    return objectif


def changer_statut(objectif: ObjectifBinome, statut: str, jour) -> None:
    """Set the status and the day it was fixed (no day while in progress); the caller saves."""
    if statut != objectif.statut:
        objectif.statut = statut
        objectif.statut_le = None if statut == StatutObjectif.EN_COURS else jour


def objectifs_par_statut(dispositif) -> dict[str, int]:
    """{"atteint": n, "en_cours": n, "abandonne": n}: the dispositif's objectives counted, no names."""
    return ObjectifBinome.objects.filter(binome__dispositif=dispositif).aggregate(
        **{s.value: Count("pk", filter=Q(statut=s.value)) for s in StatutObjectif}
    )

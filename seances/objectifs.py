"""The progress of the binômes' objectives, noted at the séances.

A séance's binômes are the pairs of its dispositif whose mentor and student are both among
its participants: the progress of their objectives is noted there.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from binomes.models import Binome, ObjectifBinome, StatutObjectif
from binomes.objectifs import changer_statut, verifier_place

from . import services
from .models import AvancementObjectif, Seance


@dataclass
class Saisie:
    objectif: ObjectifBinome
    note: str
    statut: str


def binomes_de_la_seance(seance: Seance) -> list[Binome]:
    """The pairs of the séance (`services.binomes_de_la_seance`), with their objectives."""
    return list(services.binomes_de_la_seance(seance).prefetch_related("objectifs_suivis"))


def historique(objectifs: list[ObjectifBinome]) -> dict[int, list[dict]]:
    """{objectif id: the progress noted at each séance, most recent first}, in one query."""
    entrees = defaultdict(list)
    avancements = (
        AvancementObjectif.objects.filter(objectif__in=[o.pk for o in objectifs])
        .select_related("seance")
        .order_by("-seance__date", "-pk")
    )
    for a in avancements:
        entrees[a.objectif_id].append(
            {"date": a.seance.date, "note": a.note, "statut": a.get_statut_apres_display(), "seance": a.seance}
        )
    return entrees


@transaction.atomic
def avancements_enregistrer(*, seance: Seance, saisies: list[Saisie], auteur) -> int:
    """Record where each objective stood after the séance; the objective takes that status
    unless a later séance has already noted it (noting an old séance does not undo a newer fact).

    Returns the number of objectives noted. Only objectives of the séance's binômes are accepted;
    taking back an abandoned objective beyond the pair's maximum raises ValidationError (nothing written).
    """
    permis = {o.pk for b in binomes_de_la_seance(seance) for o in b.objectifs_suivis.all()}
    saisies = [s for s in saisies if s.objectif.pk in permis]
    plus_recents = set(
        AvancementObjectif.objects.filter(
            objectif__in=[s.objectif.pk for s in saisies], seance__date__gt=seance.date
        ).values_list("objectif_id", flat=True)
    )
    for saisie in saisies:
        if saisie.objectif.statut == StatutObjectif.ABANDONNE and saisie.statut != StatutObjectif.ABANDONNE:
            # Taken back: it counts again in the pair's maximum.
            verifier_place(saisie.objectif.binome)
        AvancementObjectif.objects.update_or_create(
            seance=seance,
            objectif=saisie.objectif,
            defaults={"note": saisie.note.strip(), "statut_apres": saisie.statut, "saisi_par": auteur},
        )
        if saisie.objectif.pk not in plus_recents:
            changer_statut(saisie.objectif, saisie.statut, seance.date)
            saisie.objectif.save(update_fields=["statut", "statut_le"])
    return len(saisies)

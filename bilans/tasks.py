from celery import shared_task

from etablissements.models import Dispositif
from etablissements.models.dispositif import annee_scolaire_courante
from socle.routeur import lecture_replique

from . import national, rapports
from .indicateurs import rafraichir, tableaux_perimes


@shared_task
def construire_rapport(rapport_id: int) -> str:
    """Build one year-end report (safe to run twice: see `rapports.rapport_construire`)."""
    return rapports.rapport_construire(rapport_id=rapport_id)


@shared_task
def relancer_rapports() -> int:
    """Beat job: ask again for the reports whose build was lost (worker killed, broker down)."""
    return rapports.rapports_relancer()


@shared_task
def rafraichir_indicateurs() -> int:
    """Recompute the current year's indicators of every dispositif into the cache (dashboards of many LPs)."""
    # Dated figures: read from the replica when there is one (its lag is shown beside them).
    with lecture_replique():
        ids = list(Dispositif.objects.filter(annee=annee_scolaire_courante()).values_list("pk", flat=True))
        for debut in range(0, len(ids), 500):
            rafraichir(ids[debut : debut + 500])
    tableaux_perimes()
    # The national pilots' table: the whole country grouped by académie, in five queries.
    national.rafraichir(annee_scolaire_courante())
    return len(ids)

from celery import shared_task

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
    """Recompute the current year's indicators of every dispositif into the cache and the database
    (dashboards of many LPs), one set-based pass per académie, then the country's table from them."""
    annee = annee_scolaire_courante()
    entrees = {}
    # Dated figures: read from the replica when there is one (its lag is shown beside them).
    with lecture_replique():
        par_academie = national.dispositifs_par_academie(annee)
        for ids in par_academie.values():
            entrees.update(rafraichir(ids, enregistrer=True))
        tableaux_perimes()
        national.rafraichir(annee, par_academie, entrees)
    return len(entrees)

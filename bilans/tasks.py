import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def construire_rapport(rapport_id: int) -> str:
    """Build one year-end report. A failure is recorded as "échec" on the report, which can be asked again."""
    from .models import RapportAnnuel, StatutRapport
    from .rapports import construire

    rapport = RapportAnnuel.objects.select_related("dispositif__etablissement").filter(pk=rapport_id).first()
    if rapport is None:
        return "absent"
    RapportAnnuel.objects.filter(pk=rapport_id).update(statut=StatutRapport.EN_COURS)
    try:
        construire(rapport)
    except Exception as erreur:
        logger.exception("Échec de la génération du rapport %s", rapport_id)
        RapportAnnuel.objects.filter(pk=rapport_id).update(
            statut=StatutRapport.ECHEC, erreur=f"{type(erreur).__name__} : {erreur}"[:255]
        )
        return "echec"
    return "pret"


@shared_task
def rafraichir_indicateurs() -> int:
    """Recompute the current year's indicators of every dispositif into the cache (dashboards of many LPs)."""
    from etablissements.models import Dispositif, annee_scolaire_courante

    from .indicateurs import rafraichir, tableaux_perimes

    ids = list(Dispositif.objects.filter(annee=annee_scolaire_courante()).values_list("pk", flat=True))
    for debut in range(0, len(ids), 500):
        rafraichir(ids[debut : debut + 500])
    tableaux_perimes()
    return len(ids)

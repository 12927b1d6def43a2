"""The year-end report of a dispositif: what goes into it, and its build in the background."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from etablissements.models import Dispositif, LigneBudget
from mentorat.pdf import rendre_pdf
from mentorat.tasks import apres_commit
from seances.models import Seance, StatutSeance, TypeSeance

from . import graphiques, services
from .indicateurs import ORDRE, indicateurs_par_dispositif
from .models import BilanQualitatif, Enquete, RapportAnnuel, StatutRapport

COMPARES = ["absenteisme", "abandon", "reussite", "insertion"]


def contenu(dispositif: Dispositif) -> dict:
    """Everything the report shows, from the data: indicators (and N-1), actions, satisfaction, review, budget."""
    precedent = Dispositif.objects.filter(etablissement=dispositif.etablissement, annee=dispositif.annee - 1).first()
    valeurs = indicateurs_par_dispositif([d.pk for d in (dispositif, precedent) if d])
    courant = valeurs[dispositif.pk]
    ancien = valeurs[precedent.pk] if precedent else None
    series = [
        graphiques.Serie(
            dispositif.annee_scolaire, [courant[c].valeur for c in COMPARES], [courant[c].affichage for c in COMPARES]
        )
    ]
    if ancien:
        series.append(
            graphiques.Serie(
                precedent.annee_scolaire, [ancien[c].valeur for c in COMPARES], [ancien[c].affichage for c in COMPARES]
            )
        )
    actions = (
        Seance.objects.filter(dispositif=dispositif, statut=StatutSeance.TENUE)
        .values("type")
        .annotate(nombre=Count("id"), participants=Count("participations__eleve", distinct=True))
        .order_by("-nombre")
    )
    enquetes = [
        {"enquete": enquete, "resultats": services.resultats(enquete)}
        for enquete in Enquete.objects.filter(dispositif=dispositif).order_by("population")
    ]
    return {
        "dispositif": dispositif,
        "etablissement": dispositif.etablissement,
        "precedent": precedent,
        "indicateurs": [courant[c] for c in ORDRE],
        "comparaison": [(courant[c], ancien[c] if ancien else None) for c in ORDRE],
        "graphique": graphiques.barres(
            "Taux de l’année comparés à l’année précédente",
            "Taux d’absentéisme, d’abandon, de réussite et d’insertion, en pourcentage.",
            [courant[c].libelle for c in COMPARES],
            series,
        ),
        "actions": [
            {"type": TypeSeance(a["type"]).label, "nombre": a["nombre"], "participants": a["participants"]}
            for a in actions
        ],
        "enquetes": enquetes,
        "qualitatif": BilanQualitatif.objects.filter(dispositif=dispositif).first(),
        "budget": LigneBudget.objects.filter(dispositif=dispositif).order_by("type", "pk"),
        "totaux_budget": LigneBudget.objects.filter(dispositif=dispositif).totaux(),
        "genere_le": timezone.now(),
    }


def construire(rapport: RapportAnnuel) -> None:
    """Render the PDF and store it in place of the previous one."""
    dispositif = rapport.dispositif
    titre = f"Rapport annuel du dispositif de mentorat {dispositif.annee_scolaire} — {dispositif.etablissement.nom}"
    pdf = rendre_pdf("bilans/rapport_pdf.html", contenu(dispositif), titre=titre)
    ancien = rapport.fichier.name
    rapport.fichier.save(f"rapport-{dispositif.etablissement.uai}-{dispositif.annee}.pdf", ContentFile(pdf), save=False)
    if ancien and ancien != rapport.fichier.name:
        rapport.fichier.storage.delete(ancien)
    rapport.statut = StatutRapport.PRET
    rapport.genere_le = timezone.now()
    rapport.erreur = ""
    rapport.save()


@transaction.atomic
def rapport_demander(*, dispositif: Dispositif) -> RapportAnnuel:
    """Ask for a (new) build of the dispositif's report; the build runs in a Celery task after commit."""
    from .tasks import construire_rapport

    rapport, _ = RapportAnnuel.objects.select_for_update().get_or_create(dispositif=dispositif)
    rapport.statut = StatutRapport.EN_ATTENTE
    rapport.demande_le = timezone.now()
    rapport.erreur = ""
    rapport.save()
    apres_commit(construire_rapport, rapport.pk)
    return rapport

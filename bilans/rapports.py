"""The year-end report of a dispositif: what goes into it, and its build in the background."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from binomes.models import Binome
from binomes.objectifs import objectifs_par_statut
from etablissements.models import Dispositif, LigneBudget
from seances.models import EpisodeRisque, Presence, Seance, StatutSeance, TypeSeance
from socle.formats import compte, nombre
from socle.pdf import rendre_pdf
from socle.routeur import lecture_replique
from socle.tasks import apres_commit

from . import graphiques, services
from .indicateurs import ORDRE, abandonne, commence, indicateurs_par_dispositif
from .models import BilanQualitatif, Enquete, RapportAnnuel, StatutRapport
from .personnalises import mesurer

logger = logging.getLogger(__name__)

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
    actions = _actions(dispositif)
    enquetes = [
        {"enquete": enquete, "resultats": services.resultats(enquete)}
        for enquete in Enquete.objects.filter(dispositif=dispositif).order_by("population")
    ]
    return {
        "dispositif": dispositif,
        "etablissement": dispositif.etablissement,
        "precedent": precedent,
        "indicateurs": [courant[c] for c in ORDRE],
        "indicateurs_propres": mesurer([dispositif.pk])[dispositif.pk],
        "comparaison": [(courant[c], ancien[c] if ancien else None) for c in ORDRE],
        "graphique": graphiques.barres(
            "Taux de l’année comparés à l’année précédente",
            "Taux d’absentéisme, d’abandon, de réussite et d’insertion, en pourcentage.",
            [courant[c].libelle for c in COMPARES],
            series,
        ),
        "abandons_et_risque": abandons_et_risque(dispositif),
        "actions": [
            {"type": TypeSeance(a["type"]).label, "nombre": a["nombre"], "participants": a["participants"]}
            for a in actions
        ],
        "enquetes": enquetes,
        "objectifs": objectifs_par_statut(dispositif),
        # An empty review when none was written: the report says "Non renseigné." for each part.
        "qualitatif": BilanQualitatif.objects.filter(dispositif=dispositif).first()
        or BilanQualitatif(dispositif=dispositif),
        "budget": LigneBudget.objects.filter(dispositif=dispositif).order_by("type", "pk"),
        "totaux_budget": LigneBudget.objects.filter(dispositif=dispositif).totaux(),
        "genere_le": timezone.now(),
    }


def abandons_et_risque(dispositif: Dispositif) -> str:
    """The abandon rate read against the health signals, in one sentence of aggregates (no name).

    The abandoned binômes are those the « Taux d’abandon » counts; one was signalled when the daily
    alert job had found it « en risque » (an EpisodeRisque) on or before its end.
    """
    signale = EpisodeRisque.objects.filter(binome=OuterRef("pk")).filter(
        Q(binome__date_fin__isnull=True) | Q(debut__lte=F("binome__date_fin"))
    )
    chiffres = (
        Binome.objects.filter(commence(), abandonne(), dispositif=dispositif)
        .annotate(signale=Exists(signale))
        .aggregate(rompus=Count("pk"), signales=Count("pk", filter=Q(signale=True)))
    )
    rompus, signales = chiffres["rompus"], chiffres["signales"]
    if not rompus:
        return "Aucun binôme n’a été rompu avant sa fin prévue."
    sur = f"Sur {compte(rompus, 'binôme rompu avant sa fin prévue', 'binômes rompus avant leur fin prévue')}"
    if not signales:
        return f"{sur}, aucun n’avait été signalé en risque auparavant."
    if signales == 1:
        return f"{sur}, 1 avait été signalé en risque auparavant."
    return f"{sur}, {nombre(signales)} avaient été signalés en risque auparavant."


def _actions(dispositif: Dispositif):
    """The "Actions menées" table: per kind of séance, the séances held and the students present.

    Séances are counted once each, not once per participant: the join on the participations
    (to count the students) repeats a séance on each of its rows, hence `distinct` on both counts.
    A student counts once per kind however many séances they attended, and only when present
    (an absent student did not take part in the action); planned and cancelled séances do not count.
    """
    return (
        Seance.objects.filter(dispositif=dispositif, statut=StatutSeance.TENUE)
        .values("type")
        .annotate(
            nombre=Count("id", distinct=True),
            participants=Count(
                "participations__eleve", distinct=True, filter=Q(participations__presence=Presence.PRESENT)
            ),
        )
        .order_by("-nombre", "type")
    )


def construire(rapport: RapportAnnuel) -> None:
    """Render the PDF and store it, under the one name the dispositif's report has.

    A previous file of that name is removed first, so that a build run twice (a worker killed
    after writing the file, a message delivered again) leaves one file, not a suffixed copy.
    """
    dispositif = rapport.dispositif
    titre = f"Rapport annuel du dispositif de mentorat {dispositif.annee_scolaire} — {dispositif.etablissement.nom}"
    # The content only reads: from the replica when there is one and it already holds everything
    # committed before the build started (the data the user entered before asking), else the primary.
    with lecture_replique(rattrapage=True, en_transaction=True):
        pdf = rendre_pdf("bilans/rapport_pdf.html", contenu(dispositif), titre=titre)
    stockage = rapport.fichier.storage
    nom = f"rapport-{dispositif.etablissement.uai}-{dispositif.annee}.pdf"
    chemin = rapport.fichier.field.generate_filename(rapport, nom)
    ancien = rapport.fichier.name
    if stockage.exists(chemin):
        stockage.delete(chemin)
    rapport.fichier.save(nom, ContentFile(pdf), save=False)
    if ancien and ancien != rapport.fichier.name:
        stockage.delete(ancien)
    rapport.statut = StatutRapport.PRET
    rapport.genere_le = timezone.now()
    rapport.erreur = ""
    rapport.save()


A_CONSTRUIRE = (StatutRapport.EN_ATTENTE, StatutRapport.EN_COURS)
# By name: the task module calls this one, which must not import it back.
TACHE_CONSTRUIRE = "bilans.tasks.construire_rapport"


@transaction.atomic
def rapport_demander(*, dispositif: Dispositif) -> RapportAnnuel:
    """Ask for a (new) build of the dispositif's report; the build runs in a Celery task after commit.

    The row "en attente" is the durable request: if the broker is down, the beat job
    `rapports_relancer` sends it again.
    """
    rapport, _ = RapportAnnuel.objects.select_for_update().get_or_create(dispositif=dispositif)
    rapport.statut = StatutRapport.EN_ATTENTE
    rapport.demande_le = timezone.now()
    rapport.erreur = ""
    rapport.tentatives = 0
    rapport.save()
    apres_commit(TACHE_CONSTRUIRE, rapport.pk)
    return rapport


def rapport_construire(*, rapport_id: int) -> str:
    """Build a report that is asked for; every change of its state happens here.

    Safe to run twice or concurrently (a message delivered again after a worker died, the
    beat job asking again): a report no longer "en attente" or "en cours" is left alone, and
    the build holds the row's lock, so a second build waits and then finds it ready. The lock
    also tells `rapports_relancer` that a live worker is on it. A failure is recorded as
    "échec", which the user can ask again.
    """
    if not RapportAnnuel.objects.filter(pk=rapport_id, statut__in=A_CONSTRUIRE).update(statut=StatutRapport.EN_COURS):
        return "ignore"
    try:
        with transaction.atomic():
            rapport = (
                RapportAnnuel.objects.select_for_update(of=("self",))
                .select_related("dispositif__etablissement")
                .filter(pk=rapport_id, statut=StatutRapport.EN_COURS)
                .first()
            )
            if rapport is None:
                return "ignore"
            construire(rapport)
    except Exception as erreur:
        logger.exception("Échec de la génération du rapport %s", rapport_id)
        RapportAnnuel.objects.filter(pk=rapport_id).update(
            statut=StatutRapport.ECHEC, erreur=f"{type(erreur).__name__} : {erreur}"[:255]
        )
        return "echec"
    return "pret"


def rapports_relancer() -> int:
    """Beat job: ask again for the reports whose build was lost; returns how many were handled.

    A report still "en attente" or "en cours" RAPPORT_DELAI_BLOCAGE seconds after it was
    (last) asked for, and whose row no worker holds, lost its build: the worker was killed, or
    the broker was down when it was asked. It is sent again, at most RAPPORT_TENTATIVES
    times; then it ends "échec" with a message, and the user's retry button.
    """
    maintenant = timezone.now()
    limite = maintenant - timedelta(seconds=settings.RAPPORT_DELAI_BLOCAGE)
    with transaction.atomic():
        perdus = list(
            RapportAnnuel.objects.select_for_update(skip_locked=True).filter(
                statut__in=A_CONSTRUIRE, demande_le__lt=limite
            )
        )
        for rapport in perdus:
            rapport.tentatives += 1
            if rapport.tentatives >= settings.RAPPORT_TENTATIVES:
                rapport.statut = StatutRapport.ECHEC
                rapport.erreur = (
                    f"La génération n’a pas abouti après {rapport.tentatives} tentatives : demandez-la à nouveau."
                )
            else:
                rapport.statut = StatutRapport.EN_ATTENTE
                rapport.demande_le = maintenant
                apres_commit(TACHE_CONSTRUIRE, rapport.pk)
            rapport.save(update_fields=["tentatives", "statut", "erreur", "demande_le"])
    return len(perdus)

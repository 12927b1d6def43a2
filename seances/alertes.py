"""Periodic alerts: facts computed from the data, stored once per fact and recipient, sent as a daily digest.

Each fact carries a key that changes when the fact does (the date of the last séance,
the number of absences…), so running the jobs again on the same data adds nothing,
and a new fact is told once.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Count, Exists, Subquery
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome, Mentor, StatutBinome, StatutHonorabilite
from etablissements.calendrier import calendriers
from etablissements.frise import jalons_en_retard
from etablissements.models import Affectation, Convention, Etablissement, Jalon
from etablissements.models.dispositif import annee_scolaire_courante
from socle.courriels import envoyer_courriel, lien
from socle.formats import compte
from socle.models import User
from socle.roles import Role

from .models import Alerte, EpisodeRisque, Participation, Presence, StatutSeance, TypeAlerte
from .sante import peut_etre_en_risque, sante_des_binomes, seances_tenues_du_binome

# The sheet asks for at least one séance a month; a month of classes, not of holidays or PFMP.
SEMAINES_SANS_SEANCE = 5
SEUIL_ABSENCES_ELEVE = 2
PREAVIS_HONORABILITE = timedelta(days=30)
# Alerts checked and written per batch.
LOT = 1000


@dataclass
class Fait:
    type: str
    cle: str
    etablissement_id: int
    message: str
    lien: str
    destinataires: set[int] = field(default_factory=set)


class Destinataires:
    """Who hears about an LP's facts, by role; computed in a few queries for all LPs."""

    def __init__(self):
        self.par_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        for user_id, role, etablissement_id in Affectation.objects.filter(
            role__in=[Role.REFERENT, Role.CPE], user__is_active=True
        ).values_list("user_id", "role", "etablissement_id"):
            self.par_role[(etablissement_id, role)].add(user_id)
        coordonnateurs = defaultdict(set)
        for user_id, partenaire_id in Affectation.objects.filter(
            role=Role.COORDONNATEUR, user__is_active=True
        ).values_list("user_id", "partenaire_id"):
            coordonnateurs[partenaire_id].add(user_id)
        for etablissement_id, partenaire_id in Convention.objects.values_list(
            "dispositif__etablissement_id", "partenaire_id"
        ):
            self.par_role[(etablissement_id, Role.COORDONNATEUR)] |= coordonnateurs[partenaire_id]

    def __call__(self, etablissement_id, *roles) -> set[int]:
        return set().union(*(self.par_role[(etablissement_id, role)] for role in roles))


def alertes_binomes_sans_seance(jour: date, qui: Destinataires) -> Iterator[Fait]:
    """Active binômes without a held séance (or since their start, if none) for five school weeks.

    Only the weeks when the student is in the LP count (etablissements/calendrier.py): no alert
    during the zone's holidays or the class's PFMP.
    """
    derniere = seances_tenues_du_binome().order_by("-date").values("date")[:1]
    # A pair with a séance held in the last SEMAINES_SANS_SEANCE calendar weeks cannot have gone
    # that many school weeks without one: left out in SQL, by an anti-join, before the last séance
    # of each remaining pair is looked for (a subquery per pair: ≈ 60 µs, 1.2 s at 120 LPs for all).
    recente = seances_tenues_du_binome(date__gt=jour - timedelta(weeks=SEMAINES_SANS_SEANCE))
    actifs = Binome.objects.filter(statut=StatutBinome.ACTIF).exclude(Exists(recente))
    # The calendars first (one query for the LPs, one for their PFMP), then the binômes streamed
    # as plain rows: memory holds one batch, not every active binôme of the country (issue 18).
    calendrier = calendriers(
        Etablissement.objects.filter(
            # Every LP with an active pair (a plain semi-join; the anti-join above inside made the
            # planner evaluate it LP by LP: 12 s at 2,100 LPs).
            pk__in=Binome.objects.filter(statut=StatutBinome.ACTIF).values("dispositif__etablissement")
        )
    )
    lignes = (
        actifs.annotate(derniere_seance=Subquery(derniere))
        .values_list(
            "pk",
            "date_debut",
            "derniere_seance",
            "dispositif__etablissement_id",
            "mentor__prenom",
            "mentor__nom",
            "eleve__prenom",
            "eleve__nom",
            "eleve__classe",
        )
        .order_by("pk")
    )
    for pk, date_debut, derniere_seance, etab, *noms, classe in lignes.iterator(chunk_size=LOT):
        reference = derniere_seance or date_debut
        if reference is None:
            continue
        if calendrier[etab].semaines_de_classe(reference, jour, classe) < SEMAINES_SANS_SEANCE:
            continue
        mentor, eleve = f"{noms[0]} {noms[1]}", f"{noms[2]} {noms[3]}"
        depuis = "aucune séance tenue depuis son début" if not derniere_seance else "aucune séance tenue depuis"
        yield Fait(
            TypeAlerte.BINOME_SANS_SEANCE,
            f"binome_sans_seance:{pk}:{reference.isoformat()}",
            etab,
            f"Binôme {mentor} – {eleve} : {depuis} le {reference:%d/%m/%Y} "
            f"({SEMAINES_SANS_SEANCE} semaines de classe ou plus).",
            reverse("seances:liste"),
            qui(etab, Role.REFERENT, Role.COORDONNATEUR),
        )


def alertes_absences_eleves(jour: date, qui: Destinataires) -> Iterator[Fait]:
    """Students with at least two unexcused absences this school year."""
    lignes = (
        Participation.objects.filter(
            eleve__isnull=False,
            presence=Presence.ABSENT_NON_EXCUSE,
            # Attendance counts at held séances only: an absence left on a séance later cancelled is none.
            seance__statut=StatutSeance.TENUE,
            seance__dispositif__annee=annee_scolaire_courante(jour),
        )
        .values("eleve", "eleve__prenom", "eleve__nom", "eleve__etablissement")
        .annotate(n=Count("pk"))
        .filter(n__gte=SEUIL_ABSENCES_ELEVE)
        .order_by("eleve")
    )
    return (
        Fait(
            TypeAlerte.ABSENCES_ELEVE,
            f"absences_eleve:{ligne['eleve']}:{ligne['n']}",
            ligne["eleve__etablissement"],
            f"{ligne['eleve__prenom']} {ligne['eleve__nom']} : {ligne['n']} absences non excusées cette année.",
            reverse("seances:entretiens"),
            qui(ligne["eleve__etablissement"], Role.REFERENT, Role.CPE),
        )
        for ligne in lignes.iterator(chunk_size=LOT)
    )


def alertes_absences_mentors(jour: date, qui: Destinataires) -> Iterator[Fait]:
    """Mentors who missed séances without notice this school year."""
    lignes = (
        Participation.objects.filter(
            mentor__isnull=False,
            presence=Presence.ABSENT_NON_EXCUSE,
            # Attendance counts at held séances only: an absence left on a séance later cancelled is none.
            seance__statut=StatutSeance.TENUE,
            seance__dispositif__annee=annee_scolaire_courante(jour),
        )
        .values("mentor", "mentor__prenom", "mentor__nom", "mentor__etablissement")
        .annotate(n=Count("pk"))
        .order_by("mentor")
    )
    return (
        Fait(
            TypeAlerte.ABSENCES_MENTOR,
            f"absences_mentor:{ligne['mentor']}:{ligne['n']}",
            ligne["mentor__etablissement"],
            f"Le mentor {ligne['mentor__prenom']} {ligne['mentor__nom']} "
            f"a manqué {compte(ligne['n'], 'séance')} sans prévenir.",
            reverse("seances:liste"),
            qui(ligne["mentor__etablissement"], Role.REFERENT, Role.COORDONNATEUR),
        )
        for ligne in lignes.iterator(chunk_size=LOT)
    )


def alertes_honorabilite(jour: date, qui: Destinataires) -> Iterator[Fait]:
    """Verified honorabilités that expire within 30 days: renew before the mentor must stop."""
    mentors = (
        Mentor.objects.filter(
            honorabilite__statut=StatutHonorabilite.VERIFIEE,
            honorabilite__expiration__gte=jour,
            honorabilite__expiration__lte=jour + PREAVIS_HONORABILITE,
        )
        .select_related("honorabilite")
        .order_by("pk")
    )
    return (
        Fait(
            TypeAlerte.HONORABILITE,
            f"honorabilite:{mentor.pk}:{mentor.honorabilite.expiration.isoformat()}",
            mentor.etablissement_id,
            f"L’honorabilité de {mentor} expire le {mentor.honorabilite.expiration:%d/%m/%Y}.",
            reverse("seances:liste"),
            qui(mentor.etablissement_id, Role.REFERENT, Role.COORDONNATEUR),
        )
        for mentor in mentors.iterator(chunk_size=LOT)
    )


def alertes_jalons_en_retard(jour: date, qui: Destinataires) -> list[Fait]:
    """Milestones of the current dispositifs whose recommended period is over and that are not done."""
    jalons = Jalon.objects.filter(dispositif__annee=annee_scolaire_courante(jour))
    return [
        Fait(
            TypeAlerte.JALON_EN_RETARD,
            f"jalon_en_retard:{jalon.pk}",
            jalon.dispositif.etablissement_id,
            f"Étape en retard : {jalon} (période recommandée : {jalon.periode.lower()}, "
            f"jusqu’au {jalon.fin:%d/%m/%Y}).",
            reverse("etablissements:frise", args=[jalon.dispositif_id]),
            qui(jalon.dispositif.etablissement_id, Role.REFERENT),
        )
        for jalon in jalons_en_retard(jalons, jour)
    ]


def alertes_binomes_en_risque(jour: date, qui: Destinataires) -> list[Fait]:
    """Active binômes « en risque » (seances.sante), told to the référent once per period at risk.

    The job keeps one open EpisodeRisque per pair at risk: it opens one when a pair enters the state,
    closes it when the pair leaves it (or stops being active). The fact's key is the period's start, so
    a pair that stays at risk is not told again, whereas one that leaves and enters again later is:
    it is a new fact, and the référent may have thought the matter settled. Reasons that change while
    the pair stays at risk are not told again either: the binôme page shows the current ones. The
    message names the student, so the reasons drawn from their answers only point to the binôme page.
    """
    en_risque = {}

    def examiner(lot):
        santes = sante_des_binomes(lot, jour)
        en_risque.update({pk: sante for pk, sante in santes.items() if sante.en_risque})

    # Only the pairs that may be at risk (`peut_etre_en_risque`, in SQL: the others have no reason),
    # streamed by batches: the health reads the séances, notes and answers of a batch of pairs at
    # once, and only the pairs at risk are kept. Loading every active pair of the country first
    # (with its mentor, student and dispositif) made the job's memory grow with the country, and
    # computing every pair's health its time (issue 18: 87 MB and 7 s at 120 LPs for this rule alone).
    lot = []
    binomes = (
        Binome.objects.filter(peut_etre_en_risque(jour), statut=StatutBinome.ACTIF)
        .select_related("mentor", "eleve", "dispositif")
        .only(
            "statut", "dispositif_id", "eleve_id", "mentor_id", "date_debut", "dispositif__etablissement_id",
            "eleve__prenom", "eleve__nom", "mentor__prenom", "mentor__nom",
        )
    )  # fmt: skip
    for binome in binomes.order_by("pk").iterator(chunk_size=LOT):
        lot.append(binome)
        if len(lot) == LOT:
            examiner(lot)
            lot = []
    examiner(lot)
    with transaction.atomic():
        debuts = dict(EpisodeRisque.objects.filter(fin__isnull=True).values_list("binome_id", "debut"))
        sortis = [pk for pk in debuts if pk not in en_risque]
        for debut in range(0, len(sortis), LOT):
            EpisodeRisque.objects.filter(fin__isnull=True, binome_id__in=sortis[debut : debut + LOT]).update(fin=jour)
        nouveaux = [EpisodeRisque(binome_id=pk, debut=jour) for pk in en_risque if pk not in debuts]
        # A concurrent run may have opened the same periods: the constraint keeps one, with the same day.
        EpisodeRisque.objects.bulk_create(nouveaux, batch_size=LOT, ignore_conflicts=True)
    debuts.update({e.binome_id: e.debut for e in nouveaux})
    faits = []
    for pk, sante in en_risque.items():
        binome = sante.binome
        etab = binome.dispositif.etablissement_id
        message = f"Binôme {binome.mentor} – {binome.eleve} en risque : {' ; '.join(sante.textes_hors_avis)}."
        faits.append(
            Fait(
                TypeAlerte.BINOME_EN_RISQUE,
                f"binome_en_risque:{pk}:{debuts[pk].isoformat()}",
                etab,
                message if len(message) <= 300 else message[:299] + "…",
                reverse("binomes:binome", args=[pk]),
                qui(etab, Role.REFERENT),
            )
        )
    return faits


CALCULS = [
    alertes_binomes_sans_seance,
    alertes_absences_eleves,
    alertes_absences_mentors,
    alertes_honorabilite,
    alertes_jalons_en_retard,
    alertes_binomes_en_risque,
]


def alertes_calculer(*, jour: date | None = None) -> list[Alerte]:
    """Store every current fact once per recipient; returns the alerts created by this run.

    A bounded number of queries whatever the number of facts: the facts' keys already stored are
    read in batches, the new alerts written with one `bulk_create` per batch. The unique
    constraint (fact, recipient) stays the guard against a concurrent run (`ignore_conflicts`);
    the alerts returned are not read back (no primary key on PostgreSQL).
    """
    jour = jour or timezone.localdate()
    qui = Destinataires()
    # The rules yield their facts as they read them: candidates are checked and written a batch
    # at a time, so memory holds one batch of facts, not every fact of the country (issue 18).
    candidates = (
        Alerte(
            cle=fait.cle,
            destinataire_id=user_id,
            type=fait.type,
            etablissement_id=fait.etablissement_id,
            message=fait.message,
            lien=fait.lien,
        )
        for calcul in CALCULS
        for fait in calcul(jour, qui)
        for user_id in sorted(fait.destinataires)
    )
    nouvelles = []
    while lot := list(islice(candidates, LOT)):
        connues = set(Alerte.objects.filter(cle__in={a.cle for a in lot}).values_list("cle", "destinataire_id"))
        lot = [a for a in lot if (a.cle, a.destinataire_id) not in connues]
        Alerte.objects.bulk_create(lot, ignore_conflicts=True)
        nouvelles.extend(lot)
    return nouvelles


def alertes_envoyer_resumes() -> int:
    """One digest email per recipient of the alerts not emailed yet; returns the emails sent.

    The recipient's pending alerts are locked and marked in the transaction that sends
    the email: a second run, even concurrent, finds nothing left to send.
    """
    envoyes = 0
    user_ids = Alerte.objects.filter(envoyee_le__isnull=True).values_list("destinataire", flat=True).distinct()
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"):
        with transaction.atomic():
            alertes = list(
                Alerte.objects.select_for_update(skip_locked=True)
                .filter(destinataire=user, envoyee_le__isnull=True)
                .order_by("type", "pk")
            )
            if not alertes:
                continue
            envoyer_courriel(
                destinataires=[user.email],
                sujet=f"{compte(len(alertes), 'alerte')} du mentorat",
                gabarit="seances/emails/alertes",
                contexte={"user": user, "alertes": alertes, "lien": lien(reverse("seances:alertes"))},
            )
            Alerte.objects.filter(pk__in=[a.pk for a in alertes]).update(envoyee_le=timezone.now())
            envoyes += 1
    return envoyes

"""Reminders before each planned séance, and the mentor's answer from the email.

A beat job (`seances.tasks.envoyer_rappels`) calls `rappels_envoyer()`, safe to run often
and twice at once: the due reminders are inserted as `Rappel` rows (unique per séance, date
and time of the séance, recipient: a second run or a racing worker inserts nothing), then
each pending row is locked, emailed and marked sent in one transaction, as the outbox does.

The mentor's link carries the reminder's id signed with the project's key (salted): nothing
about the link is stored, a forged one matches nothing (404), and the answer, once given,
closes it (410), as does a séance moved, cancelled or past.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome
from etablissements.models import Affectation
from socle.courriels import envoyer_courriel, lien
from socle.models import User
from socle.requetes import RequeteCompilee
from socle.roles import Role
from socle.tasks import apres_commit

from .models import (
    DELAI_DEFAUT,
    DeclarationAbsence,
    Notification,
    Participation,
    PreferenceRappel,
    Presence,
    Rappel,
    ReponseRappel,
    Seance,
    StatutRappel,
    StatutSeance,
    TypeNotification,
)
from .models.rappels import DELAI_MAX
from .services import TACHE_ENVOYER_NOTIFICATIONS

logger = logging.getLogger(__name__)

SEL = "seances.rappel"
# Beyond this many students (a collective séance), the email gives their number, not their names.
PRENOMS_MAX = 5


# --- Who gets a reminder, and when -------------------------------------------------------------


def cle_de(seance) -> str:
    """The séance's date and time as a reminder's key: moving the séance makes a new key."""
    return f"{seance.date:%Y-%m-%d}T{seance.heure:%H:%M}" if seance.heure else f"{seance.date:%Y-%m-%d}"


def _a_venir(seance, maintenant) -> bool:
    aujourdhui = maintenant.date()
    if seance.date != aujourdhui:
        return seance.date > aujourdhui
    return seance.heure is None or seance.heure > maintenant.time()


def _coordonnateurs(dispositif_ids) -> dict[int, list[tuple[int, str]]]:
    """(user id, email) of the active coordinators of each dispositif's partner(s)."""
    par_dispositif = defaultdict(set)
    for dispositif_id, user_id, email in (
        Affectation.objects.filter(
            role=Role.COORDONNATEUR,
            user__is_active=True,
            partenaire__conventions__dispositif__in=dispositif_ids,
        )
        .values_list("partenaire__conventions__dispositif", "user_id", "user__email")
        .distinct()
    ):
        par_dispositif[dispositif_id].add((user_id, email))
    return {k: sorted(v) for k, v in par_dispositif.items()}


def rappels_dus(*, maintenant=None) -> list[Rappel]:
    """The reminders due now (unsaved): planned séances to come, within each recipient's delay.

    A constant number of queries whatever the number of séances: séances with their mentors,
    the partners' coordinators, and the preferences of everyone concerned.
    """
    maintenant = timezone.localtime(maintenant)
    aujourdhui = maintenant.date()
    seances = [
        s
        for s in Seance.objects.filter(
            statut=StatutSeance.PREVUE, date__gte=aujourdhui, date__lte=aujourdhui + timedelta(days=DELAI_MAX)
        ).prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(mentor__isnull=False).select_related("mentor__user"),
                to_attr="mentors_attendus",
            )
        )
        if _a_venir(s, maintenant)
    ]
    coordonnateurs = _coordonnateurs({s.dispositif_id for s in seances})
    users = {p.mentor.user_id for s in seances for p in s.mentors_attendus} | {
        user_id for liste in coordonnateurs.values() for user_id, _email in liste
    }
    preferences = {p.user_id: p for p in PreferenceRappel.objects.filter(user__in=users - {None})}

    def du(user_id, seance) -> bool:
        preference = preferences.get(user_id)
        if preference and not preference.actif:
            return False
        delai = preference.delai if preference else DELAI_DEFAUT
        return seance.date - timedelta(days=delai) <= aujourdhui

    dus = []
    for seance in seances:
        cle, vus = cle_de(seance), set()
        for participation in seance.mentors_attendus:
            # A mentor who already announced their absence needs no reminder.
            if participation.presence != Presence.ATTENDU:
                continue
            mentor = participation.mentor
            email = (mentor.email or (mentor.user.email if mentor.user else "")).lower()
            if email and email not in vus and du(mentor.user_id, seance):
                vus.add(email)
                dus.append(Rappel(seance=seance, cle=cle, destinataire=email, mentor=mentor))
        for user_id, email in coordonnateurs.get(seance.dispositif_id, []):
            email = email.lower()
            if email and email not in vus and du(user_id, seance):
                vus.add(email)
                dus.append(Rappel(seance=seance, cle=cle, destinataire=email))
    return dus


# --- Sending ----------------------------------------------------------------------------------


def rappels_envoyer(*, maintenant=None) -> int:
    """Insert the due reminders, then send every pending one; returns how many were sent.

    Idempotent: the unique key makes a second insertion a no-op, and each row is locked
    (skipping rows another worker holds) and marked sent in the transaction of its email.
    A pending reminder whose séance moved, was cancelled or started is marked stale.
    """
    maintenant = timezone.localtime(maintenant)
    Rappel.objects.bulk_create(rappels_dus(maintenant=maintenant), ignore_conflicts=True)
    envoyes = 0
    for pk in list(Rappel.objects.filter(statut=StatutRappel.EN_ATTENTE).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                # Locked alone (no join): PostgreSQL refuses FOR UPDATE on the nullable side of a join.
                rappel = (
                    Rappel.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, statut=StatutRappel.EN_ATTENTE)
                    .first()
                )
                if rappel is None:
                    continue
                if raison_caduc(rappel, maintenant=maintenant):
                    rappel.statut = StatutRappel.CADUC
                    rappel.save(update_fields=["statut"])
                    continue
                _envoyer_rappel(rappel)
                rappel.statut = StatutRappel.ENVOYE
                rappel.envoye_le = timezone.now()
                rappel.save(update_fields=["statut", "envoye_le"])
                envoyes += 1
        except OSError:
            logger.exception("Échec d’envoi du rappel %s ; nouvel essai au prochain passage.", pk)
    return envoyes


def _prenoms(rappel) -> str:
    """The students' first names only: an email is read on any device, and forwarded."""
    eleves = Participation.objects.filter(seance=rappel.seance_id, eleve__isnull=False)
    if rappel.mentor_id:
        # A mentor hears only of the students they mentor (as on the séance page).
        siens = Binome.objects.filter(mentor=rappel.mentor_id, dispositif=rappel.seance.dispositif_id)
        eleves = eleves.filter(eleve__in=siens.values("eleve"))
    prenoms = sorted(eleves.values_list("eleve__prenom", flat=True))
    if len(prenoms) > PRENOMS_MAX:
        return f"{len(prenoms)} élèves"
    return ", ".join(prenoms)


def _envoyer_rappel(rappel) -> None:
    seance = Seance.objects.select_related("dispositif__etablissement").get(pk=rappel.seance_id)
    contexte = {
        "seance": seance,
        "prenoms": _prenoms(rappel),
        "lien": lien(seance.get_absolute_url()),
        "lien_ics": lien(reverse("seances:seance_ics", args=[seance.pk])),
        "lien_reponse": lien(reverse("seances:rappel", args=[jeton_de(rappel)])) if rappel.mentor_id else "",
        # After the séance, the mentor says how it went (issue 15): signed in, from this link.
        "lien_note": lien(reverse("seances:note_mentor", args=[seance.pk])) if rappel.mentor_id else "",
    }
    sujet = f"Rappel : séance de mentorat le {seance.date:%d/%m/%Y}"
    if seance.heure:
        sujet += f" à {seance.heure:%H:%M}"
    envoyer_courriel(
        destinataires=[rappel.destinataire], sujet=sujet, gabarit="seances/emails/rappel", contexte=contexte
    )


# --- The mentor's signed link -----------------------------------------------------------------


def jeton_de(rappel) -> str:
    return signing.dumps(rappel.pk, salt=SEL)


def rappel_du_jeton(jeton: str):
    """The mentor's reminder a link designates, or None for a forged or foreign link."""
    try:
        pk = signing.loads(jeton, salt=SEL)
    except signing.BadSignature:
        return None
    return (
        Rappel.objects.select_related("seance__dispositif__etablissement")
        .filter(pk=pk, mentor__isnull=False, statut=StatutRappel.ENVOYE)
        .first()
    )


def raison_caduc(rappel, *, maintenant=None) -> str:
    """Why a reminder (or its link) no longer applies, in French; empty while it does."""
    seance = rappel.seance
    if seance.statut == StatutSeance.ANNULEE:
        return "La séance a été annulée."
    if seance.statut != StatutSeance.PREVUE or not _a_venir(seance, timezone.localtime(maintenant)):
        return "La séance est passée."
    if cle_de(seance) != rappel.cle:
        return "La séance a été déplacée : un nouveau rappel vous est envoyé pour sa nouvelle date."
    return ""


def raison_lien_ferme(rappel) -> str:
    """Why the mentor's link no longer opens (answered, séance changed, mentor taken off it); empty if it does."""
    if rappel.reponse:
        quand = timezone.localtime(rappel.repondu_le)
        return f"Ce lien a déjà servi le {quand:%d/%m/%Y à %H:%M} : {rappel.get_reponse_display().lower()}."
    if raison := raison_caduc(rappel):
        return raison
    if not Participation.objects.filter(seance=rappel.seance_id, mentor=rappel.mentor_id).exists():
        return "Vous ne participez plus à cette séance : ce lien ne sert plus."
    return ""


@transaction.atomic
def rappel_repondre(*, rappel, reponse: str, motif: str = "") -> Rappel:
    """Record the mentor's answer, once. An impediment declares the mentor absent and warns the
    LP's référents and the partner's coordinators at once, through the outbox."""
    rappel = Rappel.objects.select_for_update().get(pk=rappel.pk)
    if raison := raison_lien_ferme(rappel):
        raise ValidationError(raison)
    rappel.reponse = reponse
    rappel.repondu_le = timezone.now()
    rappel.save(update_fields=["reponse", "repondu_le"])
    if reponse == ReponseRappel.EMPECHEMENT:
        _empechement(rappel, motif)
    return rappel


def _empechement(rappel, motif: str) -> None:
    seance = rappel.seance
    participation = seance.participations.filter(mentor=rappel.mentor_id).first()
    if participation is not None and not DeclarationAbsence.objects.filter(participation=participation).exists():
        DeclarationAbsence.objects.create(participation=participation, motif=motif, declaree_par=rappel.mentor.user)
        participation.presence = Presence.ABSENT_EXCUSE
        participation.save(update_fields=["presence"])
    referents = User.objects.filter(
        affectations__role=Role.REFERENT,
        affectations__etablissement_id=seance.dispositif.etablissement_id,
        is_active=True,
    ).values_list("email", flat=True)
    coordonnateurs = [email for _pk, email in _coordonnateurs([seance.dispositif_id]).get(seance.dispositif_id, [])]
    ids = [
        Notification.objects.create(
            type=TypeNotification.EMPECHEMENT_MENTOR,
            cle=f"empechement:{rappel.pk}",
            destinataire=email,
            seance=seance,
            donnees={"participation": participation.pk if participation else None, "rappel": rappel.pk},
        ).pk
        for email in sorted({*referents, *coordonnateurs})
    ]
    if ids:
        apres_commit(TACHE_ENVOYER_NOTIFICATIONS, ids)


# --- What the séance page shows, and preferences ----------------------------------------------


def _reponses(seance_id, mentors, cle):
    return (
        Rappel.objects.filter(seance_id=seance_id, mentor__in=mentors, cle=cle)
        .exclude(reponse="")
        .select_related("mentor")
        .order_by("repondu_le")
    )


# Read by the séance's page: compiled once per connection (socle.requetes).
_REPONSES = RequeteCompilee(_reponses, int, list, str)


def reponses_visibles(*, seance, participations) -> list[Rappel]:
    """The mentors' answers to this séance's reminders, for the mentors the viewer may see."""
    mentors = [p.mentor_id for p in participations if p.mentor_id]
    if not mentors:
        return []
    return _REPONSES.objets(seance.pk, mentors, cle_de(seance))


@transaction.atomic
def preference_enregistrer(*, user, actif: bool, delai: int) -> PreferenceRappel:
    preference, _ = PreferenceRappel.objects.get_or_create(user=user)
    preference.actif, preference.delai = actif, delai
    preference.full_clean()
    preference.save()
    return preference

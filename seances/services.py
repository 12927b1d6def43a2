"""Writes of the seances app: séances with attendance, absences, interviews, notifications, calendar tokens."""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome, Mentor, StatutBinome, Suspension
from etablissements.scoping import a_un_role
from socle import roles as R
from socle.courriels import envoyer_courriel, lien
from socle.models import User
from socle.roles import Role
from socle.tasks import apres_commit

from .models import (
    DeclarationAbsence,
    EntretienAbsence,
    JetonCalendrier,
    Notification,
    Participation,
    Presence,
    Seance,
    StatutNotification,
    StatutSeance,
    TypeNotification,
    nouveau_jeton,
)

logger = logging.getLogger(__name__)

DELAI_ENTRETIEN = timedelta(days=7)


# --- Séances ----------------------------------------------------------------------------


def responsable_entretien(etablissement_id):
    """Who holds absence interviews by default: a CPE of the LP, else its référent."""
    for role in (Role.CPE, Role.REFERENT):
        user = (
            User.objects.filter(
                affectations__role=role, affectations__etablissement_id=etablissement_id, is_active=True
            )
            .order_by("pk")
            .first()
        )
        if user:
            return user
    return None


@transaction.atomic
def seance_enregistrer(*, seance, participants: list[tuple[object, str]]):
    """Save a séance and its expected participants with their attendance, in one transaction.

    `participants` lists (Eleve or Mentor, presence). Participants not listed are removed.
    A mentor whose honorabilité is not valid on the séance's date cannot be scheduled, nor a
    mentor suspended by the chef for a séance dated from the suspension's day on (a séance held
    before it stays correctable: its attendance is history).
    Each unexcused student absence at a held séance opens an interview with the student.
    """
    refuses = [
        str(p) for p, _presence in participants if isinstance(p, Mentor) and not p.honorabilite_valide(seance.date)
    ]
    if refuses:
        raise ValidationError(
            "Honorabilité non vérifiée ou expirée à la date de la séance : "
            + ", ".join(refuses)
            + ". Ce mentor ne peut pas intervenir auprès des élèves."
        )
    mentors = [p for p, _presence in participants if isinstance(p, Mentor)]
    if all(hasattr(m, "suspendu_le") for m in mentors):
        # Read with them (`Mentor.objects.avec_suspension()`, the séance entry page): no query.
        suspensions = [(m, timezone.localtime(m.suspendu_le).date()) for m in mentors if m.suspendu_le]
    else:
        suspensions = [
            (s.mentor, s.date_debut)
            for s in Suspension.objects.en_cours().filter(mentor__in=mentors).select_related("mentor")
        ]
    suspendus = [(mentor, debut) for mentor, debut in suspensions if debut <= seance.date]
    if suspendus:
        raise ValidationError(
            "Mentor suspendu par le chef d’établissement : "
            + ", ".join(f"{mentor} (depuis le {debut:%d/%m/%Y})" for mentor, debut in suspendus)
            + ". Aucune séance ne peut l’inclure tant que la suspension n’est pas levée."
        )
    # A dispositif the caller read (through the user's scope) exists: checking it again would cost a
    # query on every séance logged (issue 18). One given by its id only is checked.
    seance.full_clean(exclude=["dispositif"] if Seance._meta.get_field("dispositif").is_cached(seance) else None)
    nouvelle = seance._state.adding
    seance.save()
    # A constant number of queries whatever the number of participants (a collective séance
    # lists a whole class): read the existing rows once, then insert, update and delete in bulk.
    existantes = {} if nouvelle else {(p.mentor_id, p.eleve_id): p for p in seance.participations.all()}
    a_creer, a_modifier = [], []
    for personne, presence in participants:
        mentor = personne if isinstance(personne, Mentor) else None
        eleve = None if mentor else personne
        participation = existantes.pop((mentor and mentor.pk, eleve and eleve.pk), None)
        if participation is None:
            a_creer.append(Participation(seance=seance, mentor=mentor, eleve=eleve, presence=presence))
        elif participation.presence != presence:
            participation.presence = presence
            a_modifier.append(participation)
    Participation.objects.bulk_create(a_creer)
    if a_modifier:
        Participation.objects.bulk_update(a_modifier, ["presence"])
    if existantes:
        Participation.objects.filter(pk__in=[p.pk for p in existantes.values()]).delete()
    absents = []
    if seance.statut == StatutSeance.TENUE:
        absents = [
            p for p, presence in participants if not isinstance(p, Mentor) and presence == Presence.ABSENT_NON_EXCUSE
        ]
        responsable = responsable_entretien(seance.dispositif.etablissement_id) if absents else None
        deja = set()
        if absents and not nouvelle:
            deja = set(seance.entretiens_absence.filter(eleve__in=absents).values_list("eleve_id", flat=True))
        EntretienAbsence.objects.bulk_create(
            [
                EntretienAbsence(
                    seance=seance,
                    eleve=eleve,
                    assigne_a=responsable,
                    # Counted from the absence, not from the day the attendance was typed: typed late,
                    # the interview is already due (and shown late), as it is.
                    echeance=seance.date + DELAI_ENTRETIEN,
                )
                for eleve in absents
                if eleve.pk not in deja
            ]
        )
    if not nouvelle:
        # An attendance corrected afterwards withdraws the interview, unless it was already held.
        seance.entretiens_absence.filter(fait=False).exclude(eleve__in=absents).delete()
    return seance


@transaction.atomic
def entretien_enregistrer(*, entretien):
    """Save an interview; a held one carries the date it was held (the form asks for it)."""
    if entretien.fait and not entretien.fait_le:
        raise ValidationError({"fait_le": "Indiquez la date à laquelle l’entretien a été mené."})
    entretien.save()
    return entretien


# --- Absences declared in advance --------------------------------------------------------


def _emails_referents(etablissement_id) -> list[str]:
    return sorted(
        User.objects.filter(
            affectations__role=Role.REFERENT, affectations__etablissement_id=etablissement_id, is_active=True
        ).values_list("email", flat=True)
    )


# Who announces anyone's absence; a mentor announces only their own.
DECLARENT_TOUTE_ABSENCE = R.VIE_SCOLAIRE | R.SUIVI_PARTENAIRE


def peut_declarer(user, participation, etablissement_id) -> bool:
    """Whether `user` may announce this participant's absence: vie scolaire and the partner anyone's,
    a mentor their own. The perimeter is cached on the user: no query beyond the participation's mentor."""
    if a_un_role(user, etablissement_id, DECLARENT_TOUTE_ABSENCE):
        return True
    return bool(participation.mentor_id and participation.mentor.user_id == user.pk)


def participations_declarables(*, seance, user) -> list:
    """Whose absence `user` may announce at a séance (see `peut_declarer`).

    Reads the séance's prefetched participations (with their mentors): no query of its own.
    """
    etablissement_id = seance.dispositif.etablissement_id
    return [
        p
        for p in seance.participations.all()
        if p.presence == Presence.ATTENDU and peut_declarer(user, p, etablissement_id)
    ]


def binomes_de_la_seance(seance):
    """The pairs of the séance's dispositif whose mentor and student are both expected at it (a
    collective séance has several), and that have started: the pairs a séance speaks for (their
    objectives' progress, the student's word). A queryset, ordered by student."""
    return (
        Binome.objects.filter(dispositif_id=seance.dispositif_id)
        .exclude(statut=StatutBinome.PROPOSE)
        .filter(
            Exists(Participation.objects.filter(seance=seance, mentor=OuterRef("mentor"))),
            Exists(Participation.objects.filter(seance=seance, eleve=OuterRef("eleve"))),
        )
        .select_related("mentor", "eleve")
        .order_by("eleve__nom", "eleve__prenom", "pk")
    )


def participations_visibles(*, seance, user) -> tuple[list, int]:
    """The séance's participations `user` may see, and how many others there are.

    The LP's staff see everyone. A mentor sees themself and the students they mentor: in a
    collective séance the other students' names and attendance are the staff's business only.
    Reads the prefetched participations; one query for a mentor's students.
    """
    participations = list(seance.participations.all())
    if a_un_role(user, seance.dispositif.etablissement_id, R.LECTURE_PROGRAMME):
        return participations, 0
    siens = set(
        Binome.objects.filter(mentor__user=user, dispositif=seance.dispositif_id).values_list("eleve_id", flat=True)
    )
    visibles = [p for p in participations if (p.mentor_id and p.mentor.user_id == user.pk) or p.eleve_id in siens]
    return visibles, len(participations) - len(visibles)


def participations_a_declarer(*, seance, user) -> list:
    """The participations `user` may declare absent; 403 when their role announces no absence at all.

    An empty list for a mentor (or vie scolaire) means nothing is left to declare, not a refusal.
    """
    participations = participations_declarables(seance=seance, user=user)
    if not participations and not a_un_role(
        user, seance.dispositif.etablissement_id, DECLARENT_TOUTE_ABSENCE | {Role.MENTOR}
    ):
        raise PermissionDenied("Votre rôle ne permet pas de déclarer une absence.")
    return participations


@transaction.atomic
def absence_declarer(*, participation, motif: str, auteur, presence=Presence.ABSENT_EXCUSE):
    """Record an absence announced before the séance and queue the emails it triggers.

    A student's absence is told to the séance's mentors; a mentor's absence to the LP's
    référents (who warn the student). The outbox rows are written in this transaction;
    the sending task is published after commit, tolerating a dead broker. `presence` is
    excused unless the vie scolaire knows the absence is not (its export says so).
    """
    if presence not in (Presence.ABSENT_EXCUSE, Presence.ABSENT_NON_EXCUSE):
        raise ValueError(presence)
    seance = participation.seance
    if not peut_declarer(auteur, participation, seance.dispositif.etablissement_id):
        raise PermissionDenied("Votre rôle ne permet pas de déclarer cette absence.")
    if seance.statut != StatutSeance.PREVUE:
        raise ValidationError("Une absence ne peut être déclarée à l’avance que pour une séance prévue.")
    if hasattr(participation, "declaration_absence"):
        raise ValidationError("Cette absence est déjà déclarée.")
    declaration = DeclarationAbsence.objects.create(participation=participation, motif=motif, declaree_par=auteur)
    participation.presence = presence
    participation.save(update_fields=["presence"])
    if participation.eleve_id:
        type_ = TypeNotification.ABSENCE_ELEVE
        destinataires = sorted(
            {
                p.mentor.email
                for p in seance.participations.filter(mentor__isnull=False).select_related("mentor")
                if p.mentor.email
            }
        )
    else:
        type_ = TypeNotification.ABSENCE_MENTOR
        destinataires = _emails_referents(seance.dispositif.etablissement_id)
    ids = [
        Notification.objects.create(
            type=type_,
            cle=f"absence:{declaration.pk}",
            destinataire=email,
            seance=seance,
            donnees={"participation": participation.pk, "declaration": declaration.pk},
        ).pk
        for email in destinataires
    ]
    if ids:
        apres_commit(TACHE_ENVOYER_NOTIFICATIONS, ids)
    return declaration


# By name: the task module calls this one, which must not import it back.
TACHE_ENVOYER_NOTIFICATIONS = "seances.tasks.envoyer_notifications"


def _envoyer_notification(notification) -> None:
    participation = (
        Participation.objects.select_related("eleve", "mentor", "seance", "declaration_absence")
        .filter(pk=notification.donnees.get("participation"))
        .first()
    )
    seance = notification.seance
    personne = participation.eleve or participation.mentor if participation else None
    contexte = {
        "seance": seance,
        "personne": personne,
        # A mentor's impediment, answered from their reminder, reads as their announced absence.
        "mentor_absent": notification.type in (TypeNotification.ABSENCE_MENTOR, TypeNotification.EMPECHEMENT_MENTOR),
        "motif": getattr(getattr(participation, "declaration_absence", None), "motif", ""),
        "lien": lien(seance.get_absolute_url()),
    }
    sujet = f"Absence prévue à la séance du {seance.date:%d/%m/%Y}"
    envoyer_courriel(
        destinataires=[notification.destinataire], sujet=sujet, gabarit="seances/emails/absence", contexte=contexte
    )


def notifications_envoyer(*, ids=None) -> int:
    """Send pending notifications (those of `ids`, or all); returns how many were sent.

    Each row is locked and marked sent in the transaction that sends its email, so two
    runs at once, or a task run twice, send it once.
    """
    en_attente = Notification.objects.filter(statut=StatutNotification.EN_ATTENTE)
    if ids is not None:
        en_attente = en_attente.filter(pk__in=ids)
    envoyees = 0
    for pk in list(en_attente.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(skip_locked=True)
                    .select_related("seance")
                    .filter(pk=pk, statut=StatutNotification.EN_ATTENTE)
                    .first()
                )
                if notification is None:
                    continue
                _envoyer_notification(notification)
                notification.statut = StatutNotification.ENVOYEE
                notification.envoyee_le = timezone.now()
                notification.tentatives += 1
                notification.save(update_fields=["statut", "envoyee_le", "tentatives"])
                envoyees += 1
        except OSError:
            logger.exception("Échec d’envoi de la notification %s ; nouvel essai au prochain relais.", pk)
            Notification.objects.filter(pk=pk).update(tentatives=F("tentatives") + 1)
    return envoyees


# --- Réunions de suivi and évènements ---------------------------------------------------------


@transaction.atomic
def reunion_enregistrer(*, reunion, actions):
    """Save a meeting with its follow-up actions (a validated inline formset) together."""
    reunion.save()
    actions.instance = reunion
    actions.save()
    return reunion


@transaction.atomic
def evenement_enregistrer(*, evenement, form):
    """Save an event and its invited companies (the form's many-to-many) together."""
    evenement.save()
    form.save_m2m()
    return evenement


# --- Calendar -----------------------------------------------------------------------------


@transaction.atomic
def jeton_calendrier_reinitialiser(*, mentor) -> JetonCalendrier:
    """A new secret (the first one, from the mentor's button): the old feed URL answers 404 from now on."""
    jeton, _ = JetonCalendrier.objects.get_or_create(mentor=mentor)
    jeton.jeton = nouveau_jeton()
    jeton.save(update_fields=["jeton"])
    return jeton


def url_calendrier(jeton: JetonCalendrier) -> str:
    return lien(reverse("seances:calendrier_ics", args=[jeton.jeton]))

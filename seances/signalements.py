"""The safeguarding channel's writes: filing a signalement, handling it, suspending a mentor and lifting it.

They live here, above `binomes` where the models are, because they touch the séances (the
suspended mentor's planned séances) and the in-app alerts.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from binomes.models import (
    STATUTS_VIVANTS,
    Binome,
    Canal,
    Mentor,
    Signalement,
    StatutBinome,
    StatutHonorabilite,
    StatutSignalement,
    Suspension,
)
from etablissements.models import Affectation
from etablissements.scoping import a_un_role, exiger_role
from socle import roles as R
from socle.courriels import envoyer_courriel, lien
from socle.journal import journaliser_droit
from socle.models import ActionJournal, JournalAcces

from . import sante_en_cache
from .models import Alerte, Participation, Seance, StatutSeance, TypeAlerte

logger = logging.getLogger(__name__)

# The public form takes at most this many reports per LP and per hour: enough for a class
# that reports together, too few for a script to bury the chef's list. Beyond it, the page
# says whom to call; nothing is lost that could not wait an hour or go by phone.
LIMITE_PUBLIQUE = 10
FENETRE_PUBLIQUE = timedelta(hours=1)


def destinataires_signalement(etablissement_id) -> list:
    """The chef and the référent(s) of the LP: the only readers of its signalements."""
    return list(
        Affectation.objects.filter(etablissement_id=etablissement_id, role__in=R.SIGNALEMENTS, user__is_active=True)
        .order_by("user_id")
        .distinct()
        .values_list("user_id", "user__email")
    )


def _journaliser(auteur, *, action, signalement_ou_mentor, etablissement_id, chemin=""):
    if auteur is None:
        # The public form: nobody signed in, the log still says that a report came in.
        return JournalAcces.objects.create(
            utilisateur="lien public du lycée",
            etablissement_id=etablissement_id,
            action=action,
            objet=str(signalement_ou_mentor)[:255],
            chemin=chemin[:255],
        )
    return journaliser_droit(
        auteur, action=action, etablissement_id=etablissement_id, objet=str(signalement_ou_mentor), chemin=chemin
    )


def limite_publique_atteinte(etablissement) -> bool:
    depuis = timezone.now() - FENETRE_PUBLIQUE
    return (
        Signalement.objects.filter(etablissement=etablissement, canal=Canal.LIEN_PUBLIC, depose_le__gte=depuis).count()
        >= LIMITE_PUBLIQUE
    )


@transaction.atomic
def signalement_deposer(
    *,
    etablissement,
    canal: str,
    qualite: str,
    texte: str,
    contact: str = "",
    depose_par=None,
    mentor: Mentor | None = None,
    binome: Binome | None = None,
    chemin: str = "",
) -> Signalement:
    """File a signalement; the chef and the référent get an in-app alert and an email without its content."""
    if canal == Canal.LIEN_PUBLIC and limite_publique_atteinte(etablissement):
        raise ValidationError(
            "Trop de signalements ont été déposés depuis ce lien dans l’heure. Réessayez plus tard, "
            "ou appelez le 119 (Allô enfance en danger) ; en cas de danger immédiat, appelez le 17."
        )
    if mentor is not None and mentor.etablissement_id != etablissement.pk:
        raise ValidationError("Le mentor concerné doit relever de ce lycée.")
    if binome is not None and binome.dispositif.etablissement_id != etablissement.pk:
        raise ValidationError("Le binôme concerné doit relever de ce lycée.")
    signalement = Signalement(
        etablissement=etablissement,
        canal=canal,
        qualite=qualite,
        texte=texte.strip(),
        contact=contact.strip(),
        depose_par=depose_par,
        mentor=mentor,
        binome=binome,
    )
    signalement.full_clean()
    signalement.save()
    _journaliser(
        depose_par,
        action=ActionJournal.SIGNALEMENT,
        signalement_ou_mentor=signalement,
        etablissement_id=etablissement.pk,
        chemin=chemin,
    )
    destinataires = destinataires_signalement(etablissement.pk)
    adresse = reverse("seances:signalement", args=[signalement.pk])
    maintenant = timezone.now()
    # Marked as sent: the email below goes at once, the daily digest must not repeat it.
    Alerte.objects.bulk_create(
        [
            Alerte(
                type=TypeAlerte.SIGNALEMENT,
                cle=f"signalement:{signalement.pk}",
                destinataire_id=user_id,
                etablissement=etablissement,
                message="Un signalement a été déposé : connectez-vous pour le lire.",
                lien=adresse,
                envoyee_le=maintenant,
            )
            for user_id, _email in destinataires
        ],
        ignore_conflicts=True,
    )
    emails = sorted({email for _user_id, email in destinataires if email})
    if emails:
        transaction.on_commit(lambda: _prevenir(emails, etablissement, lien(adresse)))
    return signalement


def _prevenir(emails, etablissement, adresse):
    # No content, no category, no name: an inbox is read on phones and shared screens.
    try:
        envoyer_courriel(
            destinataires=emails,
            sujet=f"Signalement déposé — {etablissement}",
            gabarit="seances/emails/signalement",
            contexte={"etablissement": etablissement, "lien": adresse},
        )
    except (SMTPException, OSError):
        # The in-app alert is already recorded: the chef sees it at the next sign-in.
        logger.warning("Signalement au lycée %s : le courriel n’a pas pu partir.", etablissement.pk, exc_info=True)


def signalement_lu(request, signalement: Signalement) -> None:
    """Log a reading of a signalement (its detail page), whoever reads it."""
    _journaliser(
        request.user,
        action=ActionJournal.CONSULTATION,
        signalement_ou_mentor=signalement,
        etablissement_id=signalement.etablissement_id,
        chemin=request.get_full_path(),
    )


def signalements_listes(request, etablissement) -> None:
    """Log a reading of the list of the LP's signalements (it names the mentors concerned)."""
    _journaliser(
        request.user,
        action=ActionJournal.CONSULTATION,
        signalement_ou_mentor="Liste des signalements",
        etablissement_id=etablissement.pk,
        chemin=request.get_full_path(),
    )


@transaction.atomic
def signalement_traiter(*, signalement: Signalement, statut: str, mentor=None, binome=None) -> Signalement:
    """Change the status of a signalement and the mentor or binôme it concerns."""
    if mentor is not None and mentor.etablissement_id != signalement.etablissement_id:
        raise ValidationError({"mentor": "Ce mentor ne relève pas de ce lycée."})
    if binome is not None and binome.dispositif.etablissement_id != signalement.etablissement_id:
        raise ValidationError({"binome": "Ce binôme ne relève pas de ce lycée."})
    maintenant = timezone.now()
    if statut != signalement.statut:
        signalement.modifie_le = maintenant
        signalement.clos_le = maintenant if statut == StatutSignalement.CLOS else None
    signalement.statut, signalement.mentor, signalement.binome = statut, mentor, binome
    if binome is not None and mentor is None:
        signalement.mentor = binome.mentor
    signalement.save(update_fields=["statut", "mentor", "binome", "modifie_le", "clos_le"])
    return signalement


# --- Suspension -----------------------------------------------------------------------------------


@transaction.atomic
def mentor_suspendre(*, mentor: Mentor, par, signalement: Signalement | None = None) -> Suspension:
    """The chef suspends a mentor at once.

    The suspension is a fact (when, by whom). Every living binôme of the mentor becomes
    "suspendu"; the mentor is taken off their planned séances from today on, and a planned
    séance left without any mentor is cancelled (a collective séance with other mentors
    goes on without them). `seance_enregistrer` then refuses them in any séance.
    """
    exiger_role(par, mentor.etablissement_id, R.SUSPENSION_MENTOR, "Seul le chef d’établissement suspend un mentor.")
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if Suspension.objects.en_cours().filter(mentor=mentor).exists():
        raise ValidationError(f"{mentor} est déjà suspendu.")
    suspension = Suspension.objects.create(mentor=mentor, par=par, signalement=signalement)
    Binome.objects.filter(mentor=mentor, statut__in=STATUTS_VIVANTS).update(statut=StatutBinome.SUSPENDU)
    a_venir = Seance.objects.filter(
        statut=StatutSeance.PREVUE, date__gte=timezone.localdate(), participations__mentor=mentor
    )
    seances = list(a_venir.values_list("pk", flat=True))
    Participation.objects.filter(seance__in=seances, mentor=mentor).delete()
    Seance.objects.filter(pk__in=seances).exclude(participations__mentor__isnull=False).update(
        statut=StatutSeance.ANNULEE
    )
    sante_en_cache.perimer(etablissement_id=mentor.etablissement_id)  # pairs and séances written in bulk
    if signalement is not None and signalement.mentor_id is None:
        signalement.mentor = mentor
        signalement.save(update_fields=["mentor"])
    _journaliser(
        par, action=ActionJournal.SUSPENSION, signalement_ou_mentor=suspension, etablissement_id=mentor.etablissement_id
    )
    return suspension


def raison_levee_impossible(suspension: Suspension) -> str | None:
    """Why the suspension cannot be lifted yet: it needs a new check, verified, dated after it."""
    honorabilite = suspension.mentor.honorabilite
    if honorabilite.statut != StatutHonorabilite.VERIFIEE or not honorabilite.valide():
        return (
            "La suspension ne peut être levée qu’après une nouvelle vérification d’honorabilité, "
            "enregistrée comme vérifiée et en cours de validité."
        )
    if honorabilite.date is None or honorabilite.date <= suspension.date_debut:
        return (
            "La dernière vérification d’honorabilité date d’avant la suspension "
            f"({suspension.date_debut:%d/%m/%Y}) : une nouvelle vérification, datée d’après, est nécessaire."
        )
    return None


@transaction.atomic
def suspension_lever(*, suspension: Suspension, par) -> Suspension:
    """The chef lifts a suspension, once a new honorabilité check dated after it is recorded.

    The binômes stay "suspendu": the référent reactivates each one knowingly (`binome_activer`).
    """
    suspension = Suspension.objects.select_for_update().select_related("mentor__honorabilite").get(pk=suspension.pk)
    exiger_role(
        par,
        suspension.mentor.etablissement_id,
        R.SUSPENSION_MENTOR,
        "Seul le chef d’établissement lève une suspension.",
    )
    if suspension.levee_le is not None:
        raise ValidationError("Cette suspension est déjà levée.")
    raison = raison_levee_impossible(suspension)
    if raison:
        raise ValidationError(raison)
    suspension.levee_le = timezone.now()
    suspension.levee_par = par
    suspension.verification_du = suspension.mentor.honorabilite.date
    suspension.save(update_fields=["levee_le", "levee_par", "verification_du"])
    _journaliser(
        par,
        action=ActionJournal.SUSPENSION,
        signalement_ou_mentor=f"Levée : {suspension}",
        etablissement_id=suspension.mentor.etablissement_id,
    )
    return suspension


# --- Rights, asked by the views -------------------------------------------------------------------


def lit_les_signalements(user, etablissement_id) -> bool:
    return a_un_role(user, etablissement_id, R.SIGNALEMENTS)


def suspend_les_mentors(user, etablissement_id) -> bool:
    return a_un_role(user, etablissement_id, R.SUSPENSION_MENTOR)


def est_suspendu(mentor) -> bool:
    return Suspension.objects.en_cours().filter(mentor=mentor).exists()

"""Inviting people to the programme's events, and who may be reached by email for it.

The guests of the launch and of the end-of-year ceremony are the LP's staff, the mentors, the
partner association, the companies of the network and the families. Staff, mentors, the
association and companies get an email with a personal link; families, whose addresses the app
does not keep, get a printed letter with a QR code that the student takes home. Anyone answers
through their link, without an account, until the day of the event; the attendance is ticked
on the day.
"""

import logging
import secrets
from dataclasses import dataclass
from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from binomes.models import Eleve, Mentor, StatutBinome
from etablissements.models import Affectation, Dispositif, Entreprise
from etablissements.models.invitation import empreinte_jeton
from socle.courriels import envoyer_courriel, lien
from socle.liens import LienInvalide
from socle.roles import ROLES_ETABLISSEMENT, Role

from .models import CategorieInvite, Evenement, InvitationEvenement, ReponseInvitation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Destinataire:
    nom: str
    email: str = ""
    eleve: Eleve | None = None


def _eleves_du_dispositif(dispositif: Dispositif):
    """The students paired this year (a pair ended this year still counts: they took part)."""
    return (
        Eleve.objects.filter(
            binomes__dispositif=dispositif,
            binomes__statut__in=(StatutBinome.ACTIF, StatutBinome.SUSPENDU, StatutBinome.TERMINE),
        )
        .distinct()
        .order_by("nom", "prenom")
    )


def destinataires(dispositif: Dispositif, categorie: str, *, evenement: Evenement | None = None) -> list[Destinataire]:
    """Who a category reaches for this dispositif: names and addresses, one entry per person."""
    etablissement_id = dispositif.etablissement_id
    if categorie == CategorieInvite.PERSONNEL:
        roles = ROLES_ETABLISSEMENT - {Role.MENTOR}
        comptes = (
            Affectation.objects.filter(etablissement_id=etablissement_id, role__in=roles, user__is_active=True)
            .values_list("user__prenom", "user__nom", "user__email")
            .distinct()
        )
        return sans_doublons(Destinataire(f"{prenom} {nom}".strip(), email) for prenom, nom, email in comptes)
    if categorie == CategorieInvite.MENTOR:
        mentors = (
            Mentor.objects.filter(binomes__dispositif=dispositif).exclude(email="").distinct().order_by("nom", "prenom")
        )
        return sans_doublons(Destinataire(f"{m.prenom} {m.nom}", m.email) for m in mentors)
    if categorie == CategorieInvite.PARTENAIRE:
        if dispositif.partenaire_id is None:
            return []
        comptes = (
            Affectation.objects.filter(partenaire_id=dispositif.partenaire_id, user__is_active=True)
            .values_list("user__prenom", "user__nom", "user__email")
            .distinct()
        )
        partenaire = dispositif.partenaire
        liste = [Destinataire(partenaire.nom, partenaire.email)] if partenaire.email else []
        return sans_doublons([*liste, *(Destinataire(f"{p} {n}".strip(), e) for p, n, e in comptes)])
    if categorie == CategorieInvite.ENTREPRISE:
        # An event invites the companies chosen on it; a survey asks every company of the LP's network.
        entreprises = (
            evenement.entreprises_invitees.all()
            if evenement
            else Entreprise.objects.filter(etablissement_id=etablissement_id)
        )
        entreprises = entreprises.exclude(contact_email="").order_by("nom")
        return sans_doublons(Destinataire(e.contact_nom or e.nom, e.contact_email) for e in entreprises)
    if categorie == CategorieInvite.FAMILLE:
        return [
            Destinataire(f"Responsables légaux de {e.prenom} {e.nom}", eleve=e)
            for e in _eleves_du_dispositif(dispositif)
        ]
    raise ValueError(categorie)


def sans_doublons(liste) -> list[Destinataire]:
    """One invitation per address, whatever the number of roles or sources that give it."""
    vus, resultat = set(), []
    for d in liste:
        cle = d.email.strip().lower()
        if cle and cle not in vus:
            vus.add(cle)
            resultat.append(d)
    return resultat


@dataclass
class Envoi:
    courriels: int
    deja_invites: int
    # (invitation, clear secret) of each family's letter: shown once, on the sheet to print.
    lettres: list


def invitations_envoyer(*, evenement: Evenement, categories: list[str]) -> Envoi:
    """Invite the people of `categories` not invited yet; email them once the invitations are saved.

    Invitations are written in one transaction; emails leave after it commits, from this process
    (as the chef's decisions do): a Redis outage cannot lose them. A failed email is logged, the
    invitation stays, and the référent sees it « sans réponse » in the list.
    """
    if not categories:
        raise ValidationError({"categories": "Choisissez au moins une catégorie d’invités."})
    dispositif = evenement.dispositif
    maintenant = timezone.now()
    a_envoyer, lettres, deja = [], [], 0
    with transaction.atomic():
        existants = InvitationEvenement.objects.select_for_update().filter(evenement=evenement)
        courriels = {i.email.lower() for i in existants if i.email}
        familles = {i.eleve_id for i in existants if i.eleve_id}
        for categorie in categories:
            for d in destinataires(dispositif, categorie, evenement=evenement):
                if (d.email and d.email.lower() in courriels) or (d.eleve and d.eleve.pk in familles):
                    deja += 1
                    continue
                jeton = secrets.token_urlsafe(24)
                invitation = InvitationEvenement.objects.create(
                    evenement=evenement,
                    categorie=categorie,
                    nom=d.nom[:200],
                    email=d.email,
                    eleve=d.eleve,
                    empreinte=empreinte_jeton(jeton),
                    envoyee_le=maintenant,
                )
                if d.email:
                    courriels.add(d.email.lower())
                    a_envoyer.append((invitation, jeton))
                else:
                    familles.add(d.eleve.pk)
                    lettres.append((invitation, jeton))
        transaction.on_commit(lambda: _envoyer(evenement, a_envoyer))
    return Envoi(courriels=len(a_envoyer), deja_invites=deja, lettres=lettres)


def lettres_refaire(*, evenement: Evenement) -> list:
    """New links for the families who have not answered (a letter lost in a school bag)."""
    lettres = []
    with transaction.atomic():
        for invitation in InvitationEvenement.objects.select_for_update().filter(
            evenement=evenement, eleve__isnull=False, reponse=ReponseInvitation.ATTENTE
        ):
            jeton = secrets.token_urlsafe(24)
            invitation.empreinte = empreinte_jeton(jeton)
            invitation.save(update_fields=["empreinte"])
            lettres.append((invitation, jeton))
    return lettres


def adresse_reponse(jeton: str) -> str:
    return lien(reverse("seances:invitation_repondre", args=[jeton]))


def _envoyer(evenement, a_envoyer):
    for invitation, jeton in a_envoyer:
        try:
            envoyer_courriel(
                destinataires=[invitation.email],
                sujet=f"Invitation : {evenement.get_type_display().lower()} du mentorat — "
                f"{evenement.dispositif.etablissement.nom}",
                gabarit="seances/emails/invitation_evenement",
                contexte={"invitation": invitation, "evenement": evenement, "lien": adresse_reponse(jeton)},
            )
        except (SMTPException, OSError):
            logger.warning("Invitation %s non envoyée.", invitation.pk, exc_info=True)


def invitation_trouver(jeton: str) -> InvitationEvenement:
    """The invitation of a link, while one may still answer (until the day of the event)."""
    invitation = (
        InvitationEvenement.objects.select_related("evenement__dispositif__etablissement")
        .filter(empreinte=empreinte_jeton(jeton))
        .first()
    )
    if invitation is None:
        raise LienInvalide("Ce lien ne correspond à aucune invitation.", connu=False)
    if invitation.evenement.date < timezone.localdate():
        raise LienInvalide("L’évènement a eu lieu : il n’est plus possible de répondre.", connu=True)
    return invitation


def reponse_enregistrer(*, jeton: str, reponse: str, nombre: int = 1) -> InvitationEvenement:
    """Record (or change) the answer of an invitation; « ne viendra pas » counts nobody."""
    with transaction.atomic():
        invitation = invitation_trouver(jeton)
        invitation = InvitationEvenement.objects.select_for_update().get(pk=invitation.pk)
        invitation.reponse = reponse
        invitation.nombre = nombre if reponse == ReponseInvitation.VIENDRA else 1
        invitation.repondu_le = timezone.now()
        invitation.full_clean(exclude=["evenement", "eleve"])
        invitation.save(update_fields=["reponse", "nombre", "repondu_le"])
    return invitation


def presences_enregistrer(*, evenement: Evenement, presents: set[int]) -> int:
    """Tick who came, on the day or after: the ticked invitations of this event, the others unticked."""
    with transaction.atomic():
        invitations = InvitationEvenement.objects.filter(evenement=evenement)
        invitations.filter(pk__in=presents).update(present=True)
        invitations.exclude(pk__in=presents).update(present=False)
    return invitations.filter(present=True).count()


def bilan_invitations(evenement: Evenement) -> dict:
    """The counts shown above the list: invited, coming (people), not coming, no answer, present."""
    return InvitationEvenement.objects.filter(evenement=evenement).aggregate(
        invites=Count("pk"),
        viendront=Count("pk", filter=Q(reponse=ReponseInvitation.VIENDRA)),
        personnes=Sum("nombre", filter=Q(reponse=ReponseInvitation.VIENDRA), default=0),
        ne_viendront_pas=Count("pk", filter=Q(reponse=ReponseInvitation.NE_VIENDRA_PAS)),
        sans_reponse=Count("pk", filter=Q(reponse=ReponseInvitation.ATTENTE)),
        presents=Count("pk", filter=Q(present=True)),
    )

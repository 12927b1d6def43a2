"""Bringing people in: invitations to a role, their acceptance, and the withdrawal of a role.

One mechanism for every place a role is held on (an LP, a partner association, an
académie). Who may hand out which role where is said once, in `roles_invitables`; every
write runs in one transaction with its line in the access log, and names its author.
"""

import logging
import secrets
from smtplib import SMTPException

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from socle import roles as R
from socle.courriels import envoyer_courriel, lien
from socle.journal import ActionJournal, journaliser_droit
from socle.models import normaliser_email
from socle.roles import Role

from .models import Academie, Affectation, Etablissement, Invitation, Partenaire
from .models.affectation import NATIONAL
from .models.invitation import DUREE_VALIDITE, StatutInvitation, empreinte_jeton
from .scoping import a_un_role, a_un_role_academie, a_un_role_partenaire, perimetre

logger = logging.getLogger(__name__)

# Sent once an invitation is accepted, with `invitation` and `user`: the apps above link what
# they keep about the person (a mentor's record) to the account.
invitation_acceptee = Signal()


class InvitationInvalide(Exception):
    """A link that cannot be used any more; `message` says why, in French."""

    def __init__(self, message, invitation=None):
        super().__init__(message)
        self.message = message
        self.invitation = invitation


# --- Who may do what ----------------------------------------------------------------------


def _cle_lieu(lieu) -> dict:
    if isinstance(lieu, Etablissement):
        return {"etablissement": lieu}
    if isinstance(lieu, Partenaire):
        return {"partenaire": lieu}
    if isinstance(lieu, Academie):
        return {"academie": lieu}
    if lieu is NATIONAL:
        # A national role is held on no row: the country.
        return {"etablissement": None, "partenaire": None, "academie": None}
    raise TypeError(f"Lieu inconnu : {lieu!r}")


def roles_invitables(user, lieu) -> list[str]:
    """The roles `user` may hand out (and withdraw) on `lieu`, in the order forms show them.

    Nobody hands out a national role in the app: the operators do (Django admin, or
    `manage.py inviter_pilote_national`).
    """
    if not (user and user.is_authenticated and user.is_active):
        return []
    roles: list[str] = []
    p = perimetre(user)
    if isinstance(lieu, Etablissement):
        if p.roles_sur_academie(lieu.academie_id) & {Role.ADMIN_ACADEMIQUE}:
            roles.append(Role.CHEF)
        if a_un_role(user, lieu.pk, R.GESTION_ACCES_LP):
            roles += [r for r in R.ROLES_INVITES_PAR_LE_LP if r not in roles]
        if a_un_role(user, lieu.pk, R.SUIVI_PARTENAIRE):
            roles.append(Role.MENTOR)
    elif isinstance(lieu, Partenaire):
        # Only an académie's administrator costs a query: is the association on one of their lists?
        administre = bool(p.administration) and lieu.academies.filter(pk__in=p.administration).exists()
        if administre or a_un_role_partenaire(user, lieu.pk, {Role.RESPONSABLE}):
            roles += [Role.RESPONSABLE, Role.COORDONNATEUR]
    elif isinstance(lieu, Academie) and a_un_role_academie(user, lieu.pk, {Role.ADMIN_ACADEMIQUE}):
        roles += [Role.ADMIN_ACADEMIQUE, Role.PILOTAGE]
    return roles


def roles_retirables(user, lieu) -> list[str]:
    """What `user` may withdraw on `lieu`: what they hand out, and a chef the other chefs."""
    roles = roles_invitables(user, lieu)
    if isinstance(lieu, Etablissement) and a_un_role(user, lieu.pk, {Role.CHEF}) and Role.CHEF not in roles:
        roles.append(Role.CHEF)
    return roles


def gere_les_acces(user, lieu) -> bool:
    """Whether the user sees the accounts and invitations of `lieu` at all."""
    return bool(roles_retirables(user, lieu))


def _exiger(user, role, lieu, retrait=False):
    permis = roles_retirables(user, lieu) if retrait else roles_invitables(user, lieu)
    if role not in permis:
        if not permis:
            # Nothing to manage here: the place is not the user's; the same answer as a missing one.
            raise Http404
        raise PermissionDenied("Votre rôle ne permet pas d’attribuer ou de retirer ce rôle ici.")


# --- Invitations ----------------------------------------------------------------------------


def _envoyer(invitation: Invitation, jeton: str):
    auteur = invitation.invitee_par
    try:
        envoyer_courriel(
            destinataires=[invitation.email],
            sujet=f"Invitation : {invitation.get_role_display()} — {invitation.lieu}",
            gabarit="etablissements/emails/invitation",
            contexte={
                "invitation": invitation,
                "auteur": auteur.get_full_name() or auteur.email if auteur else "L’équipe Mentorat LP",
                "lien": lien(reverse("invitation", args=[jeton])),
                "expire_le": timezone.localtime(invitation.expire_le),
            },
        )
    except (SMTPException, OSError) as erreur:
        logger.warning("Invitation %s : le courriel n’a pas pu partir.", invitation.pk, exc_info=True)
        raise ValidationError(
            "Le courriel d’invitation n’a pas pu être envoyé (serveur de messagerie injoignable). "
            "Rien n’a été enregistré : réessayez dans quelques minutes."
        ) from erreur


def _nouveau_jeton(invitation: Invitation) -> str:
    jeton = secrets.token_urlsafe(32)
    maintenant = timezone.now()
    invitation.jeton_empreinte = empreinte_jeton(jeton)
    invitation.envoyee_le = maintenant
    invitation.expire_le = maintenant + DUREE_VALIDITE
    return jeton


def _objet(invitation_ou_affectation, email) -> str:
    return f"{invitation_ou_affectation.get_role_display()} — {invitation_ou_affectation.lieu} — {email}"


@transaction.atomic
def inviter(*, par, email: str, role: str, lieu, prenom: str = "", nom: str = "", verifier=True) -> Invitation:
    """Invite `email` to `role` on `lieu`, and send the link.

    A pending invitation for the same address, role and place is sent again (a new link,
    seven more days) rather than doubled. Someone who already holds the role is refused.
    `verifier=False` is for the operator's commands, which act outside any perimeter.
    """
    if verifier:
        _exiger(par, role, lieu)
    email = normaliser_email(email)
    cle = _cle_lieu(lieu)
    if Affectation.objects.filter(user__email__iexact=email, role=role, **cle).exists():
        raise ValidationError(
            {"email": f"Cette personne a déjà le rôle « {Role(role).label} » ici."}, code="deja_membre"
        )
    invitation = (
        Invitation.objects.select_for_update()
        .filter(email__iexact=email, role=role, statut=StatutInvitation.EN_ATTENTE, **cle)
        .first()
    )
    if invitation is None:
        invitation = Invitation(email=email, role=role, **cle)
    invitation.prenom = prenom or invitation.prenom
    invitation.nom = nom or invitation.nom
    invitation.invitee_par = par
    jeton = _nouveau_jeton(invitation)
    invitation.full_clean(exclude=["jeton_empreinte"])
    invitation.save()
    journaliser_droit(
        par,
        action=ActionJournal.INVITATION,
        etablissement_id=invitation.etablissement_id,
        objet=_objet(invitation, email),
    )
    _envoyer(invitation, jeton)
    return invitation


def get_invitation_for_user(user, pk) -> Invitation:
    """One invitation, for someone who may withdraw its role on its place; 404 otherwise."""
    invitation = Invitation.objects.select_related("etablissement", "partenaire", "academie").filter(pk=pk).first()
    if invitation is None or invitation.role not in roles_retirables(user, invitation.lieu):
        raise Http404
    return invitation


@transaction.atomic
def renvoyer(*, par, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) valid seven more days, sent again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _exiger(par, invitation.role, invitation.lieu)
    if invitation.statut != StatutInvitation.EN_ATTENTE:
        raise ValidationError(
            f"Cette invitation est {invitation.get_statut_display().lower()} : elle ne peut être renvoyée."
        )
    invitation.invitee_par = par
    jeton = _nouveau_jeton(invitation)
    invitation.save()
    journaliser_droit(
        par,
        action=ActionJournal.INVITATION,
        etablissement_id=invitation.etablissement_id,
        objet=f"Renvoi : {_objet(invitation, invitation.email)}",
    )
    _envoyer(invitation, jeton)
    return invitation


@transaction.atomic
def annuler(*, par, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _exiger(par, invitation.role, invitation.lieu, retrait=True)
    if invitation.statut != StatutInvitation.EN_ATTENTE:
        raise ValidationError(
            f"Cette invitation est {invitation.get_statut_display().lower()} : elle ne peut être annulée."
        )
    invitation.statut = StatutInvitation.ANNULEE
    invitation.save(update_fields=["statut"])
    journaliser_droit(
        par,
        action=ActionJournal.ANNULATION,
        etablissement_id=invitation.etablissement_id,
        objet=_objet(invitation, invitation.email),
    )
    return invitation


def trouver(jeton: str) -> Invitation:
    """The invitation of a link, if it can still be accepted; else InvitationInvalide says why."""
    invitation = (
        Invitation.objects.select_related("etablissement", "partenaire", "academie", "invitee_par")
        .filter(jeton_empreinte=empreinte_jeton(jeton or ""))
        .first()
    )
    if invitation is None:
        raise InvitationInvalide(
            "Ce lien d’invitation n’est pas valable : il a peut-être été remplacé par un envoi plus récent. "
            "Utilisez le dernier courriel reçu, ou demandez une nouvelle invitation."
        )
    qui = _qui_demander(invitation)
    if invitation.statut == StatutInvitation.ACCEPTEE:
        raise InvitationInvalide(
            "Ce lien d’invitation a déjà été utilisé : il ne sert qu’une fois. "
            "Connectez-vous avec votre adresse et votre mot de passe.",
            invitation,
        )
    if invitation.statut == StatutInvitation.ANNULEE:
        raise InvitationInvalide(
            f"Cette invitation a été annulée. Pour un nouvel accès, adressez-vous à {qui}.", invitation
        )
    if invitation.expiree:
        raise InvitationInvalide(
            f"Cette invitation a expiré le {timezone.localtime(invitation.expire_le):%d/%m/%Y à %H:%M} "
            f"(elle est valable 7 jours). Demandez-en une nouvelle à {qui}.",
            invitation,
        )
    return invitation


def _qui_demander(invitation: Invitation) -> str:
    auteur = invitation.invitee_par
    if auteur is not None:
        return f"{auteur.get_full_name() or auteur.email} ({auteur.email})"
    return "la personne qui vous a invité"


def compte_existant(email: str):
    return get_user_model().objects.filter(email__iexact=normaliser_email(email)).first()


@transaction.atomic
def accepter(*, invitation: Invitation, user) -> Affectation:
    """Give `user` the invitation's role. The account's email must be the invitation's."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.statut != StatutInvitation.EN_ATTENTE or invitation.expiree:
        raise InvitationInvalide("Cette invitation n’est plus valable.", invitation)
    if normaliser_email(user.email) != normaliser_email(invitation.email):
        raise InvitationInvalide(
            f"Cette invitation est adressée à {invitation.email} : connectez-vous avec cette adresse pour l’accepter.",
            invitation,
        )
    affectation, _ = Affectation.objects.get_or_create(user=user, role=invitation.role, **_cle_lieu(invitation.lieu))
    invitation.statut = StatutInvitation.ACCEPTEE
    invitation.acceptee_le = timezone.now()
    invitation.acceptee_par = user
    invitation.save(update_fields=["statut", "acceptee_le", "acceptee_par"])
    if not (user.prenom or user.nom) and (invitation.prenom or invitation.nom):
        user.prenom, user.nom = invitation.prenom, invitation.nom
        user.save(update_fields=["prenom", "nom"])
    journaliser_droit(
        user,
        action=ActionJournal.ACCEPTATION,
        etablissement_id=invitation.etablissement_id,
        objet=f"{_objet(invitation, user.email)} (invité par {invitation.invitee_par or 'inconnu'})",
    )
    invitation_acceptee.send(sender=Invitation, invitation=invitation, user=user)
    return affectation


@transaction.atomic
def creer_compte_et_accepter(*, invitation: Invitation, password: str, prenom: str = "", nom: str = ""):
    """The invited person has no account yet: create it with their password, then accept."""
    if compte_existant(invitation.email) is not None:
        raise InvitationInvalide(
            "Un compte existe déjà pour cette adresse : connectez-vous pour accepter l’invitation."
        )
    user = get_user_model().objects.create_user(
        invitation.email, password, prenom=prenom or invitation.prenom, nom=nom or invitation.nom
    )
    accepter(invitation=invitation, user=user)
    return user


def accepter_en_attente(user) -> list[Affectation]:
    """Accept every valid pending invitation addressed to the user's (verified) email.

    For a sign-in that proved the address by itself (ProConnect): the invitations are the
    only way it gets a role.
    """
    affectations = []
    for invitation in Invitation.objects.en_attente().filter(email__iexact=normaliser_email(user.email)):
        affectations.append(accepter(invitation=invitation, user=user))
    return affectations


# --- Roles held -----------------------------------------------------------------------------


def acces_de(user, lieu) -> dict:
    """What the access list (`_acces.html`) shows of `lieu` to one of its managers (404 for anyone
    else): the roles held there, the pending invitations, and the roles `user` may withdraw."""
    retirables = set(roles_retirables(user, lieu))
    if not retirables:
        raise Http404
    cle = _cle_lieu(lieu)
    return {
        "affectations": list(Affectation.objects.filter(**cle).select_related("user").order_by("role", "user__nom")),
        "invitations": list(
            Invitation.objects.filter(statut=StatutInvitation.EN_ATTENTE, **cle).select_related("invitee_par")
        ),
        "retirables": retirables,
    }


def get_affectation_for_user(user, pk) -> Affectation:
    affectation = (
        Affectation.objects.select_related("user", "etablissement", "partenaire", "academie").filter(pk=pk).first()
    )
    if affectation is None or affectation.role not in roles_retirables(user, affectation.lieu):
        raise Http404
    return affectation


@transaction.atomic
def retirer(*, par, affectation: Affectation) -> None:
    """Withdraw a role. The last chef of an LP stays: an LP always has someone who validates."""
    affectation = Affectation.objects.select_for_update().select_related("user").get(pk=affectation.pk)
    _exiger(par, affectation.role, affectation.lieu, retrait=True)
    if affectation.role == Role.CHEF:
        # Lock the LP's chefs so that two chefs removing each other cannot both succeed.
        chefs = list(
            Affectation.objects.select_for_update()
            .filter(etablissement_id=affectation.etablissement_id, role=Role.CHEF)
            .values_list("pk", flat=True)
        )
        if len(chefs) <= 1:
            raise ValidationError(
                "C’est le seul chef d’établissement de ce lycée : invitez d’abord son successeur, puis retirez ce rôle."
            )
    objet = _objet(affectation, affectation.user.email)
    etablissement_id = affectation.etablissement_id
    affectation.delete()
    journaliser_droit(par, action=ActionJournal.RETRAIT, etablissement_id=etablissement_id, objet=objet)

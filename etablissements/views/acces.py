"""Accounts and access: who holds a role on an LP, an association or an académie; invitations.

The rights (who hands out which role where) are the service's (`etablissements.invitations`):
these views only ask it, and answer 404 for a place the user does not manage.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socle.decorators import login_not_required
from socle.models import normaliser_email
from socle.roles import Role

from .. import invitations as service
from ..forms import AcceptationForm, InvitationForm
from ..models import Academie, Etablissement, Partenaire

# The kinds of place a role is held on, as they appear in URLs.
LIEUX = {"lycee": Etablissement, "association": Partenaire, "academie": Academie}


def type_de_lieu(lieu) -> str:
    return next(cle for cle, modele in LIEUX.items() if isinstance(lieu, modele))


def url_acces(lieu) -> str:
    return reverse("etablissements:acces", args=[type_de_lieu(lieu), lieu.pk])


def _lieu(request, type_, pk):
    modele = LIEUX.get(type_)
    if modele is None:
        raise Http404
    lieu = get_object_or_404(modele, pk=pk)
    if not service.gere_les_acces(request.user, lieu):
        raise Http404
    return lieu


def _erreurs(form, erreur: ValidationError):
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur)


def acces(request, type_, pk):
    """Who holds a role here, the pending invitations, and the form to invite someone."""
    lieu = _lieu(request, type_, pk)
    # Mentors are invited with their mentor record, from the mentors' pages.
    roles = [r for r in service.roles_invitables(request.user, lieu) if r != Role.MENTOR]
    form = InvitationForm(request.POST or None, roles=roles) if roles else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                invitation = service.inviter(
                    par=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    lieu=lieu,
                    prenom=form.cleaned_data["prenom"],
                    nom=form.cleaned_data["nom"],
                )
            except ValidationError as erreur:
                _erreurs(form, erreur)
            else:
                messages.success(
                    request,
                    f"Invitation envoyée à {invitation.email} ({invitation.get_role_display()}). "
                    "Le lien est valable 7 jours.",
                )
                return redirect(url_acces(lieu))
    # An association's page also says which LPs it serves (its conventions): names of LPs only.
    conventions = (
        list(
            lieu.conventions.select_related("dispositif__etablissement").order_by(
                "-dispositif__annee", "dispositif__etablissement__nom"
            )
        )
        if isinstance(lieu, Partenaire)
        else []
    )
    return render(
        request,
        "etablissements/acces.html",
        {
            "lieu": lieu,
            "type_lieu": type_,
            "etablissement": lieu if isinstance(lieu, Etablissement) else None,
            "conventions": conventions,
            "form": form,
            **service.acces_de(request.user, lieu),
        },
    )


def _retour(request, lieu):
    return redirect(url_acces(lieu))


@require_POST
def invitation_renvoyer(request, pk):
    invitation = service.get_invitation_for_user(request.user, pk)
    try:
        service.renvoyer(par=request.user, invitation=invitation)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, f"Invitation renvoyée à {invitation.email} : un nouveau lien, valable 7 jours.")
    return _retour(request, invitation.lieu)


@require_POST
def invitation_annuler(request, pk):
    invitation = service.get_invitation_for_user(request.user, pk)
    try:
        service.annuler(par=request.user, invitation=invitation)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, f"L’invitation de {invitation.email} est annulée : son lien ne fonctionne plus.")
    return _retour(request, invitation.lieu)


@require_POST
def affectation_retirer(request, pk):
    affectation = service.get_affectation_for_user(request.user, pk)
    try:
        service.retirer(par=request.user, affectation=affectation)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request, f"{affectation.user} n’a plus le rôle « {affectation.get_role_display()} » ({affectation.lieu})."
        )
    return _retour(request, affectation.lieu)


# --- The invited person ---------------------------------------------------------------------


@login_not_required
def invitation(request, jeton):
    """The link of the email: create the account (or sign in) and take the role."""
    try:
        invitation = service.trouver(jeton)
    except service.InvitationInvalide as erreur:
        # A link that matches nothing is not found (404); one used, cancelled or expired is gone (410).
        statut = 404 if erreur.invitation is None else 410
        return render(request, "etablissements/invitation_invalide.html", {"message": erreur.message}, status=statut)
    contexte = {"invitation": invitation, "jeton": jeton}
    user = request.user
    if user.is_authenticated:
        if normaliser_email(user.email) != normaliser_email(invitation.email):
            return render(request, "etablissements/invitation.html", {**contexte, "autre_compte": True})
        if request.method == "POST":
            return _accepter(request, invitation, user)
        return render(request, "etablissements/invitation.html", {**contexte, "accepter": True})
    if service.compte_existant(invitation.email) is not None:
        # The person already has an account (another LP, another role): they sign in, then accept.
        return render(request, "etablissements/invitation.html", {**contexte, "se_connecter": True})
    # An unsaved account, so that the password validators compare the password with the address.
    futur = get_user_model()(email=invitation.email, prenom=invitation.prenom, nom=invitation.nom)
    form = AcceptationForm(
        user=futur, data=request.POST or None, initial={"prenom": invitation.prenom, "nom": invitation.nom}
    )
    if request.method == "POST" and form.is_valid():
        try:
            nouveau = service.creer_compte_et_accepter(
                invitation=invitation,
                password=form.cleaned_data["new_password1"],
                prenom=form.cleaned_data["prenom"],
                nom=form.cleaned_data["nom"],
            )
        except service.InvitationInvalide as erreur:
            return render(request, "etablissements/invitation_invalide.html", {"message": erreur.message}, status=410)
        login(request, nouveau, backend="socle.authentification.ModelBackend")
        messages.success(
            request, f"Votre compte est créé : vous êtes {invitation.get_role_display()} ({invitation.lieu})."
        )
        return redirect("accueil")
    return render(request, "etablissements/invitation.html", {**contexte, "form": form})


def _accepter(request, invitation, user):
    try:
        service.accepter(invitation=invitation, user=user)
    except service.InvitationInvalide as erreur:
        return render(request, "etablissements/invitation_invalide.html", {"message": erreur.message}, status=410)
    messages.success(request, f"Vous êtes désormais {invitation.get_role_display()} ({invitation.lieu}).")
    return redirect("accueil")

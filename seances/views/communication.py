"""Invitations to an event: sending them, the families' letters, the answers and the attendance."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from etablissements.scoping import get_for_user
from socle.decorators import login_not_required
from socle.formats import compte
from socle.liens import LienInvalide, lien_invalide

from .. import communication as service
from ..forms import InvitationsEvenementForm, PresencesEvenementForm, ReponseInvitationForm
from ..models import Evenement, InvitationEvenement


def _evenement(request, pk, *, ecriture=False):
    return get_for_user(
        Evenement.objects.select_related("dispositif__etablissement", "dispositif__partenaire"),
        request.user,
        ecriture=ecriture,
        pk=pk,
    )


def invitations(request, pk):
    """The guests of an event, their answers and the attendance; sending invitations is a POST."""
    evenement = _evenement(request, pk, ecriture=request.method == "POST")
    peut_inviter = Evenement.objects.peut_ecrire(request.user, evenement.dispositif.etablissement_id)
    form = InvitationsEvenementForm(request.POST if request.method == "POST" else None) if peut_inviter else None
    if request.method == "POST" and form.is_valid():
        try:
            envoi = service.invitations_envoyer(evenement=evenement, categories=form.cleaned_data["categories"])
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                f"{compte(envoi.courriels, 'invitation envoyée', 'invitations envoyées')} par courriel, "
                f"{compte(len(envoi.lettres), 'lettre', 'lettres')} à imprimer ; "
                f"{compte(envoi.deja_invites, 'personne était', 'personnes étaient')} déjà invitées.",
            )
            if envoi.lettres:
                return _lettres(request, evenement, envoi.lettres)
            return redirect("seances:invitations", pk=evenement.pk)
    liste = list(InvitationEvenement.objects.filter(evenement=evenement).order_by("categorie", "nom"))
    venus = None
    if peut_inviter and liste:
        venus = PresencesEvenementForm(evenement=evenement, initial={"presents": [i for i in liste if i.present]})
    return render(
        request,
        "seances/invitations.html",
        {
            "evenement": evenement,
            "invitations": liste,
            "bilan": service.bilan_invitations(evenement),
            "form": form,
            "presences": venus,
            "familles_sans_reponse": any(i.eleve_id and i.reponse == "attente" for i in liste),
        },
    )


@require_POST
def lettres(request, pk):
    """The families' letters printed again, with new links (the previous ones stop working)."""
    evenement = _evenement(request, pk, ecriture=True)
    return _lettres(request, evenement, service.lettres_refaire(evenement=evenement))


def _lettres(request, evenement, lettres):
    cartes = []
    for invitation, jeton in lettres:
        adresse = service.adresse_reponse(jeton)
        qr = segno.make(adresse, error="m").svg_inline(scale=4, title=f"Code QR de la réponse — {invitation.nom}")
        # segno writes SVG presentation attributes only: allowed by the CSP, no script.
        cartes.append({"invitation": invitation, "adresse": adresse, "qr": mark_safe(qr)})
    return render(request, "seances/invitations_lettres.html", {"evenement": evenement, "cartes": cartes})


@require_POST
def presences(request, pk):
    evenement = _evenement(request, pk, ecriture=True)
    form = PresencesEvenementForm(request.POST, evenement=evenement)
    if form.is_valid():
        nombre = service.presences_enregistrer(
            evenement=evenement, presents={i.pk for i in form.cleaned_data["presents"]}
        )
        messages.success(request, f"Présences enregistrées : {compte(nombre, 'présent', 'présents')}.")
    else:
        messages.error(request, "Les présences n’ont pas été enregistrées : la liste a changé, rechargez la page.")
    return redirect("seances:invitations", pk=evenement.pk)


TITRE_INVALIDE = "Cette invitation n’est plus valable"


@login_not_required
def repondre(request, jeton):
    """Public page, no account: the guest says whether they will come, and with how many people."""
    try:
        invitation = service.invitation_trouver(jeton)
    except LienInvalide as erreur:
        return lien_invalide(request, titre=TITRE_INVALIDE, message=erreur.message, connu=erreur.connu)
    initial = {"reponse": invitation.reponse, "nombre": invitation.nombre} if invitation.repondu_le else None
    form = ReponseInvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = service.reponse_enregistrer(jeton=jeton, **form.cleaned_data)
        except LienInvalide as erreur:
            return lien_invalide(request, titre=TITRE_INVALIDE, message=erreur.message)
        return render(request, "seances/invitation_merci.html", {"invitation": invitation})
    return render(request, "seances/invitation_repondre.html", {"invitation": invitation, "form": form})

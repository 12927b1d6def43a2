"""The safeguarding channel: the public form of each LP, filing from the app, the chef's pages.

A signalement is read by the chef and the référent of its LP only: for anyone else its
pages do not exist (404), whatever their role elsewhere.
"""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from binomes.models import Binome, Canal, Mentor, QualiteDeclarant, Signalement, Suspension
from etablissements.models import Etablissement
from etablissements.scoping import get_for_user
from socle import roles as R
from socle.courriels import lien
from socle.decorators import login_not_required, role_required
from socle.roles import Role

from .. import signalements as service
from ..forms_signalements import SignalementForm, SignalementPublicForm, SignalementTraiterForm

PAR_PAGE = 50


def _erreurs(form, erreur: ValidationError):
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur)


# --- The public link ----------------------------------------------------------------------------


@login_not_required
def signalement_public(request, code):
    """A student or a parent reports, without an account, from the LP's public link."""
    etablissement = get_object_or_404(Etablissement, code_public=code)
    form = SignalementPublicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.est_un_robot():
            # Told it went through: a robot learns nothing, and nothing is kept.
            return redirect("seances:signalement_envoye", code=code)
        try:
            service.signalement_deposer(
                etablissement=etablissement,
                canal=Canal.LIEN_PUBLIC,
                qualite=form.cleaned_data["qualite"],
                texte=form.cleaned_data["texte"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as erreur:
            return render(
                request,
                "seances/signalement_public.html",
                {"etablissement": etablissement, "form": form, "erreur": erreur.messages[0]},
                status=429,
            )
        return redirect("seances:signalement_envoye", code=code)
    return render(request, "seances/signalement_public.html", {"etablissement": etablissement, "form": form})


@login_not_required
def signalement_envoye(request, code):
    etablissement = get_object_or_404(Etablissement, code_public=code)
    return render(request, "seances/signalement_envoye.html", {"etablissement": etablissement})


# --- Filing from the app ------------------------------------------------------------------------------


def _qualite(roles) -> str:
    if Role.MENTOR in roles and len(roles) == 1:
        return QualiteDeclarant.MENTOR
    if roles <= {Role.COORDONNATEUR}:
        return QualiteDeclarant.COORDONNATEUR
    return QualiteDeclarant.PERSONNEL


@role_required(R.DEPOT_SIGNALEMENT)
def signalement_nouveau(request):
    etablissement = request.etablissement
    form = SignalementForm(
        request.POST or None,
        mentors=Mentor.objects.for_user(request.user).filter(etablissement=etablissement),
        binomes=Binome.objects.for_user(request.user)
        .filter(dispositif__etablissement=etablissement)
        .select_related("mentor", "eleve"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.signalement_deposer(
                etablissement=etablissement,
                canal=Canal.APPLICATION,
                qualite=_qualite(set(request.roles)),
                texte=form.cleaned_data["texte"],
                depose_par=request.user,
                mentor=form.cleaned_data["mentor"],
                binome=form.cleaned_data["binome"],
                chemin=request.get_full_path(),
            )
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(
                request,
                "Votre signalement est transmis au chef d’établissement et au référent mentorat, "
                "qui en sont avertis à l’instant.",
            )
            return redirect("accueil")
    return render(request, "seances/signalement_nouveau.html", {"form": form, "etablissement": etablissement})


# --- The chef's and the référent's pages -----------------------------------------------------------------


def signalements(request):
    """The LP's signalements, for the chef and the référent; anyone else finds no page (404)."""
    if request.etablissement is None or not service.lit_les_signalements(request.user, request.etablissement.pk):
        raise Http404
    etablissement = request.etablissement
    qs = (
        Signalement.objects.for_user(request.user)
        .filter(etablissement=etablissement)
        .select_related("mentor")
        .annotate(nb_suspensions=Count("suspensions"))[:PAR_PAGE]
    )
    suspensions = (
        Suspension.objects.for_user(request.user)
        .en_cours()
        .filter(mentor__etablissement=etablissement)
        .select_related("mentor", "par")
    )
    # The list names the mentors concerned: a reading too, logged as such.
    service.signalements_listes(request, etablissement)
    adresse = lien(reverse("seances:signalement_public", args=[etablissement.code_public]))
    return render(
        request,
        "seances/signalements.html",
        {
            "signalements": qs,
            "suspensions": suspensions,
            "adresse_publique": adresse,
            # segno writes SVG presentation attributes only: allowed by the CSP, no script.
            "qr": mark_safe(segno.make(adresse, error="m").svg_inline(scale=3, title="Code QR du lien public")),
        },
    )


def _signalement(request, pk):
    return get_for_user(
        Signalement.objects.select_related("etablissement", "mentor__honorabilite", "binome__eleve", "depose_par"),
        request.user,
        ecriture=request.method == "POST",
        pk=pk,
    )


def signalement(request, pk):
    """One signalement, its follow-up and the mentor's suspension; each reading is logged."""
    signalement = _signalement(request, pk)
    form = SignalementTraiterForm(
        request.POST or None, instance=signalement, etablissement_id=signalement.etablissement_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.signalement_traiter(
                signalement=signalement,
                statut=form.cleaned_data["statut"],
                mentor=form.cleaned_data["mentor"],
                binome=form.cleaned_data["binome"],
            )
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(request, "Le suivi du signalement est enregistré.")
            return redirect("seances:signalement", pk=signalement.pk)
    service.signalement_lu(request, signalement)
    suspensions = list(signalement.suspensions.select_related("mentor__honorabilite", "par", "levee_par"))
    for suspension in suspensions:
        suspension.raison_levee = service.raison_levee_impossible(suspension) if suspension.levee_le is None else None
    mentor = signalement.mentor
    return render(
        request,
        "seances/signalement.html",
        {
            "signalement": signalement,
            "form": form,
            "suspensions": suspensions,
            "peut_suspendre": service.suspend_les_mentors(request.user, signalement.etablissement_id),
            "mentor_suspendu": mentor is not None and service.est_suspendu(mentor),
        },
    )


@require_POST
def signalement_suspendre(request, pk):
    """The chef suspends at once the mentor the signalement concerns."""
    signalement = _signalement(request, pk)
    if signalement.mentor is None:
        messages.error(request, "Indiquez d’abord le mentor concerné par ce signalement.")
        return redirect("seances:signalement", pk=signalement.pk)
    try:
        service.mentor_suspendre(mentor=signalement.mentor, par=request.user, signalement=signalement)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request,
            f"{signalement.mentor} est suspendu : ses binômes sont suspendus et ses séances à venir "
            "ne l’incluent plus.",
        )
    return redirect("seances:signalement", pk=signalement.pk)


@require_POST
def suspension_lever(request, pk):
    """The chef lifts a suspension, after a new honorabilité check recorded as a fact."""
    suspension = get_for_user(
        Suspension.objects.select_related("mentor__honorabilite"), request.user, ecriture=True, pk=pk
    )
    try:
        service.suspension_lever(suspension=suspension, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request,
            f"La suspension de {suspension.mentor} est levée. Ses binômes restent suspendus : "
            "le référent les réactive un par un.",
        )
    if suspension.signalement_id:
        return redirect("seances:signalement", pk=suspension.signalement_id)
    return redirect("seances:signalements")

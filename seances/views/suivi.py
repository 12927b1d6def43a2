"""Follow-up meetings and events of the programme."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from etablissements.models import Dispositif, Partenaire
from etablissements.scoping import get_for_user
from socle import roles as R
from socle.decorators import role_required
from socle.roles import Role

from .. import services
from ..forms import (
    ActionSuiviFormSet,
    EvenementForm,
    ReunionSuiviForm,
)
from ..models import (
    Evenement,
    ReunionSuivi,
)

PAR_PAGE = 25
LECTURE_SEANCES = R.LECTURE_PROGRAMME | {Role.MENTOR}


@role_required(R.LECTURE_PROGRAMME)
def reunions(request):
    qs = (
        ReunionSuivi.objects.for_user(request.user)
        .filter(dispositif__etablissement=request.etablissement)
        .select_related("partenaire")
        .annotate(nb_actions=Count("actions"), nb_actions_ouvertes=Count("actions", filter=Q(actions__faite=False)))
        .order_by("-date", "-pk")
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "seances/reunions.html",
        {"page": page, "peut_creer": ReunionSuivi.objects.peut_ecrire(request.user, request.etablissement.pk)},
    )


def _reunion_formulaire(request, reunion, dispositif):
    partenaires = Partenaire.objects.for_user(request.user)
    donnees = request.POST if request.method == "POST" else None
    form = ReunionSuiviForm(donnees, instance=reunion, partenaires=partenaires)
    formset = ActionSuiviFormSet(donnees, instance=reunion, prefix="actions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        reunion = form.save(commit=False)
        reunion.dispositif = dispositif
        services.reunion_enregistrer(reunion=reunion, actions=formset)
        messages.success(request, "La réunion est enregistrée.")
        return redirect(reunion)
    return render(request, "seances/reunion_form.html", {"form": form, "formset": formset, "reunion": reunion})


@role_required(R.SUIVI_PARTENAIRE)
def reunion_nouvelle(request):
    dispositif = Dispositif.objects.select_related("etablissement").courant_ou_404(request.etablissement)
    return _reunion_formulaire(request, ReunionSuivi(dispositif=dispositif), dispositif)


def reunion(request, pk):
    """A meeting: its record for readers, its form for those who write it."""
    reunion = get_for_user(
        ReunionSuivi.objects.select_related("dispositif", "partenaire").prefetch_related("actions"),
        request.user,
        ecriture=request.method == "POST",
        pk=pk,
    )
    peut_modifier = ReunionSuivi.objects.peut_ecrire(request.user, reunion.dispositif.etablissement_id)
    if request.method == "POST" or (request.GET.get("modifier") and peut_modifier):
        return _reunion_formulaire(request, reunion, reunion.dispositif)
    return render(
        request,
        "seances/reunion.html",
        {
            "reunion": reunion,
            "peut_modifier": peut_modifier,
        },
    )


@role_required(R.LECTURE_PROGRAMME)
def evenements(request):
    qs = (
        Evenement.objects.for_user(request.user)
        .filter(dispositif__etablissement=request.etablissement)
        .annotate(nb_entreprises=Count("entreprises_invitees"))
        .order_by("-date", "-pk")
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "seances/evenements.html",
        {"page": page, "peut_creer": Evenement.objects.peut_ecrire(request.user, request.etablissement.pk)},
    )


def _evenement_formulaire(request, evenement, dispositif):
    form = EvenementForm(request.POST or None, instance=evenement, etablissement=dispositif.etablissement_id)
    if request.method == "POST" and form.is_valid():
        evenement = form.save(commit=False)
        evenement.dispositif = dispositif
        services.evenement_enregistrer(evenement=evenement, form=form)
        messages.success(request, "L’évènement est enregistré.")
        return redirect("seances:evenements")
    return render(request, "seances/evenement_form.html", {"form": form, "evenement": evenement})


@role_required(R.SUIVI_PARTENAIRE)
def evenement_nouveau(request):
    dispositif = Dispositif.objects.select_related("etablissement").courant_ou_404(request.etablissement)
    return _evenement_formulaire(request, Evenement(dispositif=dispositif), dispositif)


def evenement(request, pk):
    evenement = get_for_user(
        Evenement.objects.select_related("dispositif").prefetch_related("entreprises_invitees"),
        request.user,
        ecriture=request.method == "POST",
        pk=pk,
    )
    peut_modifier = Evenement.objects.peut_ecrire(request.user, evenement.dispositif.etablissement_id)
    if request.method == "POST" or (request.GET.get("modifier") and peut_modifier):
        return _evenement_formulaire(request, evenement, evenement.dispositif)
    return render(request, "seances/evenement.html", {"evenement": evenement, "peut_modifier": peut_modifier})


# --- Calendar -------------------------------------------------------------------------------

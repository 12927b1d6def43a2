from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from socle import roles as R
from socle.decorators import role_required

from ..filters import EntrepriseFiltre
from ..forms import EntrepriseForm
from ..models import Entreprise
from ..scoping import exiger_ecriture, get_for_user


def _lp_courant(request):
    if request.etablissement is None:
        raise Http404
    return request.etablissement


@role_required(R.LECTURE_PROGRAMME)
def entreprises(request):
    """The current LP's network of companies and structures, shared by all its dispositifs."""
    etab = _lp_courant(request)
    qs = Entreprise.objects.for_user(request.user).filter(etablissement=etab).order_by("nom")
    filtre = EntrepriseFiltre(request.GET or None, queryset=qs)
    page = Paginator(filtre.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "etablissements/entreprises.html",
        {
            "etablissement": etab,
            "filtre": filtre,
            "page": page,
            "peut_ajouter": Entreprise.objects.peut_ecrire(request.user, etab.pk),
        },
    )


def entreprise_ajouter(request):
    etab = _lp_courant(request)
    exiger_ecriture(request.user, Entreprise, etab.pk, "Votre rôle ne permet pas d’ajouter une entreprise.")
    form = EntrepriseForm(request.POST or None, instance=Entreprise(etablissement=etab))
    if request.method == "POST" and form.is_valid():
        entreprise = form.save()
        messages.success(request, f"« {entreprise} » rejoint le réseau de l’établissement.")
        return redirect(entreprise)
    return render(
        request,
        "etablissements/formulaire.html",
        {
            "form": form,
            "titre": "Ajouter une entreprise ou structure",
            "fil": [("Entreprises et structures", "etablissements:entreprises")],
        },
    )


def entreprise(request, pk):
    e = get_for_user(Entreprise.objects.select_related("etablissement"), request.user, pk=pk)
    return render(
        request,
        "etablissements/entreprise.html",
        {"entreprise": e, "peut_modifier": Entreprise.objects.peut_ecrire(request.user, e.etablissement_id)},
    )


def entreprise_modifier(request, pk):
    e = get_for_user(Entreprise, request.user, ecriture=True, pk=pk)
    form = EntrepriseForm(request.POST or None, instance=e)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L’entreprise est enregistrée.")
        return redirect(e)
    return render(
        request,
        "etablissements/formulaire.html",
        {
            "form": form,
            "titre": f"Modifier {e}",
            "fil": [("Entreprises et structures", "etablissements:entreprises"), (str(e), e)],
        },
    )

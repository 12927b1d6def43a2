from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mentorat.roles import Role

from .forms import EtablissementForm
from .middleware import SESSION_KEY
from .models import Etablissement
from .scoping import get_for_user, perimetre, peut_ecrire


@require_POST
def choisir(request):
    """The LP switcher: remember in the session which LP the user works on."""
    try:
        pk = int(request.POST.get("etablissement", ""))
    except ValueError:
        raise Http404 from None
    if not (perimetre(request.user).roles_sur(pk) - {Role.PILOTAGE}):
        raise Http404
    request.session[SESSION_KEY] = pk
    suivant = request.POST.get("suivant", "")
    if not url_has_allowed_host_and_scheme(suivant, allowed_hosts={request.get_host()}):
        suivant = "accueil"
    messages.success(request, "Établissement changé.")
    return redirect(suivant)


def etablissement(request):
    """The current LP's page."""
    if request.etablissement is None:
        raise Http404
    return detail(request, request.etablissement.pk)


def detail(request, pk):
    etab = get_for_user(Etablissement.objects.select_related("academie"), request.user, pk=pk)
    dispositifs = etab.dispositifs.select_related("partenaire").order_by("-annee")
    return render(
        request,
        "etablissements/detail.html",
        {
            "etablissement": etab,
            "dispositifs": dispositifs,
            "peut_modifier": peut_ecrire(request.user, Etablissement, etab.pk),
        },
    )


def modifier(request, pk):
    etab = get_for_user(Etablissement, request.user, ecriture=True, pk=pk)
    form = EtablissementForm(request.POST or None, instance=etab)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les informations de l’établissement sont enregistrées.")
        return redirect(etab)
    return render(request, "etablissements/modifier.html", {"etablissement": etab, "form": form})

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socle.roles import Role

from .. import frise as frise_mod
from .. import invitations
from ..forms import EtablissementForm, FormationFormSet, helper_formset
from ..middleware import SESSION_KEY
from ..models import Dispositif, Etablissement
from ..models.dispositif import annee_scolaire_courante
from ..scoping import a_un_role, get_for_user
from .commun import SECTIONS


@require_POST
def choisir(request):
    """The LP switcher: remember in the session which LP the user works on."""
    try:
        pk = int(request.POST.get("etablissement", ""))
    except ValueError:
        raise Http404 from None
    if not a_un_role(request.user, pk, set(Role) - {Role.PILOTAGE}):
        raise Http404
    request.session[SESSION_KEY] = pk
    suivant = request.POST.get("suivant", "")
    if not url_has_allowed_host_and_scheme(suivant, allowed_hosts={request.get_host()}):
        suivant = "accueil"
    messages.success(request, "Établissement changé.")
    return redirect(suivant)


def etablissement(request):
    """The current LP's page: the hub of the « cadre du dispositif »."""
    if request.etablissement is None:
        raise Http404
    return detail(request, request.etablissement.pk)


def detail(request, pk):
    """An LP and, for those who read its programme, the dispositif of the chosen school year.

    The current year's dispositif is shown by default; `?annee=` shows a past (or next) one.
    """
    etab = get_for_user(Etablissement.objects.select_related("academie"), request.user, pk=pk)
    lit_programme = a_un_role(request.user, pk, Dispositif.ROLES_LECTURE)
    contexte = {
        "etablissement": etab,
        "formations": list(etab.formations.all()),
        "peut_modifier": Etablissement.objects.peut_ecrire(request.user, etab.pk),
        "lit_programme": lit_programme,
        "gere_les_acces": invitations.gere_les_acces(request.user, etab),
    }
    if lit_programme:
        annee_courante = annee_scolaire_courante()
        dispositifs = list(etab.dispositifs.select_related("partenaire").order_by("-annee"))
        par_annee = {d.annee: d for d in dispositifs}
        try:
            annee = int(request.GET.get("annee", annee_courante))
        except ValueError:
            annee = annee_courante
        choisi = par_annee.get(annee)
        if choisi is None and "annee" not in request.GET and dispositifs:
            choisi = dispositifs[0]
        peut_creer = Dispositif.objects.peut_ecrire(request.user, etab.pk)
        contexte.update(
            {
                "dispositifs": dispositifs,
                "dispositif": choisi,
                "annee_courante": annee_courante,
                "annee_scolaire_courante": f"{annee_courante}-{annee_courante + 1}",
                "peut_creer": peut_creer and (annee_courante not in par_annee or annee_courante + 1 not in par_annee),
                "etats": frise_mod.frise(choisi) if choisi else [],
                "sections": SECTIONS[1:],
            }
        )
        if choisi:
            contexte["en_retard"] = [e for e in contexte["etats"] if e.en_retard]
    return render(request, "etablissements/detail.html", contexte)


def modifier(request, pk):
    etab = get_for_user(Etablissement, request.user, ecriture=True, pk=pk)
    form = EtablissementForm(request.POST or None, instance=etab)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les informations de l’établissement sont enregistrées.")
        return redirect(etab)
    return render(request, "etablissements/modifier.html", {"etablissement": etab, "form": form})


def formations(request, pk):
    """The diplomas and specialities the LP teaches."""
    etab = get_for_user(Etablissement, request.user, ecriture=True, pk=pk)
    formset = FormationFormSet(request.POST or None, instance=etab, prefix="formations")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, "Les formations de l’établissement sont enregistrées.")
        return redirect(etab)
    return render(
        request,
        "etablissements/formations.html",
        {"etablissement": etab, "formset": formset, "helper": helper_formset()},
    )

"""The académie's administration (its LPs, their chefs, its partner associations), and the
entry of an association's responsable.

Rights go through `etablissements.academies` (404 for an académie the user does not
administer) and the invitations service; the accounts of each place are managed on its
access page (`etablissements:acces`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socle.roles import Role

from .. import academies as service
from ..forms import LyceeCreerForm, PartenaireAcademieForm, PartenaireForm, PartenaireInscrireForm
from ..models import Academie, Partenaire
from ..scoping import a_un_role_partenaire, academies_administrees, partenaires_de
from .acces import url_acces


def _erreurs(form, erreur: ValidationError):
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur)


def administration(request):
    """The administrator's entry: their académie, or the list when they administer several."""
    ids = academies_administrees(request.user)
    if not ids:
        raise Http404
    if len(ids) == 1:
        return redirect("etablissements:academie", pk=next(iter(ids)))
    liens = [(str(a), reverse("etablissements:academie", args=[a.pk])) for a in Academie.objects.filter(pk__in=ids)]
    return render(request, "etablissements/liste_liens.html", {"titre": "Administration des académies", "liens": liens})


def academie(request, pk):
    """The académie's LPs and their chefs, its partner associations, links to the access pages."""
    a = service.academie_administree(request.user, pk)
    return render(
        request,
        "etablissements/academie.html",
        {
            "academie": a,
            "lycees": service.lycees(a),
            "partenaires": service.partenaires(a),
            "peut_inscrire": service.partenaires_a_inscrire(a).exists(),
            "url_acces_academie": url_acces(a),
        },
    )


def _page_formulaire(request, a, form, titre, aide=""):
    return render(
        request,
        "etablissements/academie_formulaire.html",
        {"academie": a, "form": form, "titre": titre, "aide": aide},
    )


def lycee_creer(request, pk):
    """A new LP of the académie, and its chef's invitation (both or neither)."""
    a = service.academie_administree(request.user, pk)
    form = LyceeCreerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            lp = service.creer_lycee(
                par=request.user,
                academie=a,
                valeurs={c: donnees[c] for c in ("nom", "uai", "adresse", "code_postal", "commune")},
                chef={"email": donnees["chef_email"], "prenom": donnees["chef_prenom"], "nom": donnees["chef_nom"]},
            )
        except ValidationError as erreur:
            if hasattr(erreur, "error_dict") and "email" in erreur.error_dict:
                erreur.error_dict["chef_email"] = erreur.error_dict.pop("email")
            _erreurs(form, erreur)
        else:
            message = f"Le lycée « {lp.nom} » est créé."
            if donnees["chef_email"]:
                message += f" Invitation envoyée à {donnees['chef_email']} (chef d’établissement), valable 7 jours."
            messages.success(request, message)
            return redirect("etablissements:academie", pk=a.pk)
    return _page_formulaire(request, a, form, "Créer un lycée")


def academie_partenaire_nouveau(request, pk):
    """A new partner association, put on the académie's list."""
    a = service.academie_administree(request.user, pk)
    form = PartenaireAcademieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        valeurs = {champ: form.cleaned_data[champ] for champ in form.Meta.fields}
        try:
            partenaire = service.creer_partenaire(par=request.user, academie=a, valeurs=valeurs)
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(request, f"« {partenaire} » est sur la liste des associations partenaires de l’académie.")
            return redirect("etablissements:academie", pk=a.pk)
    return _page_formulaire(request, a, form, "Ajouter une association partenaire")


def academie_partenaire_inscrire(request, pk):
    """Put on the list an association another académie already lists."""
    a = service.academie_administree(request.user, pk)
    form = PartenaireInscrireForm(request.POST or None, queryset=service.partenaires_a_inscrire(a))
    if request.method == "POST" and form.is_valid():
        partenaire = form.cleaned_data["partenaire"]
        service.inscrire_partenaire(par=request.user, academie=a, partenaire=partenaire)
        messages.success(request, f"« {partenaire} » est sur la liste des associations partenaires de l’académie.")
        return redirect("etablissements:academie", pk=a.pk)
    return _page_formulaire(
        request,
        a,
        form,
        "Ajouter une association déjà connue",
        "Associations déjà inscrites sur la liste d’une autre académie.",
    )


def academie_partenaire_modifier(request, pk, partenaire_pk):
    """Name, « 1 jeune, 1 mentor » flag and contacts of an association of the list."""
    a = service.academie_administree(request.user, pk)
    partenaire = service.partenaire_de_la_liste(a, partenaire_pk)
    form = PartenaireForm(request.POST or None, instance=partenaire)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"« {partenaire} » est enregistrée.")
        return redirect("etablissements:academie", pk=a.pk)
    return _page_formulaire(request, a, form, f"Modifier {partenaire}")


@require_POST
def academie_partenaire_retirer(request, pk, partenaire_pk):
    """Take the association off the list (other académies may list it: it is not deleted)."""
    a = service.academie_administree(request.user, pk)
    partenaire = service.partenaire_de_la_liste(a, partenaire_pk)
    service.retirer_partenaire(par=request.user, academie=a, partenaire=partenaire)
    messages.success(
        request,
        f"« {partenaire} » n’est plus sur la liste de l’académie ; ses conventions en cours ne changent pas.",
    )
    return redirect("etablissements:academie", pk=a.pk)


def mon_association(request):
    """The responsable's entry: their association's page (accounts, invitations, LPs served)."""
    ids = sorted(
        pk for pk in partenaires_de(request.user) if a_un_role_partenaire(request.user, pk, {Role.RESPONSABLE})
    )
    if not ids:
        raise Http404
    if len(ids) == 1:
        return redirect(url_acces(Partenaire.objects.get(pk=ids[0])))
    liens = [(p.nom, url_acces(p)) for p in Partenaire.objects.filter(pk__in=ids)]
    return render(request, "etablissements/liste_liens.html", {"titre": "Mes associations", "liens": liens})

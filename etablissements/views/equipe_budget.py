from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import invitations
from ..forms import LigneBudgetForm, MembreEquipeForm
from ..models import LigneBudget, MembreEquipe
from ..models.budget import NatureDepense, SourceFinancement, TypeLigneBudget
from ..scoping import get_for_user
from .commun import contexte_dispositif, obtenir_dispositif

# --- Équipe ---------------------------------------------------------------------------


def equipe(request, pk):
    """The dispositif's team and, for those who manage the LP's access, its accounts and invitations."""
    d = obtenir_dispositif(request, pk)
    membres = list(d.equipe.select_related("user"))
    acces = {}
    if invitations.gere_les_acces(request.user, d.etablissement):
        acces = {"gere_les_acces": True, **invitations.acces_de(request.user, d.etablissement)}
    return render(
        request, "etablissements/equipe.html", contexte_dispositif(request, d, "equipe", membres=membres, **acces)
    )


def membre_ajouter(request, pk):
    d = obtenir_dispositif(request, pk, ecriture=True)
    form = MembreEquipeForm(request.POST or None, instance=MembreEquipe(dispositif=d), dispositif=d)
    if request.method == "POST" and form.is_valid():
        membre = form.save()
        messages.success(request, f"{membre.nom_complet} fait partie de l’équipe.")
        return redirect("etablissements:equipe", pk=d.pk)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, d, "equipe", form=form, titre="Ajouter un membre de l’équipe"),
    )


def _membre(request, pk):
    return get_for_user(
        MembreEquipe.objects.select_related("dispositif__etablissement", "dispositif__partenaire"),
        request.user,
        ecriture=True,
        pk=pk,
    )


def membre_modifier(request, pk):
    membre = _membre(request, pk)
    d = membre.dispositif
    form = MembreEquipeForm(request.POST or None, instance=membre, dispositif=d)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le membre de l’équipe est enregistré.")
        return redirect("etablissements:equipe", pk=d.pk)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, d, "equipe", form=form, titre=f"Modifier : {membre.nom_complet}"),
    )


@require_POST
def membre_supprimer(request, pk):
    membre = _membre(request, pk)
    membre.delete()
    messages.success(request, f"{membre.nom_complet} ne fait plus partie de l’équipe.")
    return redirect("etablissements:equipe", pk=membre.dispositif_id)


# --- Budget ---------------------------------------------------------------------------


def _par_categorie(lignes, type_, choices, attribut):
    """[(label, total)] of the lines of `type_`, per category, in the choices' order."""
    totaux = {}
    for ligne in lignes:
        if ligne.type == type_:
            cle = getattr(ligne, attribut)
            totaux[cle] = totaux.get(cle, 0) + ligne.montant
    return [(libelle, totaux[code]) for code, libelle in choices if code in totaux]


def budget(request, pk):
    """Sums allocated by source and committed by nature, with the dispositif's totals."""
    d = obtenir_dispositif(request, pk)
    lignes = list(d.lignes_budget.all())
    allocations = [ligne for ligne in lignes if ligne.type == TypeLigneBudget.ALLOCATION]
    engagements = [ligne for ligne in lignes if ligne.type == TypeLigneBudget.ENGAGEMENT]
    alloue = sum((ligne.montant for ligne in allocations), 0)
    engage = sum((ligne.montant for ligne in engagements), 0)
    return render(
        request,
        "etablissements/budget.html",
        contexte_dispositif(
            request,
            d,
            "budget",
            allocations=allocations,
            engagements=engagements,
            par_source=_par_categorie(lignes, TypeLigneBudget.ALLOCATION, SourceFinancement.choices, "source"),
            par_nature=_par_categorie(lignes, TypeLigneBudget.ENGAGEMENT, NatureDepense.choices, "nature"),
            totaux={"alloue": alloue, "engage": engage, "reste": alloue - engage},
        ),
    )


def ligne_budget_ajouter(request, pk):
    d = obtenir_dispositif(request, pk, ecriture=True)
    form = LigneBudgetForm(request.POST or None, instance=LigneBudget(dispositif=d))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La ligne de budget est enregistrée.")
        return redirect("etablissements:budget", pk=d.pk)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, d, "budget", form=form, titre="Ajouter une ligne de budget"),
    )


def _ligne(request, pk):
    return get_for_user(
        LigneBudget.objects.select_related("dispositif__etablissement", "dispositif__partenaire"),
        request.user,
        ecriture=True,
        pk=pk,
    )


def ligne_budget_modifier(request, pk):
    ligne = _ligne(request, pk)
    form = LigneBudgetForm(request.POST or None, instance=ligne)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La ligne de budget est enregistrée.")
        return redirect("etablissements:budget", pk=ligne.dispositif_id)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, ligne.dispositif, "budget", form=form, titre=f"Modifier : {ligne.libelle}"),
    )


@require_POST
def ligne_budget_supprimer(request, pk):
    ligne = _ligne(request, pk)
    ligne.delete()
    messages.success(request, f"La ligne « {ligne.libelle} » est supprimée.")
    return redirect("etablissements:budget", pk=ligne.dispositif_id)

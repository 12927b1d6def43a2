from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from socle import roles as R
from socle.decorators import role_required
from socle.roles import Role

from .. import services
from ..filters import PartenaireFiltre
from ..forms import ConventionForm, PartenaireChoixForm, PartenaireForm
from ..models import Affectation, Convention, Partenaire
from ..scoping import get_for_user, partenaires_de
from ..services import CHAMPS_CONVENTION
from .commun import contexte_dispositif, obtenir_dispositif


def conventions(request, pk):
    """The dispositif's partner(s) and convention(s)."""
    d = obtenir_dispositif(request, pk)
    liste = list(d.conventions.select_related("partenaire").order_by("partenaire__nom"))
    return render(
        request,
        "etablissements/conventions.html",
        contexte_dispositif(request, d, "convention", conventions=liste),
    )


def partenaire_ajouter(request, pk):
    """Add the coordinating partner of a dispositif with its draft convention.

    The LP picks from its académie's list of partner associations (laureates of « 1 jeune,
    1 mentor » first), or describes one that is not on it, which then joins the list (see
    PartenaireChoixForm for why that stays possible).
    """
    d = obtenir_dispositif(request, pk, ecriture=True)
    form = PartenaireChoixForm(request.POST or None, user=request.user, dispositif=d)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            with transaction.atomic():
                partenaire = donnees["partenaire"]
                if partenaire is None:
                    partenaire = Partenaire.objects.create(
                        nom=donnees["nom"].strip(),
                        type=donnees["type"] or Partenaire._meta.get_field("type").default,
                        plan_1j1m=donnees["plan_1j1m"],
                        email=donnees["email"],
                        telephone=donnees["telephone"],
                    )
                    # An association the LP brings in joins its académie's list.
                    partenaire.academies.add(d.etablissement.academie_id)
                convention = services.convention_creer(dispositif=d, partenaire=partenaire, auteur=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"Partenaire « {partenaire} » ajouté : complétez maintenant la convention.")
            return redirect("etablissements:convention_modifier", pk=convention.pk)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, d, "convention", form=form, titre="Ajouter le partenaire coordonnateur"),
    )


def _convention(request, pk, *, ecriture=False):
    return get_for_user(
        Convention.objects.select_related("dispositif__etablissement", "dispositif__partenaire", "partenaire"),
        request.user,
        ecriture=ecriture,
        pk=pk,
    )


def convention(request, pk):
    c = _convention(request, pk)
    historique = c.modifications.select_related("auteur")
    return render(
        request,
        "etablissements/convention.html",
        contexte_dispositif(request, c.dispositif, "convention", convention=c, historique=historique),
    )


def convention_modifier(request, pk):
    c = _convention(request, pk, ecriture=True)
    form = ConventionForm(request.POST or None, instance=Convention.objects.get(pk=c.pk))
    if request.method == "POST" and form.is_valid():
        valeurs = {champ: form.cleaned_data[champ] for champ in CHAMPS_CONVENTION}
        services.convention_modifier(convention=c, valeurs=valeurs, auteur=request.user)
        messages.success(request, "La convention est enregistrée.")
        return redirect(c)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, c.dispositif, "convention", form=form, titre=f"Convention avec {c.partenaire}"),
    )


# --- Partners -------------------------------------------------------------------------


@role_required(R.LECTURE_PROGRAMME)
def partenaires(request):
    """The partners of the user's LPs (through a convention) and those the user coordinates."""
    qs = Partenaire.objects.for_user(request.user).annotate(nb_conventions=Count("conventions")).order_by("nom")
    filtre = PartenaireFiltre(request.GET or None, queryset=qs)
    page = Paginator(filtre.qs, 25).get_page(request.GET.get("page"))
    return render(request, "etablissements/partenaires.html", {"filtre": filtre, "page": page})


def _peut_modifier_partenaire(user, partenaire) -> bool:
    """The référent of an LP bound to it by a convention, or one of its coordinators."""
    return (
        partenaire.pk in partenaires_de(user)
        or Partenaire.objects.for_user(user, roles=R.GESTION_PROGRAMME).filter(pk=partenaire.pk).exists()
    )


def partenaire(request, pk):
    p = get_object_or_404(Partenaire.objects.for_user(request.user), pk=pk)
    coordonnateurs = [
        a.user for a in Affectation.objects.filter(partenaire=p, role=Role.COORDONNATEUR).select_related("user")
    ]
    conventions = (
        Convention.objects.for_user(request.user)
        .filter(partenaire=p)
        .select_related("dispositif__etablissement")
        .order_by("-dispositif__annee", "dispositif__etablissement__nom")
    )
    return render(
        request,
        "etablissements/partenaire.html",
        {
            "partenaire": p,
            "coordonnateurs": coordonnateurs,
            "conventions": conventions,
            "peut_modifier": _peut_modifier_partenaire(request.user, p),
        },
    )


def partenaire_modifier(request, pk):
    p = get_object_or_404(Partenaire.objects.for_user(request.user), pk=pk)
    if not _peut_modifier_partenaire(request.user, p):
        raise PermissionDenied("Votre rôle ne permet pas de modifier ce partenaire.")
    form = PartenaireForm(request.POST or None, instance=p)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le partenaire est enregistré.")
        return redirect(p)
    return render(request, "etablissements/formulaire.html", {"form": form, "titre": f"Modifier {p}"})

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socle import roles as R
from socle.decorators import role_required
from socle.roles import Role

from .. import reconduction, services
from ..filters import PartenaireFiltre
from ..forms import (
    AvenantForm,
    ConventionForm,
    PartenaireChoixForm,
    PartenaireForm,
    ReconductionForm,
    RenvoiForm,
    SignatureForm,
    SignaturePartenaireForm,
)
from ..models import Affectation, Avenant, Convention, Partenaire
from ..models.convention import StatutConvention
from ..models.historique import DECISIONS, ActionHistorique
from ..scoping import a_un_role, a_un_role_partenaire, exiger_role, get_for_user, partenaires_de
from ..services import CHAMPS_CONVENTION
from .commun import contexte_dispositif, obtenir_dispositif


def conventions(request, pk):
    """The dispositif's partners and conventions."""
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


def _peut_signer_pour_le_partenaire(user, c) -> bool:
    return (
        c.statut == StatutConvention.SOUMISE
        and c.date_signature_partenaire is None
        and a_un_role_partenaire(user, c.partenaire_id, {Role.RESPONSABLE})
    )


def _page_convention(request, c, *, form_renvoi=None, form_reconduction=None):
    chef = a_un_role(request.user, c.dispositif.etablissement_id, R.VALIDATION)
    peut_signer = chef and c.statut == StatutConvention.SOUMISE
    if peut_signer and form_renvoi is None:
        form_renvoi = RenvoiForm(action=reverse("etablissements:convention_renvoyer", args=[c.pk]))
    a_reconduire = reconduction.convention_a_reconduire(c)
    if chef and a_reconduire and form_reconduction is None:
        form_reconduction = ReconductionForm(action=reverse("etablissements:convention_reconduire", args=[c.pk]))
    historique = list(c.modifications.select_related("auteur"))
    dernier_renvoi = next((m for m in historique if m.action == ActionHistorique.RENVOI), None)
    return render(
        request,
        "etablissements/convention.html",
        contexte_dispositif(
            request,
            c.dispositif,
            "convention",
            convention=c,
            historique=historique,
            decisions=[m for m in reversed(historique) if m.action in DECISIONS],
            renvoi=dernier_renvoi if c.statut == StatutConvention.BROUILLON else None,
            avenants=list(c.avenants.select_related("signe_par")),
            peut_signer=peut_signer,
            peut_signer_partenaire=_peut_signer_pour_le_partenaire(request.user, c),
            peut_avenant=chef and c.est_signee,
            form_renvoi=form_renvoi if peut_signer else None,
            a_reconduire=a_reconduire,
            reconduite_par=_reconduite_par(c),
            form_reconduction=form_reconduction if chef and a_reconduire else None,
        ),
    )


def _reconduite_par(c):
    if c.reconduite_par_id is None:
        return None
    return Avenant.objects.select_related("convention__dispositif").get(pk=c.reconduite_par_id)


def convention(request, pk):
    return _page_convention(request, _convention(request, pk))


def convention_modifier(request, pk):
    """The référent writes the draft convention; once signed, only an avenant changes it."""
    c = _convention(request, pk, ecriture=True)
    if c.est_signee:
        raise services.ConventionSignee()
    form = ConventionForm(request.POST or None, instance=Convention.objects.get(pk=c.pk))
    if request.method == "POST" and form.is_valid():
        valeurs = {champ: form.cleaned_data[champ] for champ in CHAMPS_CONVENTION}
        services.convention_modifier(convention=c, valeurs=valeurs, auteur=request.user)
        messages.success(request, "La convention est enregistrée.")
        return redirect(c)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(
            request, c.dispositif, "convention", form=form, titre=f"Modifier la convention avec {c.partenaire}"
        ),
    )


@require_POST
def convention_soumettre(request, pk):
    c = _convention(request, pk, ecriture=True)
    try:
        services.convention_soumettre(convention=c, auteur=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "La convention est soumise à la signature du chef d’établissement.")
    return redirect(c)


def _exiger_chef(request, c, message):
    exiger_role(request.user, c.dispositif.etablissement_id, R.VALIDATION, message)


@require_POST
def convention_renvoyer(request, pk):
    """The chef d'établissement sends the submitted convention back to the référent, with a comment."""
    c = _convention(request, pk)
    _exiger_chef(request, c, "Seul le chef d’établissement renvoie la convention pour modification.")
    form = RenvoiForm(request.POST, action=reverse("etablissements:convention_renvoyer", args=[c.pk]))
    if form.is_valid():
        try:
            services.convention_renvoyer(
                convention=c, auteur=request.user, commentaire=form.cleaned_data["commentaire"]
            )
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, "La convention est renvoyée au référent pour modification.")
        return redirect(c)
    return _page_convention(request, c, form_renvoi=form)


def convention_signer(request, pk):
    """The chef d'établissement signs the submitted convention."""
    c = _convention(request, pk)
    _exiger_chef(request, c, "Seul le chef d’établissement signe la convention.")
    if c.statut != StatutConvention.SOUMISE:
        messages.error(request, "Seule une convention soumise à la signature peut être signée.")
        return redirect(c)
    form = SignatureForm(request.POST or None, convention=c)
    if request.method == "POST" and form.is_valid():
        try:
            services.convention_signer(convention=c, auteur=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, "La convention est signée.")
            return redirect(c)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(
            request, c.dispositif, "convention", form=form, titre=f"Signer la convention avec {c.partenaire}"
        ),
    )


def convention_signer_partenaire(request, pk):
    """The partner's responsable records the association's signature."""
    c = _convention(request, pk)
    if not a_un_role_partenaire(request.user, c.partenaire_id, {Role.RESPONSABLE}):
        raise PermissionDenied("Seul le responsable de l’association signe la convention pour le partenaire.")
    if not _peut_signer_pour_le_partenaire(request.user, c):
        messages.error(request, "Cette convention n’attend pas la signature du partenaire.")
        return redirect(c)
    form = SignaturePartenaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.convention_signer_partenaire(
            convention=c, auteur=request.user, date_signature=form.cleaned_data["date_signature"]
        )
        messages.success(request, "La signature du partenaire est enregistrée.")
        return redirect(c)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(
            request, c.dispositif, "convention", form=form, titre=f"Signer la convention pour {c.partenaire}"
        ),
    )


def convention_avenant(request, pk):
    """The chef d'établissement records a signed avenant to the signed convention."""
    c = _convention(request, pk)
    _exiger_chef(request, c, "Seul le chef d’établissement signe un avenant à la convention.")
    if not c.est_signee:
        messages.error(request, "Seule une convention signée se modifie par avenant.")
        return redirect(c)
    form = AvenantForm(request.POST or None, instance=Convention.objects.get(pk=c.pk))
    if request.method == "POST" and form.is_valid():
        valeurs = {champ: form.cleaned_data[champ] for champ in CHAMPS_CONVENTION}
        try:
            avenant = services.avenant_signer(
                convention=c,
                auteur=request.user,
                objet=form.cleaned_data["objet"],
                date_signature=form.cleaned_data["date_signature"],
                valeurs=valeurs,
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"L’avenant n° {avenant.numero} est enregistré.")
            return redirect(c)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(
            request, c.dispositif, "convention", form=form, titre=f"Avenant à la convention avec {c.partenaire}"
        ),
    )


@require_POST
def convention_reconduire(request, pk):
    """The chef d'établissement continues last year's signed convention into this year by an avenant."""
    c = _convention(request, pk)
    _exiger_chef(request, c, "Seul le chef d’établissement signe un avenant de reconduction.")
    if reconduction.convention_a_reconduire(c) is None:
        messages.error(
            request,
            "Cette convention ne se reconduit pas : elle est déjà signée, ou aucune convention "
            "n’a été signée avec ce partenaire l’année précédente.",
        )
        return redirect(c)
    form = ReconductionForm(request.POST, action=reverse("etablissements:convention_reconduire", args=[c.pk]))
    if form.is_valid():
        try:
            avenant = reconduction.convention_reconduire(
                convention=c, auteur=request.user, date_signature=form.cleaned_data["date_signature"]
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                f"La convention est reconduite par l’avenant n° {avenant.numero} "
                f"à la convention {avenant.convention.dispositif.annee_scolaire}.",
            )
            return redirect(c)
    return _page_convention(request, c, form_reconduction=form)


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
    return render(
        request,
        "etablissements/formulaire.html",
        {"form": form, "titre": f"Modifier {p}", "fil": [("Partenaires", "etablissements:partenaires"), (str(p), p)]},
    )

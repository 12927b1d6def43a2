from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render

from socle import roles as R
from socle.decorators import role_required

from .. import annee_suivante, reconduction, services
from .. import frise as frise_mod
from ..filters import DispositifFiltre
from ..forms import DiagnosticForm, DispositifCreerForm, JalonForm
from ..models import Diagnostic, Dispositif, Etablissement, Jalon, LigneBudget, MembreEquipe, VersionCadrage
from ..models.budget import TypeLigneBudget
from ..models.cadrage import StatutCadrage
from ..models.dispositif import annee_scolaire_courante
from ..scoping import exiger_ecriture, get_for_user
from .commun import contexte_dispositif, obtenir_dispositif


@role_required(R.LECTURE_PROGRAMME)
def dispositifs(request):
    """The dispositifs of the user's LPs, by school year."""
    qs = Dispositif.objects.for_user(request.user).select_related("etablissement", "partenaire")
    etablissements = Etablissement.objects.for_user(request.user, roles=Dispositif.ROLES_LECTURE).order_by("nom")
    filtre = DispositifFiltre(
        request.GET or None, queryset=qs.order_by("-annee", "etablissement__nom"), etablissements=etablissements
    )
    page = Paginator(filtre.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "etablissements/dispositifs.html",
        {"filtre": filtre, "page": page},
    )


def dispositif_creer(request):
    """Create the current LP's dispositif for this school year or the next one."""
    etab = request.etablissement
    if etab is None:
        raise Http404
    exiger_ecriture(request.user, Dispositif, etab.pk, "Seul le référent mentorat crée le dispositif.")
    existantes = set(etab.dispositifs.values_list("annee", flat=True))
    annees = [a for a in annee_suivante.annees_ouvertes() if a not in existantes]
    if not annees:
        messages.info(
            request,
            "Le dispositif de cette année existe déjà ; celui de l’année suivante s’ouvre à partir du 1er juin."
            if annee_scolaire_courante() + 1 not in existantes
            else "Les dispositifs de cette année et de la suivante existent déjà.",
        )
        return redirect("etablissements:etablissement")
    precedent = etab.dispositifs.filter(annee__lt=max(annees)).order_by("-annee").first()
    form = DispositifCreerForm(request.POST or None, annees=annees, precedent=precedent)
    if request.method == "POST" and form.is_valid():
        try:
            dispositif = services.dispositif_creer(
                etablissement=etab,
                annee=form.cleaned_data["annee"],
                auteur=request.user,
                copier=form.cleaned_data.get("copier", False),
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"Le dispositif {dispositif.annee_scolaire} est créé.")
            return redirect(dispositif)
    return render(
        request,
        "etablissements/formulaire.html",
        {"form": form, "titre": "Créer un dispositif", "etablissement": etab, "fil": [(etab.nom, etab)]},
    )


def dispositif(request, pk):
    """Overview of one school year: each section's state and the late milestones."""
    d = get_for_user(
        _avec_resume(Dispositif.objects.select_related("etablissement", "partenaire")), request.user, pk=pk
    )
    etats = frise_mod.frise(d)
    return render(
        request,
        "etablissements/dispositif.html",
        contexte_dispositif(
            request,
            d,
            "dispositif",
            etats=etats,
            en_retard=[e for e in etats if e.en_retard],
            conventions=reconduction.marquer_a_reconduire(d, list(d.conventions.select_related("partenaire"))),
            libelle_cadrage=StatutCadrage(d.cadrage_statut).label if d.cadrage_statut else "",
        ),
    )


def _avec_resume(qs):
    """Dispositifs with their team size, budget totals and latest cadrage version, in the same query."""

    def sous_requete(modele, valeur, **filtre):
        return Subquery(
            modele.objects.filter(dispositif=OuterRef("pk"), **filtre)
            .order_by()
            .values("dispositif")
            .annotate(v=valeur)
            .values("v")[:1]
        )

    derniere = VersionCadrage.objects.filter(dispositif=OuterRef("pk")).order_by("-numero")
    return qs.annotate(
        nb_membres=Coalesce(sous_requete(MembreEquipe, Count("pk")), 0),
        total_alloue=Coalesce(
            sous_requete(LigneBudget, Sum("montant"), type=TypeLigneBudget.ALLOCATION), Value(Decimal(0))
        ),
        total_engage=Coalesce(
            sous_requete(LigneBudget, Sum("montant"), type=TypeLigneBudget.ENGAGEMENT), Value(Decimal(0))
        ),
        cadrage_numero=Subquery(derniere.values("numero")[:1]),
        cadrage_statut=Subquery(derniere.values("statut")[:1]),
    )


def diagnostic(request, pk):
    d = obtenir_dispositif(request, pk)
    diag = Diagnostic.objects.filter(dispositif=d).prefetch_related("formations_ciblees").first()
    return render(request, "etablissements/diagnostic.html", contexte_dispositif(request, d, "diagnostic", diag=diag))


def diagnostic_modifier(request, pk):
    d = obtenir_dispositif(request, pk, ecriture=True)
    diag = Diagnostic.objects.filter(dispositif=d).first() or Diagnostic(dispositif=d)
    form = DiagnosticForm(request.POST or None, instance=diag, etablissement=d.etablissement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le diagnostic est enregistré.")
        return redirect("etablissements:diagnostic", pk=d.pk)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(request, d, "diagnostic", form=form, titre="Diagnostic : la réflexion en établissement"),
    )


def frise(request, pk):
    """The timeline: each milestone's recommended period and status, late ones flagged."""
    d = obtenir_dispositif(request, pk)
    etats = frise_mod.frise(d)
    return render(
        request,
        "etablissements/frise.html",
        contexte_dispositif(
            request,
            d,
            "frise",
            etats=etats,
            en_retard=[e for e in etats if e.en_retard],
            calendrier=frise_mod.calendrier_de_l_annee(d),
        ),
    )


def jalon_modifier(request, pk):
    jalon = get_for_user(Jalon.objects.select_related("dispositif__etablissement"), request.user, ecriture=True, pk=pk)
    d = jalon.dispositif
    etat = frise_mod.etats([jalon])[0]
    form = JalonForm(request.POST or None, instance=jalon, derive=etat.libelle_derive)
    if request.method == "POST" and form.is_valid():
        services.jalon_modifier(
            jalon=jalon,
            statut=form.cleaned_data["statut"],
            commentaire=form.cleaned_data["commentaire"],
            auteur=request.user,
        )
        if jalon.statut:
            messages.success(request, f"Jalon « {jalon} » fixé à la main : {jalon.get_statut_display()}.")
        else:
            messages.success(request, f"Le jalon « {jalon} » suit à nouveau les données.")
        return redirect("etablissements:frise", pk=d.pk)
    return render(
        request,
        "etablissements/formulaire.html",
        contexte_dispositif(
            request,
            d,
            "frise",
            form=form,
            titre=f"Jalon : {jalon}",
            aide=f"Période recommandée : {jalon.periode} (du {jalon.debut:%d/%m/%Y} au {jalon.fin:%d/%m/%Y}). "
            "Un statut fixé à la main l’emporte sur les données, avec votre nom et la date, "
            "jusqu’à ce que vous choisissiez de suivre à nouveau les données.",
        ),
    )

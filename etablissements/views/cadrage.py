from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from socle import roles as R
from socle.journal import ActionJournal, journaliser
from socle.pdf import rendre_pdf

from .. import services
from ..forms import ComiteFormSet, RenvoiForm, VersionCadrageForm, comites_saisis, helper_formset
from ..models import Comite, VersionCadrage
from ..models.cadrage import StatutCadrage
from ..models.historique import DECISIONS, ActionHistorique
from ..scoping import a_un_role, exiger_role, get_for_user
from .commun import contexte_dispositif, obtenir_dispositif


def _version(request, pk, *, ecriture=False):
    return get_for_user(
        VersionCadrage.objects.select_related(
            "dispositif__etablissement__academie", "dispositif__partenaire", "cree_par", "validee_par"
        ),
        request.user,
        ecriture=ecriture,
        pk=pk,
    )


def cadrage(request, pk):
    """The dispositif's cadrage document: its latest version, the one in force, every version."""
    d = obtenir_dispositif(request, pk)
    versions = list(d.versions_cadrage.select_related("cree_par", "validee_par"))
    derniere = versions[0] if versions else None
    return render(
        request,
        "etablissements/cadrage.html",
        contexte_dispositif(
            request,
            d,
            "cadrage",
            versions=versions,
            derniere=derniere,
            en_vigueur=next((v for v in versions if v.est_validee), None),
            renvoi=_renvoi(derniere) if derniere else None,
            # The dispositif's own indicators are the référent's (GESTION_PROGRAMME), as the cadrage.
            peut_ecrire_indicateurs=a_un_role(request.user, d.etablissement_id, R.GESTION_PROGRAMME),
        ),
    )


@require_POST
def cadrage_nouvelle_version(request, pk):
    """Open a draft: the first version, or a copy of the latest to change a validated document."""
    d = obtenir_dispositif(request, pk, ecriture=True)
    version = services.cadrage_nouvelle_version(dispositif=d, auteur=request.user)
    return redirect("etablissements:cadrage_modifier", pk=version.pk)


def _renvoi(version):
    """The chef's latest sending back of a draft version, which the référent has to read."""
    if version.statut != StatutCadrage.BROUILLON:
        return None
    return version.modifications.filter(action=ActionHistorique.RENVOI).select_related("auteur").first()


def _page_version(request, v, *, form_renvoi=None):
    peut_valider = (
        a_un_role(request.user, v.dispositif.etablissement_id, R.VALIDATION) and v.statut == StatutCadrage.SOUMISE
    )
    if peut_valider and form_renvoi is None:
        form_renvoi = RenvoiForm(action=reverse("etablissements:cadrage_renvoyer", args=[v.pk]))
    historique = list(v.modifications.select_related("auteur"))
    return render(
        request,
        "etablissements/cadrage_version.html",
        contexte_dispositif(
            request,
            v.dispositif,
            "cadrage",
            version=v,
            comites=list(v.comites.all()),
            historique=historique,
            decisions=[m for m in reversed(historique) if m.action in DECISIONS],
            renvoi=_renvoi(v),
            peut_valider=peut_valider,
            form_renvoi=form_renvoi if peut_valider else None,
        ),
    )


def cadrage_version(request, pk):
    return _page_version(request, _version(request, pk))


def cadrage_modifier(request, pk):
    v = _version(request, pk, ecriture=True)
    if v.est_validee:
        raise services.CadrageFige()
    form = VersionCadrageForm(request.POST or None, instance=VersionCadrage.objects.get(pk=v.pk))
    formset = ComiteFormSet(request.POST or None, queryset=Comite.objects.filter(version=v), prefix="comites")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        valeurs = {champ: form.cleaned_data[champ] for champ in services.CHAMPS_CADRAGE}
        services.cadrage_modifier(version=v, valeurs=valeurs, comites=comites_saisis(formset), auteur=request.user)
        messages.success(request, f"La version {v.numero} du document de cadrage est enregistrée.")
        return redirect(v)
    return render(
        request,
        "etablissements/cadrage_modifier.html",
        contexte_dispositif(
            request, v.dispositif, "cadrage", version=v, form=form, formset=formset, helper_comites=helper_formset()
        ),
    )


@require_POST
def cadrage_soumettre(request, pk):
    v = _version(request, pk, ecriture=True)
    try:
        services.cadrage_soumettre(version=v, auteur=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "Le document de cadrage est soumis à la validation du chef d’établissement.")
    return redirect(v)


@require_POST
def cadrage_valider(request, pk):
    """The chef d'établissement validates the submitted version (POST only)."""
    v = _version(request, pk)
    exiger_role(
        request.user,
        v.dispositif.etablissement_id,
        R.VALIDATION,
        "Seul le chef d’établissement valide le document de cadrage.",
    )
    try:
        services.cadrage_valider(version=v, auteur=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, f"La version {v.numero} du document de cadrage est validée.")
    return redirect(v)


@require_POST
def cadrage_renvoyer(request, pk):
    """The chef d'établissement sends the submitted version back to the référent, with a comment."""
    v = _version(request, pk)
    exiger_role(
        request.user,
        v.dispositif.etablissement_id,
        R.VALIDATION,
        "Seul le chef d’établissement renvoie le document de cadrage pour modification.",
    )
    form = RenvoiForm(request.POST, action=reverse("etablissements:cadrage_renvoyer", args=[v.pk]))
    if form.is_valid():
        try:
            services.cadrage_renvoyer(version=v, auteur=request.user, commentaire=form.cleaned_data["commentaire"])
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, f"La version {v.numero} est renvoyée au référent pour modification.")
        return redirect(v)
    return _page_version(request, v, form_renvoi=form)


def cadrage_pdf(request, pk):
    """The validated version as a tagged PDF (PDF/UA) in French."""
    v = _version(request, pk)
    if not v.est_validee:
        raise Http404("Seule une version validée se télécharge en PDF.")
    d = v.dispositif
    titre = f"Document de cadrage du dispositif de mentorat {d.annee_scolaire} — {d.etablissement.nom}"
    contenu = rendre_pdf(
        "etablissements/pdf/cadrage.html",
        {"version": v, "dispositif": d, "etablissement": d.etablissement, "comites": list(v.comites.all())},
        titre=titre,
    )
    journaliser(
        request,
        action=ActionJournal.TELECHARGEMENT,
        etablissement_id=d.etablissement_id,
        objet=f"Document de cadrage {d.annee_scolaire}, version {v.numero}",
    )
    reponse = HttpResponse(contenu, content_type="application/pdf")
    nom = slugify(f"cadrage-{d.etablissement.uai}-{d.annee_scolaire}-v{v.numero}")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}.pdf"'
    return reponse

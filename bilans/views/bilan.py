from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render

from binomes.models import Binome, Eleve
from binomes.objectifs import objectifs_par_statut
from etablissements.models import Dispositif
from etablissements.scoping import a_un_role
from socle import roles as R
from socle.decorators import role_required

from ..forms import BilanQualitatifForm, ResultatFormSet
from ..indicateurs import commence, indicateurs
from ..models import BilanQualitatif, ResultatEleve
from ..rapports import abandons_et_risque


@role_required(ResultatEleve.ROLES_LECTURE)
def bilan(request):
    """The review hub of the current year: indicators with definitions, and the review's pages."""
    dispositif = Dispositif.objects.select_related("etablissement").courant_ou_404(request.etablissement)
    return render(
        request,
        "bilans/bilan.html",
        {
            "dispositif": dispositif,
            "indicateurs": list(indicateurs(dispositif)),
            # The abandon rate read against the health signals, as in the year-end report.
            "abandons_et_risque": abandons_et_risque(dispositif),
            "peut_ecrire": ResultatEleve.objects.peut_ecrire(request.user, dispositif.etablissement_id),
            "objectifs": objectifs_par_statut(dispositif),
            "peut_attester": a_un_role(request.user, dispositif.etablissement_id, R.ATTESTATIONS),
        },
    )


@role_required(ResultatEleve.ROLES_LECTURE)
def resultats(request):
    """Exam results and insertion, entered per student, one class at a time."""
    dispositif = Dispositif.objects.select_related("etablissement").courant_ou_404(request.etablissement)
    mentores = Eleve.objects.filter(
        Exists(Binome.objects.filter(commence(), dispositif=dispositif, eleve=OuterRef("pk")))
    )
    classes = sorted(set(mentores.values_list("classe", flat=True)))
    classe = request.GET.get("classe") or (classes[0] if classes else None)
    eleves = list(mentores.filter(classe=classe).order_by("nom", "prenom")) if classe in classes else []
    existants = {r.eleve_id: r for r in ResultatEleve.objects.filter(dispositif=dispositif, eleve__in=eleves)}
    initial = []
    for eleve in eleves:
        r = existants.get(eleve.pk)
        initial.append(
            {
                "eleve": eleve.pk,
                "presente": r.presente if r else False,
                "admis": r.admis if r else False,
                "situation": r.situation if r else "",
                "situation_le": r.situation_le if r else None,
            }
        )
    ecriture = ResultatEleve.objects.peut_ecrire(request.user, dispositif.etablissement_id)
    formset = ResultatFormSet(request.POST or None, initial=initial)
    if request.method == "POST":
        if not ecriture:
            raise PermissionDenied("Votre rôle ne permet pas de saisir les résultats.")
        if formset.is_valid():
            autorises = {e.pk for e in eleves}
            with transaction.atomic():
                for donnees in formset.cleaned_data:
                    if donnees.get("eleve") not in autorises:
                        continue
                    ResultatEleve.objects.update_or_create(
                        dispositif=dispositif,
                        eleve_id=donnees["eleve"],
                        defaults={k: donnees.get(k) for k in ("presente", "admis", "situation", "situation_le")}
                        | {"situation": donnees.get("situation") or ""},
                    )
            messages.success(request, f"Résultats de la classe {classe} enregistrés.")
            return redirect(f"{request.path}?classe={classe}")
    lignes = list(zip(eleves, formset.forms, strict=False))
    return render(
        request,
        "bilans/resultats.html",
        {
            "dispositif": dispositif,
            "classes": classes,
            "classe": classe,
            "formset": formset,
            "lignes": lignes,
            "peut_ecrire": ecriture,
        },
    )


@role_required(BilanQualitatif.ROLES_LECTURE)
def qualitatif(request):
    dispositif = Dispositif.objects.select_related("etablissement").courant_ou_404(request.etablissement)
    objet = BilanQualitatif.objects.filter(dispositif=dispositif).first() or BilanQualitatif(dispositif=dispositif)
    ecriture = BilanQualitatif.objects.peut_ecrire(request.user, dispositif.etablissement_id)
    if request.method == "POST" and not ecriture:
        raise PermissionDenied("Votre rôle ne permet pas de modifier le bilan qualitatif.")
    form = BilanQualitatifForm(request.POST or None, instance=objet)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Bilan qualitatif enregistré.")
        return redirect("bilans:bilan")
    return render(
        request,
        "bilans/qualitatif.html",
        {"dispositif": dispositif, "form": form, "objet": objet, "peut_ecrire": ecriture},
    )

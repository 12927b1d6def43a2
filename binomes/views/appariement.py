"""Pages for the SIECLE import and the pairing meeting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from etablissements.models import Dispositif
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import get_for_user
from socle import roles as R
from socle.decorators import role_required
from socle.formats import compte, nombre

from .. import services, siecle
from ..forms import CalculForm, ChangerForm, ClasseForm, ImportForm, ReunionForm
from ..models import Eleve, ImportSiecle, Proposition, ReunionAppariement, StatutProposition
from .fiches import _page

# --- Import SIECLE -----------------------------------------------------------------------------


@role_required(R.GESTION_PROGRAMME)
def import_siecle(request):
    """Step 1: read the file, refuse it whole or report its bad lines, else keep it for the preview."""
    form = ImportForm(request.POST or None, request.FILES or None)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            contenu = fichier.read(siecle.TAILLE_MAX + 1)
            import_kept, erreurs = services.import_lire(
                etablissement=request.etablissement,
                annee=annee_scolaire_courante(),
                nom_fichier=fichier.name or "",
                contenu=contenu,
                user=request.user,
            )
        except siecle.FichierRefuse as exc:
            form.add_error("fichier", str(exc))
        else:
            if import_kept is not None:
                return redirect("binomes:import_apercu", pk=import_kept.pk)
            form.add_error("fichier", f"{compte(len(erreurs), 'erreur')} : rien n’a été importé. Corrigez le fichier.")
    return render(request, "binomes/import.html", {"form": form, "erreurs": erreurs[:500], "nb_erreurs": len(erreurs)})


def import_apercu(request, pk):
    """Step 2: what will be created, updated, left unchanged; confirming applies it all or nothing."""
    import_kept = get_for_user(ImportSiecle, request.user, ecriture=True, pk=pk)
    if request.method == "POST":
        try:
            resultat = services.import_appliquer(import_siecle=import_kept)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                f"Import terminé : {compte(len(resultat.creer), 'élève créé', 'élèves créés')}, "
                f"{nombre(len(resultat.mettre_a_jour))} mis à jour, "
                f"{compte(len(resultat.inchanges), 'inchangé')}.",
            )
            return redirect("binomes:eleves")
        return redirect("binomes:import_apercu", pk=import_kept.pk)
    apercu = services.import_apercu(etablissement=import_kept.etablissement, lignes=import_kept.lignes)
    return render(request, "binomes/import_apercu.html", {"import": import_kept, "apercu": apercu})


# --- Pairing meeting ---------------------------------------------------------------------------


@role_required(R.LECTURE_PROGRAMME)
def reunions(request):
    qs = (
        ReunionAppariement.objects.for_user(request.user)
        .filter(dispositif__etablissement=request.etablissement)
        .annotate(nb_propositions=Count("propositions"))
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "binomes/reunions.html",
        {"page": _page(request, qs), "parametres": "", "peut_gerer": bool(request.roles & R.GESTION_PROGRAMME)},
    )


@role_required(R.GESTION_PROGRAMME)
def reunion_nouvelle(request):
    dispositif = Dispositif.objects.courant(request.etablissement)
    if dispositif is None:
        return render(request, "binomes/sans_dispositif.html")
    form = ReunionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reunion = ReunionAppariement.objects.create(dispositif=dispositif, cree_par=request.user, **form.cleaned_data)
        messages.success(request, "La réunion est créée : choisissez les élèves et les mentors du groupe.")
        return redirect("binomes:reunion", pk=reunion.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": "Nouvelle réunion d’appariement",
            "fil": [("Binômes", "binomes:binomes"), ("Réunions d’appariement", "binomes:reunions")],
        },
    )


def reunion(request, pk):
    reunion = get_for_user(ReunionAppariement.objects.select_related("dispositif"), request.user, pk=pk)
    etab = reunion.dispositif.etablissement_id
    peut_gerer = ReunionAppariement.objects.peut_ecrire(request.user, etab)
    form = filtre = None
    if peut_gerer:
        # Only eligible students without a living binôme are offered, optionally one class at a time.
        classes = (
            Eleve.objects.filter(etablissement_id=etab)
            .a_apparier()
            .exclude(classe="")
            .order_by("classe")
            .values_list("classe", flat=True)
            .distinct()
        )
        filtre = ClasseForm(request.GET or None, classes=list(classes))
        form = CalculForm(
            etablissement=reunion.dispositif.etablissement,
            classe=filtre.cleaned_data["classe"] if filtre.is_valid() else "",
            initial={"eleves": reunion.eleves.all(), "mentors": reunion.mentors.all()},
        )
        form.helper.form_action = reverse("binomes:reunion_calculer", args=[reunion.pk])
    propositions = reunion.propositions.select_related("eleve__formation", "mentor__entreprise", "binome__mentor")
    return render(
        request,
        "binomes/reunion.html",
        {"reunion": reunion, "propositions": propositions, "form": form, "filtre": filtre, "peut_gerer": peut_gerer},
    )


@require_POST
def reunion_calculer(request, pk):
    reunion = get_for_user(ReunionAppariement.objects.select_related("dispositif"), request.user, ecriture=True, pk=pk)
    form = CalculForm(request.POST, etablissement=reunion.dispositif.etablissement)
    if not form.is_valid():
        messages.error(request, "Choisissez au moins un élève et un mentor.")
        return redirect("binomes:reunion", pk=reunion.pk)
    try:
        propositions = services.reunion_calculer_propositions(
            reunion=reunion,
            eleves=form.cleaned_data["eleves"].select_related("formation"),
            mentors=form.cleaned_data["mentors"].avec_occupation(),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("binomes:reunion", pk=reunion.pk)
    ecartes = [m for m in form.cleaned_data["mentors"] if services.raison_inapte(m)]
    for mentor in ecartes:
        messages.warning(request, f"Écarté du calcul : {services.raison_inapte(mentor)}")
    messages.success(request, f"{compte(len(propositions), 'proposition calculée', 'propositions calculées')}.")
    return redirect("binomes:reunion", pk=reunion.pk)


def _proposition(request, pk):
    return get_for_user(
        Proposition.objects.select_related("reunion__dispositif", "eleve", "mentor"), request.user, ecriture=True, pk=pk
    )


@require_POST
def proposition_accepter(request, pk):
    proposition = _proposition(request, pk)
    try:
        services.proposition_accepter(proposition=proposition)
        messages.success(request, f"Binôme proposé : {proposition.mentor} – {proposition.eleve}.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("binomes:reunion", pk=proposition.reunion_id)


@require_POST
def proposition_rejeter(request, pk):
    proposition = _proposition(request, pk)
    try:
        services.proposition_rejeter(proposition=proposition)
        messages.success(request, "La proposition est rejetée.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("binomes:reunion", pk=proposition.reunion_id)


def proposition_changer(request, pk):
    proposition = _proposition(request, pk)
    if proposition.statut != StatutProposition.PROPOSEE:
        messages.error(request, "Cette proposition a déjà été traitée.")
        return redirect("binomes:reunion", pk=proposition.reunion_id)
    form = ChangerForm(
        request.POST or None, etablissement=proposition.reunion.dispositif.etablissement, exclure=proposition.mentor_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposition_changer(proposition=proposition, mentor=form.cleaned_data["mentor"])
        except ValidationError as exc:
            form.add_error("mentor", exc)
        else:
            messages.success(request, f"Binôme proposé : {form.cleaned_data['mentor']} – {proposition.eleve}.")
            return redirect("binomes:reunion", pk=proposition.reunion_id)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Choisir un autre mentor pour {proposition.eleve}",
            "fil": [
                ("Binômes", "binomes:binomes"),
                ("Réunions d’appariement", "binomes:reunions"),
                (str(proposition.reunion), reverse("binomes:reunion", args=[proposition.reunion_id])),
            ],
        },
    )

"""Pages that bring mentors in: invite one, invite a recorded mentor to an account, import a CSV list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from etablissements.scoping import get_for_user
from socle import roles as R
from socle.decorators import role_required
from socle.formats import compte

from .. import mentors as service
from .. import tableur
from ..forms import ConfirmerImportMentorsForm, ImportMentorsForm, InviterMentorForm
from ..models import ImportMentors, Mentor


def _erreurs_dans_le_formulaire(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.message_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, exc.messages)


@role_required(R.SUIVI_PARTENAIRE)
def mentor_inviter(request):
    """A new mentor on the current LP: their record, then an invitation to their account."""
    service.exiger(request.user, request.etablissement)
    form = InviterMentorForm(request.POST or None, etablissement=request.etablissement)
    if request.method == "POST" and form.is_valid():
        try:
            mentor, message = service.mentor_inviter(
                par=request.user, etablissement=request.etablissement, valeurs=form.cleaned_data
            )
        except ValidationError as exc:
            _erreurs_dans_le_formulaire(form, exc)
        else:
            messages.success(request, message)
            return redirect("binomes:mentor", pk=mentor.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {"form": form, "titre": "Inviter un mentor", "fil": [("Mentors", "binomes:mentors")]},
    )


@require_POST
def mentor_inviter_compte(request, pk):
    """From the mentor's page: invite a recorded mentor to create their account."""
    mentor = get_for_user(Mentor, request.user, ecriture=True, pk=pk)
    try:
        messages.success(request, service.mentor_inviter_compte(par=request.user, mentor=mentor))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("binomes:mentor", pk=mentor.pk)


@role_required(R.SUIVI_PARTENAIRE)
def import_mentors(request):
    """Step 1: read the CSV; a refused file or any bad line writes nothing and is reported."""
    service.exiger(request.user, request.etablissement)
    form = ImportMentorsForm(request.POST or None, request.FILES or None)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            kept, erreurs = service.import_lire(
                par=request.user,
                etablissement=request.etablissement,
                nom_fichier=fichier.name or "",
                contenu=fichier.read(tableur.TAILLE_MAX + 1),
            )
        except tableur.FichierRefuse as exc:
            form.add_error("fichier", str(exc))
        else:
            if kept is not None:
                return redirect("binomes:import_mentors_apercu", pk=kept.pk)
            form.add_error("fichier", f"{compte(len(erreurs), 'erreur')} : rien n’a été importé. Corrigez le fichier.")
    return render(
        request,
        "binomes/import_mentors.html",
        {"form": form, "erreurs": erreurs[:500], "nb_erreurs": len(erreurs), "colonnes": service.LIBELLES.values()},
    )


def import_mentors_apercu(request, pk):
    """Step 2: every row as it will be written; confirming creates them all (or none) and invites."""
    kept = get_for_user(ImportMentors, request.user, ecriture=True, pk=pk)
    service.exiger(request.user, kept.etablissement)
    form = ConfirmerImportMentorsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            crees, repris, invites = service.import_appliquer(
                par=request.user,
                import_mentors=kept,
                envoyer_invitations=form.cleaned_data["envoyer_invitations"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("binomes:import_mentors_apercu", pk=kept.pk)
        messages.success(
            request,
            f"Import terminé : {compte(crees, 'mentor créé', 'mentors créés')}, "
            f"{compte(repris, 'déjà enregistré', 'déjà enregistrés')}, "
            f"{compte(invites, 'invitation envoyée', 'invitations envoyées')}.",
        )
        return redirect("binomes:mentors")
    return render(
        request,
        "binomes/import_mentors_apercu.html",
        {"import": kept, "lignes": service.import_apercu(import_mentors=kept), "form": form},
    )

"""The mentor's note after a séance, and the référent marking a flagged need as handled."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from etablissements.scoping import get_for_user

from .. import voix
from ..forms import NoteMentorForm
from ..models import NoteMentor, Seance


def note_mentor(request, pk):
    """The signed-in mentor's own note on a séance they take part in; 404 for anyone else."""
    seance = get_for_user(Seance.objects.select_related("dispositif__etablissement"), request.user, pk=pk)
    mentor = voix.mentor_de_la_seance(seance=seance, user=request.user)
    if mentor is None:
        # Staff read the notes on the séance's page; another mentor has no note here.
        raise Http404
    note = voix.note_du_mentor(seance=seance, mentor=mentor)
    form = NoteMentorForm(request.POST or None, instance=note or NoteMentor(seance=seance, mentor=mentor))
    if request.method == "POST" and form.is_valid():
        try:
            voix.note_mentor_enregistrer(seance=seance, mentor=mentor, auteur=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, "Votre note est enregistrée. Merci !")
            return redirect("accueil")
    return render(
        request,
        "seances/note_mentor.html",
        {"seance": seance, "form": form, "note": note, "trop_tot": seance.date > voix.aujourdhui()},
    )


@require_POST
def besoin_traiter(request, pk):
    note = get_for_user(
        NoteMentor.objects.select_related("seance__dispositif", "mentor"), request.user, ecriture=True, pk=pk
    )
    try:
        voix.besoin_marquer_traite(note=note, auteur=request.user)
    except ValidationError as erreur:
        messages.error(request, erreur.messages[0])
    else:
        messages.success(request, f"Le besoin signalé par {note.mentor} est marqué comme traité.")
    suivant = request.POST.get("suivant", "")
    if url_has_allowed_host_and_scheme(suivant, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(suivant)
    return redirect("seances:detail", pk=note.seance_id)

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from etablissements.models import Dispositif
from etablissements.scoping import get_for_user
from socle.decorators import role_required
from socle.formats import compte

from .. import services
from ..enquetes import Population
from ..forms import InvitationsForm, ReponseForm
from ..models import Enquete, Invitation


@role_required(Enquete.ROLES_LECTURE)
def enquetes(request):
    """The five surveys of the current dispositif, with their counts (a read: opening them is a POST)."""
    dispositif = Dispositif.objects.select_related("etablissement").courant_ou_404(request.etablissement)
    liste = (
        Enquete.objects.for_user(request.user)
        .filter(dispositif=dispositif)
        .annotate(
            nb_invitations=Count("invitations", distinct=True),
            nb_utilisees=Count("invitations", filter=Q(invitations__utilisee_le__isnull=False), distinct=True),
            nb_reponses=Count("reponses", distinct=True),
        )
    )
    ecriture = Enquete.objects.peut_ecrire(request.user, request.etablissement.pk)
    return render(
        request,
        "bilans/enquetes.html",
        {
            "dispositif": dispositif,
            "enquetes": liste,
            "a_ouvrir": ecriture and len(liste) < len(Population.values),
        },
    )


@require_POST
@role_required(Enquete.ROLES_ECRITURE)
def enquetes_creer(request):
    """Open the surveys of the year that are not open yet (idempotent: a second click adds nothing)."""
    dispositif = Dispositif.objects.courant_ou_404(request.etablissement)
    creees = services.enquetes_creer(dispositif=dispositif)
    messages.success(
        request,
        f"{compte(len(creees), 'enquête créée', 'enquêtes créées')}."
        if creees
        else "Les enquêtes étaient déjà créées.",
    )
    return redirect("bilans:enquetes")


def enquete(request, pk):
    objet = get_for_user(Enquete.objects.select_related("dispositif__etablissement"), request.user, pk=pk)
    ecriture = Enquete.objects.peut_ecrire(request.user, objet.dispositif.etablissement_id)
    return render(
        request,
        "bilans/enquete.html",
        {
            "enquete": objet,
            "resultats": services.resultats(objet),
            "liens": objet.invitations.filter(utilisee_le__isnull=True, par_courriel=False) if ecriture else [],
            "form": InvitationsForm() if ecriture else None,
            "peut_ecrire": ecriture,
            "par_courriel": DESTINATAIRES_PAR_COURRIEL.get(objet.population),
            "envois_faits": objet.envois.count() if ecriture else 0,
        },
    )


@require_POST
def inviter(request, pk):
    objet = get_for_user(Enquete, request.user, ecriture=True, pk=pk)
    form = InvitationsForm(request.POST)
    if form.is_valid():
        services.invitations_creer(enquete=objet, nombre=form.cleaned_data["nombre"])
        messages.success(request, f"{compte(form.cleaned_data['nombre'], 'lien créé', 'liens créés')}.")
    else:
        messages.error(request, "Indiquez un nombre de liens entre 1 et 500.")
    return redirect(objet)


# Who the survey is emailed to, said in words; the other populations get their links by hand.
DESTINATAIRES_PAR_COURRIEL = {
    Population.MENTORS: "Les mentors des binômes de l’année qui ont une adresse",
    Population.PERSONNELS: "Les personnels du lycée qui ont un compte",
    Population.PARTENAIRES: "Les comptes de l’association partenaire et les contacts des entreprises du réseau",
}


@require_POST
def envoyer(request, pk):
    objet = get_for_user(
        Enquete.objects.select_related("dispositif__etablissement"), request.user, ecriture=True, pk=pk
    )
    try:
        envoyes, deja = services.enquete_envoyer(enquete=objet)
    except ValidationError as erreur:
        messages.error(request, erreur.messages[0])
    else:
        messages.success(
            request,
            f"{compte(envoyes, 'courriel envoyé', 'courriels envoyés')} ; "
            f"{compte(deja, 'personne l’avait', 'personnes l’avaient')} déjà reçue.",
        )
    return redirect(objet)


@login_not_required
def repondre(request, jeton):
    """Public page: answer a survey through a personal link, once, without an account."""
    invitation = get_object_or_404(Invitation.objects.select_related("enquete__dispositif__etablissement"), jeton=jeton)
    objet = invitation.enquete
    contexte = {"enquete": objet, "etablissement": objet.dispositif.etablissement}
    if invitation.utilisee_le is not None:
        return render(request, "bilans/repondre_deja.html", contexte, status=410)
    form = ReponseForm(request.POST or None, questions=objet.questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.reponse_enregistrer(
                jeton=jeton, notes=form.notes(), commentaire=form.cleaned_data.get("commentaire", "")
            )
        except ValidationError:
            return render(request, "bilans/repondre_deja.html", contexte, status=410)
        return render(request, "bilans/repondre_merci.html", contexte)
    return render(request, "bilans/repondre.html", {**contexte, "form": form})

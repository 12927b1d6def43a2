"""RGPD pages: the record of processing, the public information notice, and the per-person export."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render

from binomes.models import Eleve, Mentor
from etablissements.scoping import exiger_role, get_for_user
from socle.decorators import login_not_required, role_required
from socle.journal import ActionJournal, journaliser
from socle.roles import Role
from socle.routeur import lecture_sur_replique

from . import export
from .registre import durees
from .registre import registre as registre_du_lp

# The responsable de traitement and the référent answer the requests of the people concerned.
DROITS = frozenset({Role.CHEF, Role.REFERENT})


def _reponse_json(donnees: dict, nom_fichier: str) -> HttpResponse:
    contenu = json.dumps(donnees, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    reponse = HttpResponse(contenu, content_type="application/json; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return reponse


def _exiger_droits(user, etablissement_id):
    """In scope (else 404 already) but without the rights role on that LP: 403."""
    exiger_role(
        user,
        etablissement_id,
        DROITS,
        "Seuls le chef d’établissement et le référent exportent les données d’une personne.",
    )


@lecture_sur_replique
def export_eleve(request, pk):
    eleve = get_for_user(Eleve.objects.select_related("etablissement", "formation", "propose_par"), request.user, pk=pk)
    _exiger_droits(request.user, eleve.etablissement_id)
    journaliser(
        request,
        action=ActionJournal.EXPORT,
        etablissement_id=eleve.etablissement_id,
        objet=f"Export des données personnelles de l’élève n° {eleve.pk}",
    )
    return _reponse_json(export.donnees_eleve(eleve), f"donnees-eleve-{eleve.pk}.json")


@lecture_sur_replique
def export_mentor(request, pk):
    mentor = get_for_user(
        Mentor.objects.select_related("etablissement", "entreprise", "user", "honorabilite__saisie_par"),
        request.user,
        pk=pk,
    )
    _exiger_droits(request.user, mentor.etablissement_id)
    journaliser(
        request,
        action=ActionJournal.EXPORT,
        etablissement_id=mentor.etablissement_id,
        objet=f"Export des données personnelles du mentor n° {mentor.pk}",
    )
    return _reponse_json(export.donnees_mentor(mentor), f"donnees-mentor-{mentor.pk}.json")


@role_required(DROITS)
def registre(request):
    return render(request, "rgpd/registre.html", registre_du_lp(request.etablissement))


@login_not_required
def information(request):
    """The information notice for families and mentors: public, plain French."""
    return render(
        request,
        "rgpd/information.html",
        {
            "durees": durees(),
            "jours_eleves": settings.RETENTION_ELEVES_JOURS,
            "jours_mentors": settings.RETENTION_MENTORS_JOURS,
        },
    )

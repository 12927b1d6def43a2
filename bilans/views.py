from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from etablissements.models import Etablissement, annee_scolaire_courante
from etablissements.scoping import perimetre
from mentorat import roles as R
from mentorat.roles import Role
from seances.models import Seance, StatutSeance


def _chiffres_par_etablissement(ids, annee):
    """Key figures of the current school year, one row per LP, in one query."""
    return (
        Etablissement.objects.filter(pk__in=ids)
        .annotate(
            binomes_actifs=Count(
                "dispositifs__binomes",
                filter=Q(dispositifs__annee=annee, dispositifs__binomes__statut=StatutBinome.ACTIF),
                distinct=True,
            ),
            seances_tenues=Count(
                "dispositifs__seances",
                filter=Q(dispositifs__annee=annee, dispositifs__seances__statut=StatutSeance.TENUE),
                distinct=True,
            ),
        )
        .order_by("nom")
    )


def accueil(request):
    """The home dashboard; what it shows depends on the user's roles."""
    p = perimetre(request.user)
    annee = annee_scolaire_courante()
    contexte = {"annee_scolaire": f"{annee}-{annee + 1}"}
    if request.roles & R.TABLEAU_DE_BORD:
        contexte["etablissements"] = _chiffres_par_etablissement(
            p.etablissements(R.TABLEAU_DE_BORD) if Role.COORDONNATEUR in request.roles else [request.etablissement.pk],
            annee,
        )
    if p.academies:
        contexte["academie"] = _chiffres_par_etablissement(p.etablissements({Role.PILOTAGE}), annee)
    if Role.MENTOR in request.roles:
        contexte["mes_binomes"] = (
            Binome.objects.for_user(request.user).filter(mentor__user=request.user).select_related("eleve")
        )
        contexte["mes_seances"] = (
            Seance.objects.for_user(request.user)
            .filter(participations__mentor__user=request.user, date__gte=timezone.localdate())
            .order_by("date", "heure")[:10]
        )
    return render(request, "bilans/accueil.html", contexte)

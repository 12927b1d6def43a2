from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from binomes.models import (
    Binome,
    Eleve,
    Mentor,
    Proposition,
    StatutEleve,
    StatutHonorabilite,
    StatutProposition,
)
from etablissements.frise import frise
from etablissements.models import Dispositif, Etablissement, annee_scolaire_courante
from etablissements.scoping import perimetre
from mentorat import roles as R
from mentorat.roles import Role
from seances.models import Alerte, EntretienAbsence, Seance

from . import graphiques
from .indicateurs import ORDRE, POURCENTAGES, Indicateur, indicateurs_par_dispositif
from .models import RapportAnnuel, StatutRapport

COMPARES = ["absenteisme", "abandon", "reussite", "insertion"]


def _compte(queryset, cle):
    """A correlated COUNT as an annotation: no extra query for the page."""
    return Coalesce(Subquery(queryset.order_by().values(cle).annotate(n=Count("pk")).values("n")[:1]), 0)


def _dispositifs(etablissement_ids, annee, *, a_faire=False):
    """{(etablissement_id, annee): dispositif} for the year and the one before, in one query.

    With `a_faire`, each dispositif also counts the LP's pending work (the référent's list).
    """
    qs = Dispositif.objects.filter(etablissement__in=etablissement_ids, annee__in=[annee, annee - 1]).select_related(
        "rapport_annuel"
    )
    if a_faire:
        bientot = timezone.localdate() + timedelta(days=30)
        qs = qs.annotate(
            entretiens_ouverts=_compte(
                EntretienAbsence.objects.filter(seance__dispositif=OuterRef("pk"), fait=False), "seance__dispositif"
            ),
            eleves_a_confirmer=_compte(
                Eleve.objects.filter(etablissement=OuterRef("etablissement"), statut=StatutEleve.PROPOSE),
                "etablissement",
            ),
            mentors_honorabilite=_compte(
                Mentor.objects.filter(etablissement=OuterRef("etablissement")).exclude(
                    honorabilite_statut=StatutHonorabilite.VERIFIEE, honorabilite_expiration__gt=bientot
                ),
                "etablissement",
            ),
            propositions_en_attente=_compte(
                Proposition.objects.filter(reunion__dispositif=OuterRef("pk"), statut=StatutProposition.PROPOSEE),
                "reunion__dispositif",
            ),
        )
    return {(d.etablissement_id, d.annee): d for d in qs}


def _graphique_tendance(courant, precedent, annee):
    categories = [courant[c].libelle for c in COMPARES]
    series = [
        graphiques.Serie(
            f"{annee}-{annee + 1}", [courant[c].valeur for c in COMPARES], [courant[c].affichage for c in COMPARES]
        )
    ]
    if precedent is not None:
        series.append(
            graphiques.Serie(
                f"{annee - 1}-{annee}",
                [precedent[c].valeur for c in COMPARES],
                [precedent[c].affichage for c in COMPARES],
            )
        )
    return graphiques.barres(
        "Taux de l’année comparés à l’année précédente",
        "Taux d’absentéisme, d’abandon, de réussite et d’insertion, en pourcentage ; "
        "les valeurs sont écrites au bout de chaque barre et reprises dans le tableau qui suit.",
        categories,
        series,
    )


def _tableau_de_bord_lp(request, annee):
    etablissement = request.etablissement
    dispositifs = _dispositifs([etablissement.pk], annee, a_faire=True)
    dispositif = dispositifs.get((etablissement.pk, annee))
    if dispositif is None:
        return {"sans_dispositif": True}
    precedent = dispositifs.get((etablissement.pk, annee - 1))
    valeurs = indicateurs_par_dispositif([d.pk for d in dispositifs.values()])
    courant = valeurs[dispositif.pk]
    ancien = valeurs[precedent.pk] if precedent else None
    lignes = [
        {
            "indicateur": courant[code],
            "precedent": ancien[code] if ancien else None,
            "pourcentage": code in POURCENTAGES,
        }
        for code in ORDRE
    ]
    etats = frise(dispositif)
    return {
        "dispositif": dispositif,
        "precedent": precedent,
        "lignes": lignes,
        "graphique": _graphique_tendance(courant, ancien, annee),
        "comparaison": [(courant[c], ancien[c] if ancien else None) for c in COMPARES],
        "jalons": etats,
        "jalons_en_retard": [e for e in etats if e.en_retard],
        "rapport": getattr(dispositif, "rapport_annuel", None),
        "entretiens_ouverts": dispositif.entretiens_ouverts,
        "a_faire": [
            (n, texte, url)
            for n, texte, url in (
                (dispositif.eleves_a_confirmer, "élève(s) proposé(s) à confirmer", "binomes:eleves"),
                (
                    dispositif.mentors_honorabilite,
                    "mentor(s) sans honorabilité valide au-delà de 30 jours",
                    "binomes:mentors",
                ),
                (dispositif.propositions_en_attente, "proposition(s) d’appariement à décider", "binomes:reunions"),
            )
            if n
        ]
        if Role.REFERENT in request.roles
        else [],
        "voir_entretiens": bool(request.roles & R.VIE_SCOLAIRE),
        "alertes": list(
            Alerte.objects.filter(destinataire=request.user, etablissement=etablissement).order_by("-creee_le")[:5]
        ),
    }


def _tableau_par_lp(etablissement_ids, annee, tri=None):
    """One row per LP with its indicators of the year, and the total row (aggregates only)."""
    etablissements = list(Etablissement.objects.filter(pk__in=etablissement_ids).order_by("nom"))
    dispositifs = _dispositifs(etablissement_ids, annee)
    valeurs = indicateurs_par_dispositif([d.pk for (e, a), d in dispositifs.items() if a == annee])
    lignes = []
    for etablissement in etablissements:
        dispositif = dispositifs.get((etablissement.pk, annee))
        lignes.append(
            {"etablissement": etablissement, "indicateurs": valeurs.get(dispositif.pk) if dispositif else None}
        )
    if tri in ORDRE:
        # Rows without the indicator ("—") go last, whatever the direction.
        def cle(ligne):
            valeur = ligne["indicateurs"][tri].valeur if ligne["indicateurs"] else None
            return (valeur is None, -(valeur or 0), ligne["etablissement"].nom)

        lignes.sort(key=cle)
    return lignes, _total(valeurs.values())


def _total(tous):
    """Académie totals: counts and sums add up; a rate is the sum of numerators over the sum of denominators."""
    tous = list(tous)
    total = {}
    for code in ORDRE:
        if code in POURCENTAGES:
            numerateur = sum(i[code].numerateur or 0 for i in tous)
            denominateur = sum(i[code].denominateur or 0 for i in tous)
            valeur = round(100 * numerateur / denominateur, 1) if denominateur else None
            total[code] = Indicateur(code, valeur, numerateur, denominateur)
        else:
            total[code] = Indicateur(code, sum((i[code].valeur or 0) for i in tous))
    return total


def accueil(request):
    """The home dashboard; what it shows depends on the user's roles."""
    p = perimetre(request.user)
    annee = annee_scolaire_courante()
    contexte = {"annee_scolaire": f"{annee}-{annee + 1}", "codes": ORDRE}
    lp = request.roles & (R.TABLEAU_DE_BORD - {Role.COORDONNATEUR})
    if lp:
        contexte["lp"] = _tableau_de_bord_lp(request, annee)
    if Role.COORDONNATEUR in request.roles or (p.partenaires and not lp):
        ids = p.etablissements({Role.COORDONNATEUR})
        contexte["coordination"], contexte["coordination_total"] = _tableau_par_lp(ids, annee)
    if p.academies:
        contexte["academie"] = True
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


def academie(request):
    """Every LP of the user's académie(s): aggregates only, no names of people; sortable; with the total."""
    p = perimetre(request.user)
    if not p.academies:
        raise Http404
    annee = annee_scolaire_courante()
    tri = request.GET.get("tri")
    lignes, total = _tableau_par_lp(p.etablissements({Role.PILOTAGE}), annee, tri)
    rapports = {
        etablissement_id: StatutRapport(statut).label
        for etablissement_id, statut in RapportAnnuel.objects.filter(
            dispositif__etablissement__in=[ligne["etablissement"].pk for ligne in lignes], dispositif__annee=annee
        ).values_list("dispositif__etablissement", "statut")
    }
    return render(
        request,
        "bilans/academie.html",
        {
            "annee_scolaire": f"{annee}-{annee + 1}",
            "lignes": lignes,
            "total": total,
            "codes": ORDRE,
            "tri": tri,
            "libelles": {code: Indicateur(code, None).libelle for code in ORDRE},
            "definitions": [Indicateur(code, None) for code in ORDRE],
            "rapports": rapports,
        },
    )

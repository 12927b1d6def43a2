import functools
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from binomes.models import (
    Binome,
    Eleve,
    Honorabilite,
    Mentor,
    Proposition,
    StatutEleve,
    StatutHonorabilite,
    StatutProposition,
)
from etablissements.frise import avec_la_frise, frise
from etablissements.models import Convention, Dispositif, VersionCadrage
from etablissements.models.cadrage import StatutCadrage
from etablissements.models.convention import StatutConvention
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import (
    a_un_role_partenaire,
    academies_administrees,
    academies_de,
    etablissements_ou,
    partenaires_de,
    pilote_national,
)
from seances import sante_en_cache, voix
from seances.models import Alerte, EntretienAbsence, NoteMentor, Seance
from seances.sante import peut_lire_sante
from socle import roles as R
from socle.formats import compte
from socle.requetes import RequeteCompilee
from socle.roles import Role
from socle.routeur import lecture_sur_replique

from .. import graphiques
from ..indicateurs import (
    ORDRE,
    POURCENTAGES,
    RAFRAICHISSEMENT,
    Indicateur,
    indicateurs_par_dispositif,
    indicateurs_recents,
    tableau_recent,
)
from ..models import IndicateurPersonnalise, RapportAnnuel, StatutRapport
from ..personnalises import mesurer

COMPARES = ["absenteisme", "abandon", "reussite", "insertion"]
# LPs per page of the académie dashboard.
PAR_PAGE = 25


def _compte(queryset, cle):
    """A correlated COUNT as an annotation: no extra query for the page."""
    return Coalesce(Subquery(queryset.order_by().values(cle).annotate(n=Count("pk")).values("n")[:1]), 0)


def _dispositifs(etablissement_id, annee) -> dict:
    """{annee: dispositif} of the LP for the year and the one before, in one query; each counts the LP's
    pending work (the référent's list) and carries what its frise reads (no query of its own for the
    frise). The query is compiled once a day per connection: its counting and EXISTS subqueries cost
    ≈ 9 ms of CPU to build and compile on the slow machines of the load test, for 1 ms of work on its
    two rows (issue 18)."""
    requete = _dispositifs_compiles(annee, timezone.localdate())
    return {d.annee: d for d in requete.objets(etablissement_id, annee, annee - 1)}


@functools.lru_cache(maxsize=4)
def _dispositifs_compiles(annee, jour) -> RequeteCompilee:
    """The query of `_dispositifs`, built once a day (its dates are constants of the SQL)."""
    base = _dispositifs_a_faire(annee, jour)
    return RequeteCompilee(
        lambda etablissement_id, annee_1, annee_2: base.filter(
            etablissement_id=etablissement_id, annee__in=[annee_1, annee_2]
        ),
        int,
        int,
        int,
    )


def _dispositifs_a_faire(annee, jour):
    """Dispositifs annotated with the LP's pending work of `annee` (checks due in the 30 days after
    `jour`) and with the evidence their frise reads on `jour`; never evaluated itself:
    `_dispositifs_compiles` filters a copy for one LP."""
    bientot = jour + timedelta(days=30)
    comptes = {
        # Every interview still to hold in the LP, whatever the year of the absence: the page the
        # dashboard links to lists them all, and an interview shows "until done" (cahier des charges).
        "entretiens_ouverts": _compte(
            EntretienAbsence.objects.filter(seance__dispositif__etablissement=OuterRef("etablissement"), fait=False),
            "seance__dispositif__etablissement",
        ),
        "eleves_a_confirmer": _compte(
            Eleve.objects.filter(etablissement=OuterRef("etablissement"), statut=StatutEleve.PROPOSE),
            "etablissement",
        ),
        # From the LP's mentors (their index), each one's valid check looked up by its key (a
        # scalar subquery, which PostgreSQL does not turn into a join): written as an exclusion
        # across the relation, it scanned every check of the académie (2 ms at 120 LPs, growing
        # with the country).
        "mentors_honorabilite": _compte(
            Mentor.objects.filter(etablissement=OuterRef("etablissement"))
            .annotate(
                valide=Subquery(
                    Honorabilite.objects.filter(
                        pk=OuterRef("honorabilite"), statut=StatutHonorabilite.VERIFIEE, expiration__gt=bientot
                    ).values("pk")[:1]
                )
            )
            .filter(valide__isnull=True),
            "etablissement",
        ),
        "propositions_en_attente": _compte(
            Proposition.objects.filter(reunion__dispositif=OuterRef("pk"), statut=StatutProposition.PROPOSEE),
            "reunion__dispositif",
        ),
    }
    # Counted for the year's dispositif only (the page shows the year's list): PostgreSQL runs a
    # CASE's subqueries only for the rows that reach them.
    dispositifs = Dispositif.objects.select_related("rapport_annuel").annotate(
        **{nom: Case(When(annee=annee, then=compte), default=Value(0)) for nom, compte in comptes.items()},
        # Whether there is anything to read at all: most LPs have no own indicator and nothing submitted
        # to the chef, and the page then skips the query that would list them (one EXISTS each here).
        a_indicateurs_propres=Exists(IndicateurPersonnalise.objects.filter(dispositif=OuterRef("pk"))),
        cadrage_soumis=Exists(VersionCadrage.objects.filter(dispositif=OuterRef("pk"), statut=StatutCadrage.SOUMISE)),
        convention_soumise=Exists(
            Convention.objects.filter(dispositif=OuterRef("pk"), statut=StatutConvention.SOUMISE)
        ),
    )
    # Read for last year's dispositif too (two rows): the frise of the year only reads the year's.
    return avec_la_frise(dispositifs, jour)


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


def _a_valider(roles, dispositif) -> list[tuple[str, str]]:
    """(text, url) of what waits for the chef's decision on the LP's documents."""
    if not roles & R.VALIDATION:
        return []
    versions = (
        VersionCadrage.objects.filter(dispositif=dispositif, statut=StatutCadrage.SOUMISE)
        if dispositif.cadrage_soumis
        else []
    )
    conventions = (
        Convention.objects.filter(dispositif=dispositif, statut=StatutConvention.SOUMISE).select_related("partenaire")
        if dispositif.convention_soumise
        else []
    )
    return [
        (f"Document de cadrage, version {v.numero}, soumis à votre validation", v.get_absolute_url()) for v in versions
    ] + [(f"Convention avec {c.partenaire} soumise à votre signature", c.get_absolute_url()) for c in conventions]


def _sante_des_binomes(user, dispositif):
    """The pairs « en risque » with their reasons, and how many are « à surveiller »: the référent's only."""
    if not peut_lire_sante(user, dispositif.etablissement_id):
        return None
    return sante_en_cache.resume_du_tableau(dispositif)


# The user's five latest alerts of the LP, read on every LP dashboard: compiled once per connection.
_ALERTES = RequeteCompilee(
    lambda user_id, etablissement_id: Alerte.objects.filter(
        destinataire_id=user_id, etablissement_id=etablissement_id
    ).order_by("-creee_le")[:5],
    int,
    int,
)


def _tableau_de_bord_lp(request, annee):
    etablissement = request.etablissement
    dispositifs = _dispositifs(etablissement.pk, annee)
    dispositif = dispositifs.get(annee)
    if dispositif is None:
        return {"sans_dispositif": True}
    precedent = dispositifs.get(annee - 1)
    # The year's figures live; last year's, which hardly move, from the cache (at most 15 minutes old):
    # the attendance query then reads one year of séances, not two.
    courant = indicateurs_par_dispositif([dispositif.pk])[dispositif.pk]
    ancien = indicateurs_recents([precedent.pk])[precedent.pk] if precedent else None
    lignes = [
        {
            "indicateur": courant[code],
            "precedent": ancien[code] if ancien else None,
            "pourcentage": code in POURCENTAGES,
        }
        for code in ORDRE
    ]
    etats = frise(dispositif, timezone.localdate())
    return {
        "dispositif": dispositif,
        "precedent": precedent,
        "lignes": lignes,
        "indicateurs_propres": mesurer([dispositif.pk])[dispositif.pk] if dispositif.a_indicateurs_propres else [],
        "graphique": _graphique_tendance(courant, ancien, annee),
        "comparaison": [(courant[c], ancien[c] if ancien else None) for c in COMPARES],
        "jalons": etats,
        "jalons_en_retard": [e for e in etats if e.en_retard],
        "rapport": getattr(dispositif, "rapport_annuel", None),
        "entretiens_ouverts": dispositif.entretiens_ouverts,
        "sante": _sante_des_binomes(request.user, dispositif),
        "a_faire": [
            (compte(n, *formes), url)
            for n, formes, url in (
                (
                    dispositif.eleves_a_confirmer,
                    ("élève proposé à confirmer", "élèves proposés à confirmer"),
                    "binomes:eleves",
                ),
                (
                    dispositif.mentors_honorabilite,
                    (
                        "mentor sans honorabilité valide au-delà de 30 jours",
                        "mentors sans honorabilité valide au-delà de 30 jours",
                    ),
                    "binomes:mentors",
                ),
                (
                    dispositif.propositions_en_attente,
                    ("proposition d’appariement à décider", "propositions d’appariement à décider"),
                    "binomes:reunions",
                ),
            )
            if n
        ]
        if Role.REFERENT in request.roles
        else [],
        "a_valider": _a_valider(request.roles, dispositif),
        "voir_entretiens": bool(request.roles & R.VIE_SCOLAIRE),
        "alertes": _ALERTES.objets(request.user.pk, etablissement.pk),
        # The notes' scoping decides what is listed: the référent reads them, the chef and the CPE do not.
        "besoins_mentors": list(voix.besoins_a_traiter(user=request.user, etablissement=etablissement)),
        "voir_besoins_mentors": bool(request.roles & NoteMentor.ROLES_LECTURE),
    }


def _tableau_par_lp(etablissement_ids, annee, tri=None):
    """One row per LP with its recent indicators of the year, the total row (aggregates only),
    and when the figures were computed (they come from the cache: see bilans.indicateurs)."""
    lignes, total, calcule_le = tableau_recent(etablissement_ids, annee)
    if tri in ORDRE:
        # Rows without the indicator ("—") go last, whatever the direction.
        def cle(ligne):
            valeur = ligne.indicateurs[tri].valeur if ligne.indicateurs else None
            return (valeur is None, -(valeur or 0), ligne.nom)

        lignes.sort(key=cle)
    return lignes, total, calcule_le


@lecture_sur_replique
def accueil(request):
    """The home dashboard; what it shows depends on the user's roles."""
    annee = annee_scolaire_courante()
    contexte = {"annee_scolaire": f"{annee}-{annee + 1}", "codes": ORDRE, "rafraichissement": RAFRAICHISSEMENT}
    lp = request.roles & (R.TABLEAU_DE_BORD - {Role.COORDONNATEUR})
    if lp:
        contexte["lp"] = _tableau_de_bord_lp(request, annee)
    if Role.COORDONNATEUR in request.roles or (partenaires_de(request.user) and not lp):
        ids = etablissements_ou(request.user, {Role.COORDONNATEUR})
        contexte["coordination"], contexte["coordination_total"], contexte["calcule_le"] = _tableau_par_lp(ids, annee)
    if academies_de(request.user):
        contexte["academie"] = True
    contexte["national"] = pilote_national(request.user)
    # Roles held on an académie or an association: their entry pages.
    contexte["administration"] = bool(academies_administrees(request.user))
    contexte["responsable"] = any(
        a_un_role_partenaire(request.user, pk, {Role.RESPONSABLE}) for pk in partenaires_de(request.user)
    )
    if Role.MENTOR in request.roles:
        contexte["mes_binomes"] = (
            Binome.objects.for_user(request.user).filter(mentor__user=request.user).select_related("eleve")
        )
        contexte["mes_seances"] = list(
            Seance.objects.for_user(request.user)
            .filter(participations__mentor__user=request.user, date__gte=timezone.localdate())
            .distinct()
            .select_related("dispositif__etablissement")
            .order_by("date", "heure")[:10]
        )
        contexte["notes_a_ecrire"] = voix.seances_sans_note(user=request.user)
        # Their mentor record in each LP they serve: the attestation of hours for their employer.
        contexte["mes_fiches_mentor"] = (
            Mentor.objects.for_user(request.user).filter(user=request.user).select_related("etablissement")
        )
    # Teachers and other staff: their part is spotting students for the programme.
    contexte["personnel"] = Role.PERSONNEL in request.roles
    return render(request, "bilans/accueil.html", contexte)


@lecture_sur_replique
def academie(request):
    """Every LP of the user's académies: aggregates only, no names of people; sortable; with the total.

    The rows come from the cache (recomputed every few minutes) and are shown PAR_PAGE at a time, so the
    page costs the same for 10 or 500 LPs; the total and the sort cover every LP.
    """
    if not academies_de(request.user):
        raise Http404
    annee = annee_scolaire_courante()
    tri = request.GET.get("tri")
    lignes, total, calcule_le = _tableau_par_lp(etablissements_ou(request.user, {Role.PILOTAGE}), annee, tri)
    page = Paginator(lignes, PAR_PAGE).get_page(request.GET.get("page"))
    etats = dict(
        RapportAnnuel.objects.filter(
            dispositif__in=[ligne.dispositif_id for ligne in page if ligne.dispositif_id]
        ).values_list("dispositif", "statut")
    )
    for ligne in page:
        if ligne.dispositif_id in etats:
            ligne.rapport = StatutRapport(etats[ligne.dispositif_id]).label
    return render(
        request,
        "bilans/academie.html",
        {
            "annee_scolaire": f"{annee}-{annee + 1}",
            "page": page,
            "lignes": page.object_list,
            "nombre": len(lignes),
            "total": total,
            "calcule_le": calcule_le,
            "rafraichissement": RAFRAICHISSEMENT,
            "codes": ORDRE,
            "tri": tri,
            "libelles": {code: Indicateur(code, None).libelle for code in ORDRE},
            "definitions": [Indicateur(code, None) for code in ORDRE],
            "avec_rapports": True,
        },
    )

"""The dispositif's own indicators (written in the cadrage), measured from the data.

`mesurer(dispositif_ids)` loads the indicators of many dispositifs in one query, then runs one
grouped query per family of sources that they use (séances, attendance, follow-up meetings,
binômes, absence interviews), whatever the number of indicators and of rows: the dashboard,
the report and any list of dispositifs use it.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from seances.models import EntretienAbsence, Participation, Presence, ReunionSuivi, Seance, StatutSeance
from socle.formats import compte

from .indicateurs import commence
from .models import IndicateurPersonnalise, SourceIndicateur

S = SourceIndicateur

# What each source counts, in words (shown under the indicator, as for the standard ones).
DEFINITIONS = {
    S.SEANCES_TENUES: "Séances tenues dans l’année (les séances prévues ou annulées ne comptent pas).",
    S.ELEVES_PRESENTS: "Élèves distincts présents à au moins N séances tenues de l’année (absents et attendus exclus).",
    S.REUNIONS_SUIVI: "Réunions de suivi, comités de pilotage et de suivi dont la date est passée.",
    S.ENTREPRISES_MENTORS: "Entreprises ou structures distinctes employant un mentor d’un binôme commencé.",
    S.ELEVES_FIN_ANNEE: "Élèves distincts dont un binôme est actif ou terminé (ni rompu, ni suspendu).",
    S.ENTRETIENS_MENES: "Entretiens après absence marqués comme menés.",
    S.TAUX_ENTRETIENS: (
        "Élèves ayant eu au moins un entretien après absence mené, rapportés aux élèves ayant eu un entretien à mener."
    ),
    S.TAUX_BINOMES_FIN_ANNEE: (
        "Binômes actifs ou terminés, rapportés aux binômes commencés (un binôme seulement proposé ne compte pas)."
    ),
    S.TAUX_ELEVES_ASSIDUS: (
        "Élèves mentorés (binôme commencé) présents à au moins N séances tenues, rapportés aux élèves mentorés."
    ),
}

FAMILLES = {
    S.SEANCES_TENUES: "seances",
    S.ELEVES_PRESENTS: "presences",
    S.TAUX_ELEVES_ASSIDUS: "presences",
    S.REUNIONS_SUIVI: "reunions",
    S.ENTREPRISES_MENTORS: "binomes",
    S.ELEVES_FIN_ANNEE: "binomes",
    S.TAUX_BINOMES_FIN_ANNEE: "binomes",
    S.ENTRETIENS_MENES: "entretiens",
    S.TAUX_ENTRETIENS: "entretiens",
}

FIN_ANNEE = Q(statut__in=[StatutBinome.ACTIF, StatutBinome.TERMINE])


@dataclass
class Mesure:
    indicateur: IndicateurPersonnalise
    valeur: int | float | None
    numerateur: int | None = None
    denominateur: int | None = None

    @property
    def est_taux(self) -> bool:
        return self.denominateur is not None

    @property
    def definition(self) -> str:
        texte = DEFINITIONS[self.indicateur.source]
        return texte.replace("N séances", compte(self.indicateur.seuil, "séance")) if self.indicateur.seuil else texte

    @property
    def affichage(self) -> str:
        """French display; a rate over nothing is "—", never 0 %."""
        if self.valeur is None:
            return "—"
        if self.est_taux:
            return f"{self.valeur:.1f} %".replace(".", ",")
        return str(self.valeur)

    @property
    def detail(self) -> str:
        return f"{self.numerateur} sur {self.denominateur}" if self.est_taux and self.denominateur else ""

    @property
    def cible(self) -> str:
        cible = self.indicateur.cible
        if cible is None:
            return "—"
        texte = str(int(cible)) if cible == cible.to_integral_value() else str(cible).replace(".", ",")
        return f"{texte} %" if self.indicateur.nature == "taux" else texte


def _taux(numerateur, denominateur):
    return round(100 * numerateur / denominateur, 1) if denominateur else None


def _seances(ids):
    par = defaultdict(dict)
    for d, type_, n in (
        Seance.objects.filter(dispositif__in=ids, statut=StatutSeance.TENUE)
        .values("dispositif", "type")
        .annotate(n=Count("id"))
        .values_list("dispositif", "type", "n")
        .order_by()
    ):
        par[d][type_] = n
    return par


def _presences(ids):
    """{dispositif: {"presences": {eleve: séances where present}, "mentores": {eleves}}} (two queries)."""
    par = defaultdict(lambda: {"presences": {}, "mentores": set()})
    for d, eleve, n in (
        Participation.objects.filter(
            seance__dispositif__in=ids,
            seance__statut=StatutSeance.TENUE,
            eleve__isnull=False,
            presence=Presence.PRESENT,
        )
        .values("seance__dispositif", "eleve")
        .annotate(n=Count("id"))
        .values_list("seance__dispositif", "eleve", "n")
        .order_by()
    ):
        par[d]["presences"][eleve] = n
    for d, eleve in (
        Binome.objects.filter(commence(), dispositif__in=ids).values_list("dispositif", "eleve").distinct().order_by()
    ):
        par[d]["mentores"].add(eleve)
    return par


def _reunions(ids):
    return dict(
        ReunionSuivi.objects.filter(dispositif__in=ids, date__lte=timezone.localdate())
        .values("dispositif")
        .annotate(n=Count("id"))
        .values_list("dispositif", "n")
        .order_by()
    )


def _binomes(ids):
    return {
        ligne.pop("dispositif"): ligne
        for ligne in Binome.objects.filter(commence(), dispositif__in=ids)
        .values("dispositif")
        .annotate(
            commences=Count("id"),
            fin_annee=Count("id", filter=FIN_ANNEE),
            eleves_fin_annee=Count("eleve", filter=FIN_ANNEE, distinct=True),
            entreprises=Count("mentor__entreprise", distinct=True),
        )
        .order_by()
    }


def _entretiens(ids):
    return {
        ligne.pop("seance__dispositif"): ligne
        for ligne in EntretienAbsence.objects.filter(seance__dispositif__in=ids)
        .values("seance__dispositif")
        .annotate(
            menes=Count("id", filter=Q(fait=True)),
            eleves=Count("eleve", distinct=True),
            eleves_menes=Count("eleve", filter=Q(fait=True), distinct=True),
        )
        .order_by()
    }


REQUETES = {
    "seances": _seances,
    "presences": _presences,
    "reunions": _reunions,
    "binomes": _binomes,
    "entretiens": _entretiens,
}


def _mesure(indicateur, donnees) -> Mesure:
    source, d = indicateur.source, indicateur.dispositif_id
    famille = donnees[FAMILLES[source]]
    if source == S.SEANCES_TENUES:
        par_type = famille.get(d, {})
        return Mesure(
            indicateur, par_type.get(indicateur.type_seance, 0) if indicateur.type_seance else sum(par_type.values())
        )
    if source == S.REUNIONS_SUIVI:
        return Mesure(indicateur, famille.get(d, 0))
    if source in (S.ELEVES_PRESENTS, S.TAUX_ELEVES_ASSIDUS):
        f = famille.get(d, {"presences": {}, "mentores": set()})
        assidus = {eleve for eleve, n in f["presences"].items() if n >= indicateur.seuil}
        if source == S.ELEVES_PRESENTS:
            return Mesure(indicateur, len(assidus))
        numerateur, denominateur = len(assidus & f["mentores"]), len(f["mentores"])
        return Mesure(indicateur, _taux(numerateur, denominateur), numerateur, denominateur)
    g = famille.get(d, {}).get
    if source == S.ENTREPRISES_MENTORS:
        return Mesure(indicateur, g("entreprises", 0))
    if source == S.ELEVES_FIN_ANNEE:
        return Mesure(indicateur, g("eleves_fin_annee", 0))
    if source == S.TAUX_BINOMES_FIN_ANNEE:
        return Mesure(indicateur, _taux(g("fin_annee", 0), g("commences", 0)), g("fin_annee", 0), g("commences", 0))
    if source == S.ENTRETIENS_MENES:
        return Mesure(indicateur, g("menes", 0))
    # S.TAUX_ENTRETIENS
    return Mesure(indicateur, _taux(g("eleves_menes", 0), g("eleves", 0)), g("eleves_menes", 0), g("eleves", 0))


def mesurer(dispositif_ids) -> dict[int, list[Mesure]]:
    """The measured own indicators of each dispositif of `dispositif_ids` (in the order they were added)."""
    ids = list(dispositif_ids)
    indicateurs = list(IndicateurPersonnalise.objects.filter(dispositif__in=ids).order_by("pk"))
    familles = {FAMILLES[i.source] for i in indicateurs}
    donnees = {famille: REQUETES[famille](ids) for famille in familles}
    resultat = {pk: [] for pk in ids}
    for indicateur in indicateurs:
        resultat[indicateur.dispositif_id].append(_mesure(indicateur, donnees))
    return resultat

"""The review's indicators (fiche 3, « Bilan qualité et indicateurs »), computed in the database.

`indicateurs_par_dispositif(ids)` computes every indicator of many dispositifs with a
fixed number of grouped queries (one per source table), whatever their number: one LP's
page, its year-end report and the exports use it, always exact.
`tableau_recent(etablissement_ids, annee)` serves the same figures from the cache, computed
at most `DUREE_CACHE` seconds ago and refreshed by a beat job: the dashboards that put many
LPs side by side (académie, coordinator) use it and say when the figures were computed, so
that their cost does not grow with the number of LPs.
Each indicator carries its written definition, shown next to its value.
"""

import functools
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from binomes.models import Binome, Eleve, Mentor, StatutBinome
from etablissements.models import Dispositif, Etablissement, LigneBudget
from etablissements.models.budget import TypeLigneBudget
from seances.models import Participation, Presence, StatutSeance
from socle.formats import montant, nombre, pourcentage
from socle.requetes import RequeteCompilee

from .models import ChiffresDispositif, ResultatEleve, Situation


def commence(prefixe: str = "") -> Q:
    """The binômes that started, whatever became of them: active, suspended, ended, or broken
    after they had started. A binôme only proposed did not start; nor did one proposed and then
    broken before it was activated (activation always sets its start date): it has no start
    date, or a start date after its end. Counting it would make a declined proposal an abandonment.
    `prefixe` reaches the binôme through a relation ("binomes__").
    """
    p = prefixe
    rompu_apres_debut = Q(**{f"{p}statut": StatutBinome.ROMPU, f"{p}date_debut__isnull": False}) & (
        Q(**{f"{p}date_fin__isnull": True}) | Q(**{f"{p}date_debut__lte": F(f"{p}date_fin")})
    )
    en_cours_ou_fini = Q(**{f"{p}statut__in": [StatutBinome.ACTIF, StatutBinome.SUSPENDU, StatutBinome.TERMINE]})
    return en_cours_ou_fini | rompu_apres_debut


def abandonne() -> Q:
    """The started binômes that count as abandoned: broken before their planned end."""
    return Q(statut=StatutBinome.ROMPU) & (
        Q(date_fin_prevue__isnull=True) | Q(date_fin__isnull=True) | Q(date_fin__lt=F("date_fin_prevue"))
    )


DEFINITIONS = {
    "filles": (
        "Filles mentorées",
        "Nombre d’élèves filles distinctes ayant au moins un binôme commencé dans l’année "
        "(actif, suspendu, terminé, ou rompu après avoir commencé ; un binôme seulement proposé, "
        "ou rompu avant d’avoir commencé, ne compte pas). Une élève appariée deux fois compte une fois.",
    ),
    "garcons": (
        "Garçons mentorés",
        "Nombre d’élèves garçons ayant au moins un binôme commencé dans l’année, selon la même règle.",
    ),
    "mentors": ("Mentors", "Nombre de mentors distincts ayant au moins un binôme commencé dans l’année."),
    "entreprises": (
        "Entreprises impliquées",
        "Nombre d’entreprises ou structures distinctes qui emploient ces mentors.",
    ),
    "absenteisme": (
        "Taux d’absentéisme",
        "Absences d’élèves (excusées ou non) rapportées au nombre de présences d’élèves attendues "
        "aux séances tenues de l’année : à une séance collective, chaque élève attendu compte. Les séances "
        "annulées ou seulement prévues, et la présence des mentors, ne comptent pas.",
    ),
    "abandon": (
        "Taux d’abandon",
        "Binômes rompus avant leur date de fin prévue (ou sans fin prévue), rapportés au nombre de binômes "
        "commencés dans l’année. Un binôme suspendu n’est pas un abandon.",
    ),
    "reussite": (
        "Taux de réussite aux examens",
        "Élèves mentorés admis rapportés aux élèves mentorés présentés à l’examen, d’après les résultats "
        "saisis élève par élève.",
    ),
    "insertion": (
        "Taux d’insertion",
        "Élèves mentorés en emploi ou en formation à la date constatée, rapportés aux élèves mentorés dont "
        "la situation est renseignée (saisie élève par élève).",
    ),
    "alloue": ("Sommes allouées", "Total des sommes allouées au dispositif, toutes sources confondues."),
    "engage": ("Sommes engagées", "Total des sommes engagées ou dépensées, toutes natures confondues."),
}

ORDRE = list(DEFINITIONS)
POURCENTAGES = {"absenteisme", "abandon", "reussite", "insertion"}
MONTANTS = {"alloue", "engage"}


@dataclass
class Indicateur:
    code: str
    valeur: float | int | Decimal | None
    numerateur: int | Decimal | None = None
    denominateur: int | None = None

    @property
    def libelle(self) -> str:
        return DEFINITIONS[self.code][0]

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.code][1]

    @property
    def affichage(self) -> str:
        """French display; a rate over nothing is "—", never 0 %."""
        if self.valeur is None:
            return "—"
        if self.code in POURCENTAGES:
            return pourcentage(self.valeur)
        if self.code in MONTANTS:
            return montant(self.valeur)
        return nombre(self.valeur)

    @property
    def detail(self) -> str:
        if self.code in POURCENTAGES and self.denominateur:
            return f"{nombre(self.numerateur)} sur {nombre(self.denominateur)}"
        return ""


@dataclass
class Indicateurs:
    dispositif_id: int
    valeurs: dict[str, Indicateur] = field(default_factory=dict)

    def __getitem__(self, code):
        return self.valeurs[code]

    def __iter__(self):
        return (self.valeurs[code] for code in ORDRE)


def _taux(numerateur, denominateur):
    if not denominateur:
        return None
    return round(100 * numerateur / denominateur, 1)


def indicateurs_par_dispositif(ids) -> dict[int, Indicateurs]:
    """Every indicator of the dispositifs `ids`, in four grouped queries."""
    return {pk: _assembler(pk, chiffres) for pk, chiffres in _chiffres(ids).items()}


def indicateurs_recents(ids) -> dict[int, Indicateurs]:
    """Every indicator of the dispositifs `ids` from their recent figures (at most DUREE_CACHE old:
    the cache, the rows the beat job kept, else computed now and cached): for a past year's
    dispositif, whose figures hardly move, shown beside the current year's live ones."""
    return {pk: _assembler(pk, chiffres) for pk, (_date, chiffres) in chiffres_recents(ids).items()}


def _chiffres(ids) -> dict[int, dict]:
    """The raw counts and sums behind the indicators, per dispositif (picklable: for the cache).

    Each query reads one table grouped by dispositif, joined only along to-one relations (a
    binôme's student and mentor, a participation's séance): no join multiplies the rows that are
    counted, and the counts of people are `distinct`. Populations, per the cahier des charges:
    - people (girls, boys, mentors, companies): distinct, over the binômes of the dispositif that
      started (`commence`); a student paired twice counts once;
    - abandonment: binômes (not students) broken before their planned end, over binômes started;
      a suspended binôme is started and not abandoned;
    - absenteeism: per participation of a student at a held séance (a collective séance counts
      once per student expected), absences excused or not; planned and cancelled séances, and
      mentors' attendance, do not count;
    - exam and insertion: per student, over the results of the dispositif's mentored students
      (a result entered for a student whose binôme never started does not count);
    - sums: the dispositif's budget lines.
    The binômes, séances and results of another year or another LP belong to another dispositif.
    """
    ids = list(ids)
    resultats = {pk: {} for pk in ids}
    for cle, ligne in _compter(ids):
        resultats[cle].update(ligne)
    return resultats


ABSENCES = [Presence.ABSENT_EXCUSE, Presence.ABSENT_NON_EXCUSE]


def _de(modele, champ: str, cle: str):
    """`champ` of the `modele` row that the outer row's `cle` points to, read by its primary key."""
    return Subquery(modele.objects.filter(pk=OuterRef(cle)).order_by().values(champ)[:1])


def _compter(ids):
    """(dispositif id, counts) rows of the dispositifs `ids`: four grouped queries, whatever their number."""
    if len(ids) == 1 and type(ids[0]) is int:
        # One LP's dashboard or report: the four queries compiled once per connection.
        for compilee, noms in _comptages_d_un_dispositif():
            for ligne in compilee.lignes(ids[0]):
                yield ligne[0], dict(zip(noms[1:], ligne[1:], strict=True))
        return
    for requete, cle in _requetes_de_comptage():
        for ligne in requete.filter(**{f"{cle}__in": ids}):
            yield ligne.pop(cle), ligne


@functools.lru_cache(maxsize=1)
def _comptages_d_un_dispositif() -> list[tuple[RequeteCompilee, tuple[str, ...]]]:
    """`_requetes_de_comptage` for one dispositif, each compiled to SQL once per connection, with the
    names of its columns (the grouping key first).

    Building a copy of each query and compiling it cost ≈ 4–5 ms of CPU for every LP dashboard on the
    slow machines of the load test, for ≈ 0.6 ms of work on the rows (issue 18).
    """
    comptages = []
    for requete, cle in _requetes_de_comptage():
        noms = (*requete.query.values_select, *requete.query.annotation_select)
        if noms[0] != cle:
            raise ValueError(f"La clé {cle} doit être la première colonne de {noms}.")

        def fabrique(pk, requete=requete, cle=cle, noms=noms):
            return requete.filter(**{cle: pk}).values_list(*noms)

        comptages.append((RequeteCompilee(fabrique, int), noms))
    return comptages


@functools.lru_cache(maxsize=1)
def _requetes_de_comptage() -> list[tuple]:
    """The four grouped queries of `_compter`, with the key each groups by; never evaluated
    themselves: `_compter` filters a copy of each by its dispositifs (a WHERE on the grouping key).

    Built once per process: their aggregates, filters and subqueries cost ≈ 6 ms of CPU to build,
    a third of an LP's indicators, on every LP dashboard and report (issue 18).
    """
    abandon = abandonne()
    # The student's sex and the mentor's company are read by primary key for each binôme (scalar
    # subqueries): a join let PostgreSQL hash every student and mentor of the country at some sizes
    # and not at others (issue 18: 11–27 ms at 120 LPs, 1–2 ms at 1 and 600); each binôme costs
    # two index lookups here, at every size.
    binomes = (
        Binome.objects.filter(commence())
        .annotate(sexe_eleve=_de(Eleve, "sexe", "eleve"), entreprise_mentor=_de(Mentor, "entreprise", "mentor"))
        .values("dispositif")
        .annotate(
            commences=Count("id"),
            abandons=Count("id", filter=abandon),
            filles=Count("eleve", filter=Q(sexe_eleve="F"), distinct=True),
            garcons=Count("eleve", filter=Q(sexe_eleve="M"), distinct=True),
            mentors=Count("mentor", distinct=True),
            entreprises=Count("entreprise_mentor", distinct=True),
        )
    )
    # One pass over the held séances' student participations (partial index
    # participation_eleve_presence, index-only). PostgreSQL picks the plan that fits the share of the
    # table it needs, and picks well (EXPLAIN ANALYZE in bench/bench_pages.py `explain`, issue 18): a
    # nested loop from the séances of an LP (7 ms) or of one académie among 30 (77 ms, 2,100 LPs), a
    # hash join when the dispositifs are most of the table (an académie alone in its base: 242 ms at
    # 120 LPs). Driving it from the séances with one counting subquery each (tried in between) probed
    # the index twice per séance: 2 to 4 times slower at every size, 345 instead of 242 ms at 120 LPs.
    participations = (
        Participation.objects.filter(seance__statut=StatutSeance.TENUE, eleve__isnull=False)
        .values("seance__dispositif")
        .annotate(attendues=Count("id"), absences=Count("id", filter=Q(presence__in=ABSENCES)))
    )
    resultats = (
        ResultatEleve.objects.filter(
            Exists(Binome.objects.filter(commence(), dispositif=OuterRef("dispositif"), eleve=OuterRef("eleve")))
        )
        .values("dispositif")
        .annotate(
            presentes=Count("id", filter=Q(presente=True)),
            admis=Count("id", filter=Q(presente=True, admis=True)),
            situations=Count("id", filter=~Q(situation=Situation.INCONNUE)),
            inseres=Count("id", filter=Q(situation__in=[Situation.EMPLOI, Situation.FORMATION])),
        )
    )
    budget = LigneBudget.objects.values("dispositif").annotate(
        alloue=Sum("montant", filter=Q(type=TypeLigneBudget.ALLOCATION)),
        engage=Sum("montant", filter=Q(type=TypeLigneBudget.ENGAGEMENT)),
    )
    return [
        (binomes, "dispositif"),
        (participations, "seance__dispositif"),
        (resultats, "dispositif"),
        (budget, "dispositif"),
    ]


def _assembler(pk, c) -> Indicateurs:
    g = c.get
    i = Indicateurs(pk)
    for code in ("filles", "garcons", "mentors", "entreprises"):
        i.valeurs[code] = Indicateur(code, g(code, 0))
    i.valeurs["absenteisme"] = Indicateur(
        "absenteisme", _taux(g("absences", 0), g("attendues", 0)), g("absences", 0), g("attendues", 0)
    )
    i.valeurs["abandon"] = Indicateur(
        "abandon", _taux(g("abandons", 0), g("commences", 0)), g("abandons", 0), g("commences", 0)
    )
    i.valeurs["reussite"] = Indicateur(
        "reussite", _taux(g("admis", 0), g("presentes", 0)), g("admis", 0), g("presentes", 0)
    )
    i.valeurs["insertion"] = Indicateur(
        "insertion", _taux(g("inseres", 0), g("situations", 0)), g("inseres", 0), g("situations", 0)
    )
    i.valeurs["alloue"] = Indicateur("alloue", g("alloue") or Decimal("0"))
    i.valeurs["engage"] = Indicateur("engage", g("engage") or Decimal("0"))
    return i


def total(tous) -> dict[str, Indicateur]:
    """Académie totals: counts and sums add up; a rate is the sum of numerators over the sum of denominators.

    Adding the counts of people is exact: a student, a mentor record and a company record belong
    to one LP (`etablissement` on each), so no one is in two LPs' counts. (A company that two LPs
    each registered is two records, and counts twice, as it does in each LP's own figures.)
    """
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


def indicateurs(dispositif) -> Indicateurs:
    return indicateurs_par_dispositif([dispositif.pk])[dispositif.pk]


# --- Recent figures, from the cache --------------------------------------------------------------

# Two levels, each entry dated with the computation of its figures:
# - one entry per dispositif. The beat job `bilans.tasks.rafraichir_indicateurs` recomputes every
#   current dispositif every RAFRAICHISSEMENT minutes, one pass per académie, and also keeps the
#   figures in the database (`ChiffresDispositif`); an entry lives a little longer, so that a page
#   between two runs never has to compute. A dispositif missing from the cache (Redis restarted: it
#   keeps nothing on disk) is read from those rows, in one query for all, while they are no older
#   than DUREE_CACHE; one missing there too (new, or no beat in development) is computed on the
#   spot, with all the missing ones in four grouped queries;
# - one entry per table of LPs (an académie, a coordinator's LPs): names, UAI and the figures of
#   every row, read in one round trip, so that a dashboard of 500 LPs costs what one of 10 does.
#   Its key carries a version that the beat job changes after each run: the next view rebuilds
#   the table from the fresh per-dispositif entries (two small queries, no computation).
RAFRAICHISSEMENT = 10
DUREE_CACHE = (RAFRAICHISSEMENT + 5) * 60
CLE_VERSION_TABLEAUX = "bilans:tableaux:version"


def _cle(pk) -> str:
    # v2: binômes broken before they started and results of students never mentored left out.
    return f"bilans:indicateurs:v2:{pk}"


def rafraichir(ids, *, enregistrer=False) -> dict[int, tuple[datetime, dict]]:
    """Compute the indicators of `ids` now and keep them in the cache, and with `enregistrer` (the
    beat job; never a page, which must not write on GET) in the database; returns {pk: (date, counts)}."""
    maintenant = timezone.now()
    entrees = {pk: (maintenant, chiffres) for pk, chiffres in _chiffres(ids).items()}
    cache.set_many({_cle(pk): entree for pk, entree in entrees.items()}, DUREE_CACHE)
    if enregistrer:
        ChiffresDispositif.objects.bulk_create(
            [ChiffresDispositif(dispositif_id=pk, calcule_le=maintenant, chiffres=c) for pk, (_, c) in entrees.items()],
            update_conflicts=True,
            unique_fields=["dispositif"],
            update_fields=["calcule_le", "chiffres"],
        )
    return entrees


def _depuis_json(chiffres: dict) -> dict:
    """Counts read back from JSON: the sums of money were written as strings (exact decimals)."""
    return {cle: Decimal(v) if cle in MONTANTS and v is not None else v for cle, v in chiffres.items()}


def chiffres_recents(ids, lots=None, *, anciens=False, plafond=None) -> dict[int, tuple[datetime, dict]]:
    """{pk: (computed at, counts)} of the dispositifs `ids`, computed at most DUREE_CACHE ago: from the
    cache in one round trip; the missing ones from the rows the beat job kept, in one query; the
    ones still missing computed now (and cached), together or, given `lots` (lists of ids: the
    country's dispositifs by académie), lot by lot, so that each computation reads one académie's rows.

    With `anciens`, kept rows of any age serve (the caller shows their date): only the dispositifs
    never computed yet are computed now.

    With `plafond`, at most that many dispositifs are computed now, whole lots only: the others are
    left out of the result (the caller shows them as pending and asks the workers)."""
    ids = list(ids)
    trouves = cache.get_many([_cle(pk) for pk in ids])
    entrees = {pk: trouves[_cle(pk)] for pk in ids if _cle(pk) in trouves}
    manquants = [pk for pk in ids if pk not in entrees]
    if manquants:
        maintenant = timezone.now()
        limite = maintenant - timedelta(seconds=DUREE_CACHE)
        gardes = ChiffresDispositif.objects.filter(dispositif__in=manquants)
        if not anciens:
            gardes = gardes.filter(calcule_le__gt=limite)
        gardes = {
            pk: (calcule_le, _depuis_json(chiffres))
            for pk, calcule_le, chiffres in gardes.values_list("dispositif", "calcule_le", "chiffres")
        }
        if recents := {pk: entree for pk, entree in gardes.items() if entree[0] > limite}:
            # Back in the cache for what remains of their life (old ones are not cached: the next
            # computation replaces them).
            plus_ancien = min(date for date, _ in recents.values())
            duree = max(1, int(DUREE_CACHE - (maintenant - plus_ancien).total_seconds()))
            cache.set_many({_cle(pk): entree for pk, entree in recents.items()}, duree)
        entrees.update(gardes)
        manquants = [pk for pk in manquants if pk not in gardes]
    if manquants:
        restants = set(manquants)
        for lot in lots if lots is not None else [manquants]:
            a_calculer = [pk for pk in lot if pk in restants]
            if not a_calculer or (plafond is not None and len(a_calculer) > plafond):
                continue
            entrees.update(rafraichir(a_calculer))
            if plafond is not None:
                plafond -= len(a_calculer)
    return entrees


def tableaux_perimes():
    """The tables of LPs cached so far are to be rebuilt from the per-dispositif entries."""
    cache.set(CLE_VERSION_TABLEAUX, uuid.uuid4().hex, None)


@dataclass
class LigneLP:
    """One row of a table of LPs: the LP (no personal data) and its recent indicators, if it has a dispositif."""

    pk: int
    nom: str
    uai: str
    dispositif_id: int | None
    chiffres: dict | None
    rapport: str = ""  # the year-end report's state, where the page shows it

    def __str__(self):
        return self.nom

    @cached_property
    def indicateurs(self) -> Indicateurs | None:
        return None if self.dispositif_id is None else _assembler(self.dispositif_id, self.chiffres)

    @property
    def cellules(self) -> list[str]:
        """The values as displayed, in ORDRE (one template lookup per row instead of one per cell)."""
        return [indicateur.affichage for indicateur in self.indicateurs] if self.indicateurs else []


def tableau_recent(etablissement_ids, annee) -> tuple[list[LigneLP], dict[str, Indicateur], datetime | None]:
    """The LPs `etablissement_ids` by name, each with the recent indicators of its dispositif of `annee`,
    their total, and when the oldest figures were computed. Warm: two cache reads and no query."""
    ids = sorted(set(etablissement_ids))
    empreinte = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
    cle = f"bilans:tableau:v3:{cache.get(CLE_VERSION_TABLEAUX, '0')}:{annee}:{empreinte}"
    entree = cache.get(cle)
    if entree is not None:
        return entree
    dispositifs = dict(
        Dispositif.objects.filter(etablissement__in=ids, annee=annee).values_list("etablissement_id", "pk")
    )
    entrees = chiffres_recents(dispositifs.values())
    lignes = []
    for pk, nom, uai in Etablissement.objects.filter(pk__in=ids).order_by("nom").values_list("pk", "nom", "uai"):
        dispositif_id = dispositifs.get(pk)
        chiffres = entrees[dispositif_id][1] if dispositif_id else None
        lignes.append(LigneLP(pk, nom, uai, dispositif_id, chiffres))
    calcule_le = min((date for date, _ in entrees.values()), default=None)
    # The rows are cached with their raw figures only: a page assembles the rows it shows or sorts.
    somme = total(_assembler(ligne.dispositif_id, ligne.chiffres) for ligne in lignes if ligne.dispositif_id)
    resultat = (lignes, somme, calcule_le)
    # The table lives no longer than its oldest figures would.
    if calcule_le is not None:
        duree = max(1, int(DUREE_CACHE - (timezone.now() - calcule_le).total_seconds()))
        cache.set(cle, resultat, duree)
    return resultat

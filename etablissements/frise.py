"""The frise chronologique: the sheet's milestones for each dispositif, and where each stands.

A milestone's status is:
- the status the référent fixed by hand, if any (stored on the `Jalon` with who fixed it
  and when; removing it goes back to the data);
- otherwise the status derived from the data, by functions registered with
  `enregistrer_derivation`: this app registers what its own data shows, apps above it
  register theirs in their `AppConfig.ready()`, so this app never imports them; each gives
  the annotations it needs on a Dispositif row, and all are read in one query;
- otherwise « à faire ».

What shows each milestone done (the sheet, fiche 3, and cahier des charges §2, §3.3, §3.4).
"Held" means dated on or before the day the frise is looked at.

milestone     | fait when                                     | en cours when                  | app
------------- | --------------------------------------------- | ------------------------------ | --------------
reflexion     | the diagnostic is complete                    | a diagnostic is started        | etablissements
partenaire    | the convention is signed (or has run out)     | partner chosen, draft written  | etablissements
cadrage       | a version is validated by the chef            | a version written or submitted | etablissements
designation   | the team has a référent and a coordonnateur   | one of the two is named        | etablissements
sourcing      | a mentor of the LP has a valid honorabilité   | a mentor is recorded           | binomes
eleves        | a student is retained and volunteer (*)       | a student proposed or retained | binomes
presentation  | the internal presentation (évènement) is held | it is scheduled                | seances
appariement   | a binôme is formed (not only proposed)        | pairing meeting or proposal    | binomes
lancement     | the launch event or a first séance is held    | the launch event is scheduled  | seances
deroulement   | period over, séances and a follow-up meeting  | a séance or a meeting held     | seances
bilan         | the qualitative review is written in full     | review started, survey opened  | bilans
reunion_fin   | the end-of-year meeting (évènement) is held   | it is scheduled                | seances
evenement_fin | the end-of-year ceremony (évènement) is held  | it is scheduled                | seances

(*) not gone from the LP before the dispositif's school year began. A valid honorabilité
is verified and unexpired on the day looked at. « Déroulement » runs all year: it is done
once its period (October–May) is over with séances held and at least one réunion de suivi
or comité held. Absences are watched in the séances, not as a milestone of the sheet.
Each app answers in one query for all the dispositifs asked (an `Exists` per evidence).

"En retard" is never stored: a milestone not done (by hand or from the data) whose
recommended period ended before today is late. Periods follow the sheet's frise (cahier
des charges §2), in dates of the dispositif's school year N-(N+1):

- « fin d'année N-1 »: 1 May N – 31 August N (the summer break closes the preparation);
- « septembre »: 1–30 September N;
- « octobre à mai »: 1 October N – 31 May N+1;
- the launch: 1 October N – 10 January N+1. The sheet wants it « au plus tard début
  janvier »: we read "early January" as the first ten days, so the launch is late from
  11 January N+1;
- « fin d'année ou fin du mentorat »: 1 June – 10 July N+1 (the end of classes).

The table of milestones (`JALONS`) lives with the `Jalon` model, whose choices it gives;
this module reads the models and the models never read it.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, Exists, OuterRef, QuerySet, Value
from django.utils import timezone

from socle.requetes import RequeteCompilee

from . import calendrier as calendrier_mod
from .models import Convention, Dispositif, Jalon, MembreEquipe, VersionCadrage
from .models.cadrage import StatutCadrage
from .models.convention import StatutConvention
from .models.equipe import RoleEquipe
from .models.jalon import DEFINITIONS, JALONS

FAIT = "fait"
EN_COURS = "en_cours"
A_FAIRE = "a_faire"
_RANG = {A_FAIRE: 0, EN_COURS: 1, FAIT: 2}
LIBELLES = {A_FAIRE: "À faire", EN_COURS: "En cours", FAIT: "Fait"}

# annotations(jour) -> {name: expression on a Dispositif row (Exists…)}
# lire(dispositif annotated, jour) -> {milestone code: "fait" | "en_cours"}
Annotations = Callable[[date], dict]
Lecture = Callable[[object, date], dict[str, str]]


@dataclass(frozen=True)
class Derivation:
    codes: frozenset[str]
    annotations: Annotations
    relations: tuple[str, ...]


_DERIVATIONS: dict[Lecture, Derivation] = {}


def _aucune_annotation(jour):
    return {}


def enregistrer_derivation(
    codes: Iterable[str], lire: Lecture, annotations: Annotations = _aucune_annotation, relations: Iterable[str] = ()
) -> None:
    """Register `lire` as a source of the status of the milestones `codes`.

    Every derivation is read from one query per list of dispositifs, whatever their number and
    the number of derivations (the LP's dashboard shows the frise): `annotations(jour)` gives the
    expressions this derivation needs on a Dispositif row (their names must not be another
    derivation's), `relations` the one-to-one relations to select with it, and `lire(d, jour)`
    answers from the annotated row `d` a dict {code: "fait" or "en_cours"} for the milestones
    whose data shows progress, only among its `codes`. Registering the same function again
    replaces its codes.
    """
    codes = frozenset([codes] if isinstance(codes, str) else codes)
    inconnus = codes - DEFINITIONS.keys()
    if inconnus or not codes:
        raise ValueError(f"Jalon inconnu : {', '.join(sorted(inconnus)) or '(aucun)'}")
    _DERIVATIONS[lire] = Derivation(codes, annotations, tuple(relations))
    _dispositifs_annotes.cache_clear()


def generer_jalons(dispositif) -> None:
    """Create the missing milestones of `dispositif` with their recommended periods (idempotent)."""
    existants = set(dispositif.jalons.values_list("code", flat=True))
    Jalon.objects.bulk_create(
        [
            Jalon(
                dispositif=dispositif,
                code=d.code,
                ordre=ordre,
                debut=d.dates(dispositif.annee)[0],
                fin=d.dates(dispositif.annee)[1],
            )
            for ordre, d in enumerate(JALONS, start=1)
            if d.code not in existants
        ]
    )


@dataclass
class EtatJalon:
    """A milestone as shown: its status (fixed by hand, else from the data) and whether it is late on `jour`."""

    jalon: object
    statut_derive: str | None
    jour: date

    @property
    def fixe_a_la_main(self) -> bool:
        return bool(self.jalon.statut)

    @property
    def statut(self) -> str:
        if self.fixe_a_la_main:
            return self.jalon.statut
        return self.statut_derive or A_FAIRE

    @property
    def en_retard(self) -> bool:
        return self.statut != FAIT and self.jour > self.jalon.fin

    @property
    def en_periode(self) -> bool:
        return self.jalon.debut <= self.jour <= self.jalon.fin

    @property
    def libelle_statut(self) -> str:
        if self.en_retard:
            return "En retard"
        return LIBELLES[self.statut]

    @property
    def badge(self) -> str:
        """DSFR badge modifier of the status."""
        if self.en_retard:
            return "fr-badge--error"
        return {A_FAIRE: "fr-badge--info", EN_COURS: "fr-badge--new", FAIT: "fr-badge--success"}[self.statut]

    @property
    def derive_des_donnees(self) -> bool:
        return not self.fixe_a_la_main and self.statut_derive is not None

    @property
    def libelle_derive(self) -> str:
        """What the data alone says, shown beside a status fixed by hand."""
        return LIBELLES[self.statut_derive or A_FAIRE]


# The day a Dispositif row's evidence was read for (an annotation): a row carrying it for the day
# asked is read as it is, without the frise's own query.
_LU_LE = "frise_lue_le"


def _annotations(jour: date) -> tuple[dict, list[str]]:
    """The evidence of every registered derivation on `jour`, and the relations to select with it."""
    annotations, relations = {_LU_LE: Value(jour, output_field=DateField())}, set()
    for lire, derivation in _DERIVATIONS.items():
        propres = derivation.annotations(jour)
        if doublons := annotations.keys() & propres.keys():
            raise ValueError(f"{lire.__qualname__} : annotations déjà prises ({', '.join(sorted(doublons))})")
        annotations.update(propres)
        relations.update(derivation.relations)
    return annotations, sorted(relations)


def avec_la_frise(dispositifs: QuerySet, jour: date) -> QuerySet:
    """`dispositifs` (a Dispositif queryset) annotated with what the frise reads on `jour`: a page
    that reads its dispositif anyway spares the frise's query (`frise` reads these rows as they are).

    Building the twenty EXISTS subqueries costs milliseconds of CPU: callers keep the result (a
    queryset built once per day, filtered by copy), as `_dispositifs_annotes` does.
    """
    annotations, relations = _annotations(jour)
    if doublons := annotations.keys() & dispositifs.query.annotations.keys():
        raise ValueError(f"annotations de la frise déjà prises ({', '.join(sorted(doublons))})")
    return dispositifs.annotate(**annotations).select_related(*relations)


@functools.lru_cache(maxsize=4)
def _dispositifs_annotes(jour: date, lectures: tuple) -> QuerySet:
    """Dispositif rows annotated with the evidence of every derivation on `jour`; never evaluated
    itself: each call of `statuts_derives` filters a copy.

    Built once per day and per set of derivations (`lectures`, the registry's keys): the twenty
    EXISTS subqueries cost ≈ 15 ms of CPU to build, twice the rest of the frise's query, on
    every LP dashboard (issue 18). A copy shares them and costs a few microseconds.
    """
    return avec_la_frise(Dispositif.objects.all(), jour)


def statuts_derives(dispositifs: list, jour: date) -> dict[tuple[int, str], str]:
    """{(dispositif id, milestone code): derived status} from every registered derivation, in one query
    (none when every dispositif given was read with `avec_la_frise` for `jour`)."""
    resultat: dict[tuple[int, str], str] = {}
    if not dispositifs:
        return resultat
    if all(getattr(d, _LU_LE, None) == jour for d in dispositifs):
        lignes = dispositifs
    else:
        lignes = _dispositifs_annotes(jour, tuple(_DERIVATIONS)).filter(pk__in=[d.pk for d in dispositifs])
    for d in lignes:
        for lire, derivation in _DERIVATIONS.items():
            for code, statut in lire(d, jour).items():
                if code not in derivation.codes:
                    raise ValueError(f"{lire.__qualname__} ne dérive pas le jalon {code}")
                if _RANG[statut] > _RANG[resultat.get((d.pk, code), A_FAIRE)]:
                    resultat[(d.pk, code)] = statut
    return resultat


def etats(jalons: Iterable, jour: date | None = None) -> list[EtatJalon]:
    """The displayed state of each of `jalons` (their `dispositif` selected with them)."""
    jour = jour or timezone.localdate()
    jalons = list(jalons)
    dispositifs = list({j.dispositif_id: j.dispositif for j in jalons}.values())
    derives = statuts_derives(dispositifs, jour)
    return [EtatJalon(j, derives.get((j.dispositif_id, j.code)), jour) for j in jalons]


# A dispositif's milestones with who fixed each by hand: read on every LP dashboard, compiled once per
# connection (socle.requetes, issue 18).
_JALONS = RequeteCompilee(
    lambda dispositif_id: Jalon.objects.filter(dispositif_id=dispositif_id).select_related("modifie_par"), int
)


def frise(dispositif, jour: date | None = None) -> list[EtatJalon]:
    """The timeline of one dispositif, in the sheet's order."""
    jalons = _JALONS.objets(dispositif.pk)
    for j in jalons:
        j.dispositif = dispositif  # spare one query per milestone
    return etats(sorted(jalons, key=lambda j: j.ordre), jour)


def jalons_en_retard(jalons=None, jour: date | None = None) -> list:
    """The late milestones among `jalons` (a Jalon queryset, all of them by default).

    For the alerts and the dashboards: `jalons_en_retard(Jalon.objects.for_user(user))`.
    A bounded number of queries, whatever the number of dispositifs.
    """
    jour = jour or timezone.localdate()
    jalons = Jalon.objects.all() if jalons is None else jalons
    candidats = jalons.periode_depassee(jour).select_related("dispositif__etablissement")
    return [e.jalon for e in etats(candidats, jour) if e.en_retard]


def calendrier_de_l_annee(dispositif) -> dict:
    """The school holidays and PFMP periods of the dispositif's school year (1 September–31 August),
    shown under the milestones: the PFMP of several classes on the same dates make one line."""
    calendrier = calendrier_mod.Calendrier.pour(dispositif.etablissement)
    debut, fin = date(dispositif.annee, 9, 1), date(dispositif.annee + 1, 8, 31)
    lignes, pfmp = [], {}
    for periode in calendrier.periodes(debut, fin):
        if periode.genre != calendrier_mod.PFMP:
            lignes.append(
                {"genre": periode.genre, "debut": periode.debut, "fin": periode.fin, "libelle": periode.libelle}
            )
    for classe, periodes in calendrier.pfmp.items():
        for p in periodes:
            if p.debut <= fin and p.fin >= debut:
                pfmp.setdefault((p.debut, p.fin, p.libelle or "PFMP"), []).append(classe)
    for (p_debut, p_fin, libelle), classes in pfmp.items():
        lignes.append(
            {
                "genre": calendrier_mod.PFMP,
                "debut": p_debut,
                "fin": p_fin,
                "libelle": f"{libelle} – {', '.join(sorted(classes))}",
            }
        )
    return {
        "periodes": sorted(lignes, key=lambda ligne: (ligne["debut"], ligne["genre"], ligne["libelle"])),
        "zone": dispositif.etablissement.get_zone_vacances_display() if dispositif.etablissement.zone_vacances else "",
        "vacances_connues": calendrier.vacances_connues,
    }


# --- Derivations from this app's data ---------------------------------------------------


def _existe(modele, **filtres):
    return Exists(modele.objects.filter(dispositif=OuterRef("pk"), **filtres))


def _preparation_annotations(jour):
    return {
        "convention": _existe(Convention),
        "convention_signee": _existe(Convention, statut__in=[StatutConvention.SIGNEE, StatutConvention.ECHUE]),
        "cadrage": _existe(VersionCadrage),
        "cadrage_valide": _existe(VersionCadrage, statut=StatutCadrage.VALIDEE),
        "referent": _existe(MembreEquipe, role=RoleEquipe.REFERENT),
        "coordonnateur": _existe(MembreEquipe, role=RoleEquipe.COORDONNATEUR),
    }


def _preparation(d, jour):
    """Diagnostic, partner, cadrage and team."""
    resultat = {}
    diagnostic = getattr(d, "diagnostic", None)
    if diagnostic is not None:
        resultat["reflexion"] = FAIT if diagnostic.est_complet else EN_COURS
    # Identified and formalised: a signed convention; a chosen partner or a draft is on the way.
    if d.convention_signee:
        resultat["partenaire"] = FAIT
    elif d.convention or d.partenaire_id:
        resultat["partenaire"] = EN_COURS
    if d.cadrage:
        resultat["cadrage"] = FAIT if d.cadrage_valide else EN_COURS
    if d.referent or d.coordonnateur:
        resultat["designation"] = FAIT if d.referent and d.coordonnateur else EN_COURS
    return resultat


enregistrer_derivation(
    ["reflexion", "partenaire", "cadrage", "designation"],
    _preparation,
    _preparation_annotations,
    relations=["diagnostic"],
)

"""The frise chronologique: the sheet's milestones for each dispositif, and where each stands.

A milestone's status is the strongest of:
- the status set by hand (à faire, en cours, fait);
- the status derived from the data, by functions registered per milestone with
  `enregistrer_derivation`. This app registers what its own data shows (diagnostic,
  convention, cadrage, équipe); apps above it register theirs in their
  `AppConfig.ready()` (binômes → appariement), so this app never imports them.

"En retard" is never stored: a milestone not done whose recommended period ended before
today is late. Periods follow the sheet's frise (cahier des charges §2), in dates of the
dispositif's school year N-(N+1):

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

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .models import Convention, Diagnostic, Jalon, MembreEquipe, VersionCadrage
from .models.cadrage import StatutCadrage
from .models.convention import StatutConvention
from .models.equipe import RoleEquipe
from .models.jalon import DEFINITIONS, JALONS

FAIT = "fait"
EN_COURS = "en_cours"
A_FAIRE = "a_faire"
_RANG = {A_FAIRE: 0, EN_COURS: 1, FAIT: 2}

# code of milestone -> functions(dispositifs) -> {dispositif_id: "fait" | "en_cours"}
Derivation = Callable[[list], dict[int, str]]
_DERIVATIONS: dict[str, list[Derivation]] = defaultdict(list)


def enregistrer_derivation(code: str, fonction: Derivation) -> None:
    """Register `fonction` as a source of the status of milestone `code`.

    `fonction(dispositifs)` gets a list of Dispositif and answers, in a bounded number of
    queries whatever the list's length, a dict {dispositif id: "fait" or "en_cours"} for
    those whose data shows progress. Registering the same function twice has no effect.
    """
    if code not in DEFINITIONS:
        raise ValueError(f"Jalon inconnu : {code}")
    if fonction not in _DERIVATIONS[code]:
        _DERIVATIONS[code].append(fonction)


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
    """A milestone as shown: its status from hand and data, and whether it is late on `jour`."""

    jalon: object
    statut_derive: str | None
    jour: date

    @property
    def statut(self) -> str:
        derive = self.statut_derive or A_FAIRE
        return max(self.jalon.statut, derive, key=_RANG.__getitem__)

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
        return {A_FAIRE: "À faire", EN_COURS: "En cours", FAIT: "Fait"}[self.statut]

    @property
    def badge(self) -> str:
        """DSFR badge modifier of the status."""
        if self.en_retard:
            return "fr-badge--error"
        return {A_FAIRE: "fr-badge--info", EN_COURS: "fr-badge--new", FAIT: "fr-badge--success"}[self.statut]

    @property
    def derive_des_donnees(self) -> bool:
        return self.statut_derive is not None and _RANG[self.statut_derive] >= _RANG[self.jalon.statut]


def statuts_derives(dispositifs: list) -> dict[tuple[int, str], str]:
    """{(dispositif id, milestone code): derived status} from every registered derivation."""
    resultat: dict[tuple[int, str], str] = {}
    if not dispositifs:
        return resultat
    for code, fonctions in _DERIVATIONS.items():
        for fonction in fonctions:
            for dispositif_id, statut in fonction(dispositifs).items():
                cle = (dispositif_id, code)
                if _RANG[statut] > _RANG[resultat.get(cle, A_FAIRE)]:
                    resultat[cle] = statut
    return resultat


def etats(jalons: Iterable, jour: date | None = None) -> list[EtatJalon]:
    """The displayed state of each of `jalons` (their `dispositif` selected with them)."""
    jour = jour or timezone.localdate()
    jalons = list(jalons)
    dispositifs = list({j.dispositif_id: j.dispositif for j in jalons}.values())
    derives = statuts_derives(dispositifs)
    return [EtatJalon(j, derives.get((j.dispositif_id, j.code)), jour) for j in jalons]


def frise(dispositif, jour: date | None = None) -> list[EtatJalon]:
    """The timeline of one dispositif, in the sheet's order."""
    jalons = dispositif.jalons.all()
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


# --- Derivations from this app's data ---------------------------------------------------


def _ids(dispositifs):
    return [d.pk for d in dispositifs]


def _reflexion(dispositifs):
    return {
        d.dispositif_id: FAIT if d.est_complet else EN_COURS
        for d in Diagnostic.objects.filter(dispositif_id__in=_ids(dispositifs))
    }


def _partenaire(dispositifs):
    """Identified and formalised: a signed convention; a chosen partner or a draft is on the way."""
    resultat = {d.pk: EN_COURS for d in dispositifs if d.partenaire_id}
    for dispositif_id, statut in Convention.objects.filter(dispositif_id__in=_ids(dispositifs)).values_list(
        "dispositif_id", "statut"
    ):
        if statut in (StatutConvention.SIGNEE, StatutConvention.ECHUE):
            resultat[dispositif_id] = FAIT
        else:
            resultat.setdefault(dispositif_id, EN_COURS)
    return resultat


def _cadrage(dispositifs):
    resultat = {}
    for dispositif_id, statut in VersionCadrage.objects.filter(dispositif_id__in=_ids(dispositifs)).values_list(
        "dispositif_id", "statut"
    ):
        if statut == StatutCadrage.VALIDEE:
            resultat[dispositif_id] = FAIT
        else:
            resultat.setdefault(dispositif_id, EN_COURS)
    return resultat


def _designation(dispositifs):
    roles = defaultdict(set)
    for dispositif_id, role in MembreEquipe.objects.filter(
        dispositif_id__in=_ids(dispositifs), role__in=[RoleEquipe.REFERENT, RoleEquipe.COORDONNATEUR]
    ).values_list("dispositif_id", "role"):
        roles[dispositif_id].add(role)
    return {pk: FAIT if len(held) == 2 else EN_COURS for pk, held in roles.items()}


enregistrer_derivation("reflexion", _reflexion)
enregistrer_derivation("partenaire", _partenaire)
enregistrer_derivation("cadrage", _cadrage)
enregistrer_derivation("designation", _designation)

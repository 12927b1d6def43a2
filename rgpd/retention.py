"""RGPD retention: a person's data is anonymised a set delay after they left.

The rule (also in README.md):

- A **student** is anonymised when `today > date_sortie + RETENTION_ELEVES_JOURS` (they left the
  school), or when `today > 31 August of (Y + 1) + RETENTION_ELEVES_JOURS`, Y being the year of
  the last dispositif in which they had a binôme (they left the programme at the end of that
  school year). A student with a binôme in a dispositif whose end plus the delay has not passed
  yet stays, whatever `date_sortie` says: they are still in the programme. A student who never
  had a binôme and never left the school stays.
- A **mentor** is anonymised when `today > E + RETENTION_MENTORS_JOURS`, E being the end of
  their last binôme (its `date_fin`, or 31 August ending its dispositif's school year when the
  binôme was never closed). A mentor who never had a binôme stays.

Anonymising keeps every row (binômes, participations, results, proposals) so that the
indicators of past years stay identical: only what identifies the person goes. Their name is
also replaced wherever it was copied as text (alerts, access log, séance reports, mentors’ notes, follow-up
meetings), their SIECLE import rows are dropped, and free texts about them are emptied. The
year-end PDF reports hold aggregates only (no name by construction, shown by the tests), so
no generated file needs to be rebuilt.

Why anonymise rather than delete: deleting a student would cascade to participations and
results and change past indicators (cahier des charges §4).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from binomes.models import Binome, Eleve, Honorabilite, ImportSiecle, Mentor, ObjectifBinome, Proposition
from etablissements.models import Affectation
from seances import vie_scolaire
from seances.models import (
    Alerte,
    AvancementObjectif,
    DeclarationAbsence,
    EntretienAbsence,
    JetonCalendrier,
    NoteMentor,
    Notification,
    Rappel,
    ReunionSuivi,
    Seance,
)
from socle.models import JournalAcces
from socle.roles import Role

PRENOM_ELEVE = "Élève"
PRENOM_MENTOR = "Mentor"
PREFIXE_NOM = "anonymisé n° "
RAISONS_EFFACEES = ["Raisons effacées lors de l’anonymisation"]
# An objective's row stays for the year-end counts (reached, in progress, abandoned); its words go.
OBJECTIF_EFFACE = "Objectif effacé lors de l’anonymisation"

# Anonymised people are recognised by their name, so a second run finds nothing to do.
ELEVE_ANONYMISE = Q(prenom=PRENOM_ELEVE, nom__startswith=PREFIXE_NOM)
MENTOR_ANONYMISE = Q(prenom=PRENOM_MENTOR, nom__startswith=PREFIXE_NOM)

# Free texts of an LP where a person's name may have been copied: (model, field, path to the LP id).
TEXTES_NOMMANT = [
    (Alerte, "message", "etablissement_id"),
    (JournalAcces, "objet", "etablissement_id"),
    (Seance, "compte_rendu", "dispositif__etablissement_id"),
    (NoteMentor, "fait", "seance__dispositif__etablissement_id"),
    (NoteMentor, "suite", "seance__dispositif__etablissement_id"),
    (ReunionSuivi, "points", "dispositif__etablissement_id"),
    (ReunionSuivi, "decisions", "dispositif__etablissement_id"),
]


@dataclass(frozen=True)
class Decision:
    """One person whose delay has passed: who, why, since when (no name: it goes to logs)."""

    personne: object
    motif: str
    echeance: date

    def __str__(self):
        genre = "élève" if isinstance(self.personne, Eleve) else "mentor"
        return (
            f"{genre} n° {self.personne.pk} (LP {self.personne.etablissement_id}) : {self.motif}, "
            f"délai échu le {self.echeance:%d/%m/%Y}"
        )


@dataclass
class Bilan:
    eleves: list[Decision] = field(default_factory=list)
    mentors: list[Decision] = field(default_factory=list)


def placeholder_ine(pk: int) -> str:
    """A unique value that passes `valider_ine` (9 digits + 2 letters) but names nobody.

    "ZZ" marks it; the student's pk makes it unique within the LP (the uniqueness constraint).
    """
    return f"{pk:09d}ZZ"


def _fin_dispositif(annee: int) -> date:
    return date(annee + 1, 8, 31)


def eleves_a_anonymiser(*, aujourdhui: date) -> list[Decision]:
    delai = timedelta(days=settings.RETENTION_ELEVES_JOURS)
    limite = aujourdhui - delai  # a date strictly before `limite` plus the delay is passed today
    # Largest dispositif year Y whose end (31 August of Y + 1) is before `limite`.
    annee_max = limite.year - 1 if limite > date(limite.year, 8, 31) else limite.year - 2
    qs = (
        Eleve.objects.exclude(ELEVE_ANONYMISE)
        .annotate(derniere_annee=Max("binomes__dispositif__annee"))
        .filter(Q(date_sortie__lt=limite) | Q(derniere_annee__lte=annee_max))
        # Still in the programme (a binôme in a dispositif whose end + delay is not passed): stays.
        .filter(Q(derniere_annee__isnull=True) | Q(derniere_annee__lte=annee_max))
        .order_by("pk")
    )
    decisions = []
    for eleve in qs:
        candidats = []
        if eleve.date_sortie and eleve.date_sortie < limite:
            candidats.append((eleve.date_sortie + delai, f"sorti de l’établissement le {eleve.date_sortie:%d/%m/%Y}"))
        if eleve.derniere_annee is not None:
            fin = _fin_dispositif(eleve.derniere_annee)
            candidats.append((fin + delai, f"dernier binôme en {eleve.derniere_annee}-{eleve.derniere_annee + 1}"))
        echeance, motif = min(candidats)
        decisions.append(Decision(eleve, motif, echeance))
    return decisions


def mentors_a_anonymiser(*, aujourdhui: date) -> list[Decision]:
    delai = timedelta(days=settings.RETENTION_MENTORS_JOURS)
    fins: dict[int, date] = {}
    for mentor_id, date_fin, annee in Binome.objects.exclude(
        mentor__in=Mentor.objects.filter(MENTOR_ANONYMISE)
    ).values_list("mentor_id", "date_fin", "dispositif__annee"):
        fin = date_fin or _fin_dispositif(annee)
        fins[mentor_id] = max(fin, fins.get(mentor_id, fin))
    ids = sorted(pk for pk, fin in fins.items() if fin + delai < aujourdhui)
    return [
        Decision(m, f"dernier binôme terminé le {fins[m.pk]:%d/%m/%Y}", fins[m.pk] + delai)
        for m in Mentor.objects.filter(pk__in=ids).order_by("pk")
    ]


def _motif_nom(nom: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(nom)}(?!\w)", re.IGNORECASE)


def remplacer_nom(*, etablissement_id: int, noms: list[str], par: str) -> int:
    """Replace every copy of `noms` (e.g. "Léa Durand", "Durand Léa") in the LP's free texts."""
    noms = [n for n in noms if n.strip()]
    changes = 0
    for model, champ, chemin in TEXTES_NOMMANT:
        for nom in noms:
            for obj in model.objects.filter(**{chemin: etablissement_id, f"{champ}__icontains": nom}):
                valeur = _motif_nom(nom).sub(par, getattr(obj, champ))
                if valeur != getattr(obj, champ):
                    max_length = model._meta.get_field(champ).max_length
                    setattr(obj, champ, valeur[:max_length] if max_length else valeur)
                    obj.save(update_fields=[champ])
                    changes += 1
    return changes


@transaction.atomic
def anonymiser_eleve(*, eleve: Eleve) -> None:
    eleve = Eleve.objects.select_for_update().get(pk=eleve.pk)
    if Eleve.objects.filter(ELEVE_ANONYMISE, pk=eleve.pk).exists():
        return
    anciens = [f"{eleve.prenom} {eleve.nom}", f"{eleve.nom} {eleve.prenom}"]
    ancien_ine, ancien_nom, ancien_prenom = eleve.ine, eleve.nom, eleve.prenom
    eleve.prenom = PRENOM_ELEVE
    eleve.nom = f"{PREFIXE_NOM}{eleve.pk}"
    eleve.ine = placeholder_ine(eleve.pk)
    eleve.date_naissance = date(eleve.date_naissance.year, 1, 1)
    eleve.besoins_note = ""
    eleve.disponibilites = ""
    eleve.propose_par = None
    eleve.save()
    # Rows kept for the indicators; only free texts about the student are emptied.
    Binome.objects.filter(eleve=eleve).update(objectifs="", motif_fin="")
    ObjectifBinome.objects.filter(binome__eleve=eleve).update(libelle=OBJECTIF_EFFACE)
    AvancementObjectif.objects.filter(objectif__binome__eleve=eleve).update(note="")
    Proposition.objects.filter(eleve=eleve).update(raisons=RAISONS_EFFACEES)
    DeclarationAbsence.objects.filter(participation__eleve=eleve).update(motif="")
    EntretienAbsence.objects.filter(eleve=eleve).update(issue="")
    # The notes of the student's mentors on the séances they attended are about them: their words go,
    # the facts (held or not, needs flagged) stay for the pair's history.
    NoteMentor.objects.filter(
        pk__in=NoteMentor.objects.filter(seance__participations__eleve=eleve, mentor__binomes__eleve=eleve).values("pk")
    ).update(fait="", suite="")
    remplacer_nom(etablissement_id=eleve.etablissement_id, noms=anciens, par=str(eleve))
    for import_siecle in ImportSiecle.objects.filter(etablissement_id=eleve.etablissement_id):
        lignes = [ligne for ligne in import_siecle.lignes if (ligne.get("ine") or "").upper() != ancien_ine.upper()]
        if len(lignes) != len(import_siecle.lignes):
            import_siecle.lignes = lignes
            import_siecle.save(update_fields=["lignes"])
    vie_scolaire.imports_oublier_eleve(
        etablissement_id=eleve.etablissement_id, ine=ancien_ine, nom=ancien_nom, prenom=ancien_prenom
    )


@transaction.atomic
def anonymiser_mentor(*, mentor: Mentor) -> None:
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if Mentor.objects.filter(MENTOR_ANONYMISE, pk=mentor.pk).exists():
        return
    anciens = [f"{mentor.prenom} {mentor.nom}", f"{mentor.nom} {mentor.prenom}"]
    ancien_email = mentor.email
    user = mentor.user
    mentor.prenom = PRENOM_MENTOR
    mentor.nom = f"{PREFIXE_NOM}{mentor.pk}"
    mentor.email = ""
    mentor.telephone = ""
    mentor.competences = ""
    mentor.parcours = ""
    mentor.disponibilites = ""
    mentor.user = None
    # Honorabilité facts are about a person: they go too (RGPD art. 10). The record is shared
    # by the LPs the person serves: this row leaves it for an empty one of its own, and the
    # record itself is erased once no mentor row uses it any more.
    ancienne = mentor.honorabilite
    mentor.honorabilite = Honorabilite.objects.create()
    mentor.save()
    if not ancienne.mentors.exists():
        ancienne.delete()
    Binome.objects.filter(mentor=mentor).update(objectifs="", motif_fin="")
    ObjectifBinome.objects.filter(binome__mentor=mentor).update(libelle=OBJECTIF_EFFACE)
    AvancementObjectif.objects.filter(objectif__binome__mentor=mentor).update(note="")
    Proposition.objects.filter(mentor=mentor).update(raisons=RAISONS_EFFACEES)
    DeclarationAbsence.objects.filter(participation__mentor=mentor).update(motif="")
    NoteMentor.objects.filter(mentor=mentor).update(fait="", suite="")
    JetonCalendrier.objects.filter(mentor=mentor).delete()
    if ancien_email:
        for notification in Notification.objects.filter(
            destinataire__iexact=ancien_email, seance__dispositif__etablissement_id=mentor.etablissement_id
        ):
            notification.destinataire = f"mentor-{mentor.pk}@anonyme.invalid"
            notification.save(update_fields=["destinataire"])
    # The reminders keep their facts (sent, answered) for the indicators, not the address.
    Rappel.objects.filter(mentor=mentor).update(destinataire=f"mentor-{mentor.pk}@anonyme.invalid")
    remplacer_nom(etablissement_id=mentor.etablissement_id, noms=anciens, par=str(mentor))
    if user is not None:
        _retirer_compte_mentor(user=user, mentor=mentor)


def _retirer_compte_mentor(*, user, mentor: Mentor) -> None:
    """The mentor's account loses its mentor role on the LP; with nothing else left, it is anonymised too."""
    Affectation.objects.filter(user=user, role=Role.MENTOR, etablissement_id=mentor.etablissement_id).delete()
    if user.is_staff or Affectation.objects.filter(user=user).exists() or Mentor.objects.filter(user=user).exists():
        return
    user.email = f"compte-{user.pk}@anonyme.invalid"
    user.prenom = ""
    user.nom = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def appliquer(*, aujourdhui: date | None = None, essai: bool = False) -> Bilan:
    """Anonymise everyone whose delay has passed; with `essai`, only say who would go."""
    aujourdhui = aujourdhui or timezone.localdate()
    bilan = Bilan(
        eleves=eleves_a_anonymiser(aujourdhui=aujourdhui), mentors=mentors_a_anonymiser(aujourdhui=aujourdhui)
    )
    if not essai:
        for decision in bilan.eleves:
            anonymiser_eleve(eleve=decision.personne)
        for decision in bilan.mentors:
            anonymiser_mentor(mentor=decision.personne)
    return bilan

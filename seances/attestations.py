"""The attestations: what each PDF states, read from the records, and who may ask for it.

- the student's attestation of participation (a binôme: its dates, the séances the student
  attended with their mentor, the objectives worked), for a CV or Parcoursup;
- the mentor's attestation of hours for their employer (the séances held where the mentor was
  present, over a school year: count, total duration, period; no student named);
- the référent's summary of the year for the PACTE (the dispositif's activity they led).

A séance counts when it was held (« tenue ») and the person is marked present.
"""

from datetime import date

from django.db.models import Count, Sum
from django.utils import timezone

from binomes.models import Binome, Eleve, Mentor, StatutBinome, StatutObjectif
from binomes.objectifs import objectifs_par_statut
from etablissements.models import Dispositif, MembreEquipe
from etablissements.models.equipe import RoleEquipe
from socle import roles as R

from .models import EntretienAbsence, Evenement, Presence, ReunionSuivi, Seance, StatutSeance


def duree_en_heures(minutes: int) -> str:
    """« 12 h 30 », « 2 h », « 45 min »: how a duration reads on an attestation."""
    heures, reste = divmod(minutes or 0, 60)
    if not heures:
        return f"{reste} min"
    return f"{heures} h {reste:02d}" if reste else f"{heures} h"


# --- Who may ask ---------------------------------------------------------------------------------


def binomes_attestables(user):
    """The binômes whose student's attestation `user` may generate: the référent's and chef's LPs."""
    return Binome.objects.for_user(user, roles=R.ATTESTATIONS)


def mentors_attestables(user):
    """The mentor records whose attestation of hours `user` may generate: their own, and those of the
    LPs where they are référent or chef."""
    siens = Mentor.objects.for_user(user).filter(user=user)
    return Mentor.objects.for_user(user, roles=R.ATTESTATIONS) | Mentor.objects.filter(pk__in=siens.values("pk"))


def dispositifs_attestables(user):
    """The dispositifs whose référent's summary `user` may generate."""
    return Dispositif.objects.for_user(user, roles=R.ATTESTATIONS)


# --- What each states ----------------------------------------------------------------------------


def _seances_tenues():
    return Seance.objects.filter(statut=StatutSeance.TENUE)


def contenu_eleve(binome: Binome) -> dict:
    """The student's attestation: the pair's dates, the séances attended with the mentor, the objectives.

    Abandoned objectives are left out: the attestation states what the student worked on.
    """
    seances = list(
        _seances_tenues()
        .filter(dispositif=binome.dispositif_id)
        .filter(participations__eleve=binome.eleve_id, participations__presence=Presence.PRESENT)
        .filter(pk__in=Seance.objects.filter(participations__mentor=binome.mentor_id).values("pk"))
        .order_by("date", "heure")
    )
    return {
        "binome": binome,
        "eleve": binome.eleve,
        "mentor": binome.mentor,
        "etablissement": binome.dispositif.etablissement,
        "dispositif": binome.dispositif,
        "en_cours": binome.statut in (StatutBinome.PROPOSE, StatutBinome.ACTIF, StatutBinome.SUSPENDU),
        "nombre_seances": len(seances),
        "duree_totale": duree_en_heures(sum(s.duree for s in seances)),
        "premiere": seances[0].date if seances else None,
        "derniere": seances[-1].date if seances else None,
        "objectifs": list(binome.objectifs_suivis.exclude(statut=StatutObjectif.ABANDONNE)),
        "genere_le": timezone.localdate(),
    }


def contenu_mentor(mentor: Mentor, annee: int) -> dict:
    """The mentor's hours over the school year `annee`: each séance held where they were present."""
    seances = list(
        _seances_tenues()
        .filter(dispositif__etablissement=mentor.etablissement_id, dispositif__annee=annee)
        .filter(participations__mentor=mentor, participations__presence=Presence.PRESENT)
        .order_by("date", "heure")
    )
    minutes = sum(s.duree for s in seances)
    return {
        "mentor": mentor,
        "etablissement": mentor.etablissement,
        "annee_scolaire": f"{annee}-{annee + 1}",
        "seances": seances,
        "nombre_seances": len(seances),
        "minutes": minutes,
        "duree_totale": duree_en_heures(minutes),
        "premiere": seances[0].date if seances else None,
        "derniere": seances[-1].date if seances else None,
        "genere_le": timezone.localdate(),
    }


def contenu_referent(dispositif: Dispositif, jour: date | None = None) -> dict:
    """The référent's year: the pairs followed, the séances, meetings and events held, the interviews."""
    jour = jour or timezone.localdate()
    binomes = Binome.objects.filter(dispositif=dispositif)
    par_statut = dict(binomes.values_list("statut").annotate(n=Count("pk")).values_list("statut", "n"))
    seances = _seances_tenues().filter(dispositif=dispositif).aggregate(n=Count("pk"), minutes=Sum("duree"))
    return {
        "dispositif": dispositif,
        "etablissement": dispositif.etablissement,
        "referents": list(MembreEquipe.objects.filter(dispositif=dispositif, role=RoleEquipe.REFERENT)),
        "binomes_total": sum(par_statut.values()),
        "binomes_par_statut": [(s.label, par_statut.get(s.value, 0)) for s in StatutBinome if par_statut.get(s.value)],
        "eleves": Eleve.objects.filter(binomes__dispositif=dispositif).distinct().count(),
        "mentors": Mentor.objects.filter(binomes__dispositif=dispositif).distinct().count(),
        "seances": seances["n"],
        "duree_seances": duree_en_heures(seances["minutes"] or 0),
        "reunions": ReunionSuivi.objects.filter(dispositif=dispositif, date__lte=jour).count(),
        "evenements": Evenement.objects.filter(dispositif=dispositif, date__lte=jour).count(),
        "entretiens": EntretienAbsence.objects.filter(seance__dispositif=dispositif, fait=True).count(),
        "objectifs": objectifs_par_statut(dispositif),
        "genere_le": jour,
    }

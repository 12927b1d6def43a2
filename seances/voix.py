"""The pair's voice, the mentor's side: the note a mentor writes after a séance, and the needs it flags.

A note says whether the séance took place, what was done, what comes next, and flags needs
("besoin d'aide du référent", "difficulté avec l'élève", "absence non prévenue"). A flagged need,
or a séance the mentor says did not take place, warns at once the LP's référents and the
coordinators of the partner serving the séance's dispositif (an `Alerte` each, one per note and
need: saving the note again tells nobody twice). The référent marks the need as handled.

Who reads a note is the model's scoping (`NoteMentor.ACCES_PERSONNEL`): the référent and the
coordinator of the LP, and the mentor who wrote it — never another mentor, not even one of the
same collective séance.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from binomes.encarts import Encart
from binomes.models import Mentor
from etablissements.models import Affectation
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import a_un_role, lectures_sur, peut_ecrire
from socle.models import User
from socle.requetes import RequeteCompilee
from socle.roles import Role

from .models import Alerte, NoteMentor, Participation, Seance, StatutSeance, TypeAlerte

# Each need a note may flag: (field or signal, key in the alert's fact, words of the alert).
BESOINS = [
    ("besoin_aide_referent", "aide_referent", "besoin d’aide du référent"),
    ("difficulte_eleve", "difficulte_eleve", "difficulté avec l’élève"),
    ("absence_non_prevenue", "absence_non_prevenue", "absence non prévenue"),
]
SEANCE_NON_TENUE = ("seance_non_tenue", "la séance n’a pas eu lieu")

# Notes whose need waits for the référent: a flagged need, or a séance that did not take place.
A_TRAITER = Q(besoin_traite_le__isnull=True) & (
    Q(besoin_aide_referent=True) | Q(difficulte_eleve=True) | Q(absence_non_prevenue=True) | Q(a_eu_lieu=False)
)


def aujourdhui():
    return timezone.localdate()


def signaux(note) -> list[tuple[str, str]]:
    """(key, words) of what the note asks the référent to look at."""
    trouves = [(cle, mots) for champ, cle, mots in BESOINS if getattr(note, champ)]
    if not note.a_eu_lieu:
        trouves.insert(0, SEANCE_NON_TENUE)
    return trouves


def _mentor_participant(user_id, seance_id):
    return Mentor.objects.filter(user_id=user_id, participations__seance_id=seance_id).order_by("pk")[:1]


# Asked by every séance page (may the reader write a note?): compiled once per connection (socle.requetes).
_MENTOR_DE_LA_SEANCE = RequeteCompilee(_mentor_participant, int, int)


def mentor_de_la_seance(*, seance, user):
    """The user's mentor record taking part in the séance, or None (staff, another mentor)."""
    if not user.is_authenticated:
        return None
    return next(iter(_MENTOR_DE_LA_SEANCE.objets(user.pk, seance.pk)), None)


def note_du_mentor(*, seance, mentor):
    return NoteMentor.objects.filter(seance=seance, mentor=mentor).first()


def seances_sans_note(*, user, limite=10) -> list:
    """The user's past séances of the school year (today included) that have no note of theirs yet.

    Cancelled séances are left out: there is nothing to tell about them.
    """
    return list(
        Seance.objects.for_user(user)
        .filter(
            participations__mentor__user=user,
            date__lte=timezone.localdate(),
            dispositif__annee=annee_scolaire_courante(),
        )
        .exclude(statut=StatutSeance.ANNULEE)
        .exclude(notes_mentor__mentor__user=user)
        .distinct()
        .select_related("dispositif__etablissement")
        .order_by("-date", "-heure")[:limite]
    )


def besoins_a_traiter(*, user, etablissement):
    """The open needs of the LP's notes that `user` reads (référent, coordinator), oldest first."""
    return (
        NoteMentor.objects.for_user(user)
        .filter(A_TRAITER, seance__dispositif__etablissement=etablissement)
        .select_related("mentor", "seance")
        .order_by("ecrite_le", "pk")
    )


def _notes_de_la_seance(seance_id):
    return NoteMentor.objects.filter(seance_id=seance_id).select_related("mentor", "besoin_traite_par")


# Read by the séance's page (the staff's reading): compiled once per connection (socle.requetes).
_NOTES_DE_LA_SEANCE = RequeteCompilee(_notes_de_la_seance, int)


def notes_lisibles(*, user, seance) -> list:
    """The séance's notes `user` reads: all of them for the staff, their own for a mentor.

    A séance's notes are all of its LP: what `NoteMentor.objects.for_user` keeps of them is decided
    by the user's roles on that LP — all of them for a reading role (one compiled query), the ORM's
    reading for a personal access (a mentor's own notes), none otherwise."""
    lookups = lectures_sur(user, NoteMentor, seance.dispositif.etablissement_id)
    if lookups is None:
        notes = _NOTES_DE_LA_SEANCE.objets(seance.pk)
    elif not lookups:
        return []
    else:
        notes = list(
            NoteMentor.objects.for_user(user).filter(seance=seance).select_related("mentor", "besoin_traite_par")
        )
    for note in notes:
        note.seance = seance
    return notes


def notes_du_binome(*, user, binome) -> list:
    """Notes of the pair's mentor on the séances where the pair's student took part, that `user` reads."""
    return list(
        NoteMentor.objects.for_user(user)
        .filter(mentor=binome.mentor_id, seance__participations__eleve=binome.eleve_id)
        .distinct()
        .select_related("seance")
        .order_by("-seance__date", "-pk")
    )


def encart_binome(user, binome):
    """The binôme page's section of notes (registered in `SeancesConfig.ready`); none for who reads no note."""
    etablissement_id = binome.eleve.etablissement_id
    if not a_un_role(user, etablissement_id, NoteMentor.ROLES_LECTURE | set(NoteMentor.ACCES_PERSONNEL)):
        return None
    return Encart(
        "seances/_notes_binome.html",
        {
            "notes": notes_du_binome(user=user, binome=binome),
            "peut_traiter": peut_ecrire(user, NoteMentor, etablissement_id),
        },
    )


def _destinataires(seance) -> list[int]:
    """Active référents of the séance's LP and coordinators of the partners with a convention on its dispositif."""
    referents = Affectation.objects.filter(
        role=Role.REFERENT, etablissement_id=seance.dispositif.etablissement_id
    ).values("user_id")
    coordonnateurs = Affectation.objects.filter(
        role=Role.COORDONNATEUR, partenaire__conventions__dispositif=seance.dispositif_id
    ).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=referents) | Q(pk__in=coordonnateurs), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _alerter(note) -> list[Alerte]:
    """One alert per signal of the note and recipient; those already stored are not written again."""
    a_dire = signaux(note)
    if not a_dire:
        return []
    seance = note.seance
    destinataires = _destinataires(seance)
    candidates = [
        Alerte(
            type=TypeAlerte.BESOIN_MENTOR,
            cle=f"besoin_mentor:{note.pk}:{cle}",
            destinataire_id=user_id,
            etablissement_id=seance.dispositif.etablissement_id,
            # No words of the note itself: the alert goes out in the daily email digest.
            message=f"Note de {note.mentor} sur la séance du {seance.date:%d/%m/%Y} : {mots}.",
            lien=reverse("seances:detail", args=[seance.pk]),
        )
        for cle, mots in a_dire
        for user_id in destinataires
    ]
    connues = set(Alerte.objects.filter(cle__in={a.cle for a in candidates}).values_list("cle", "destinataire_id"))
    nouvelles = [a for a in candidates if (a.cle, a.destinataire_id) not in connues]
    Alerte.objects.bulk_create(nouvelles, ignore_conflicts=True)
    return nouvelles


@transaction.atomic
def note_mentor_enregistrer(
    *,
    seance,
    mentor,
    auteur,
    a_eu_lieu: bool,
    fait: str,
    suite: str,
    besoin_aide_referent: bool,
    difficulte_eleve: bool,
    absence_non_prevenue: bool,
) -> NoteMentor:
    """Create or update the mentor's note on a séance, and alert the staff of what it flags.

    Only the mentor themself writes it (their account is `auteur`), and only a mentor who
    takes part in the séance; not before the séance's day, nor on a cancelled séance.
    A need flagged anew reopens a note already handled.
    """
    if mentor.user_id is None or mentor.user_id != auteur.pk:
        raise PermissionDenied("Seul le mentor écrit sa note.")
    if not Participation.objects.filter(seance=seance, mentor=mentor).exists():
        raise PermissionDenied("Ce mentor ne participe pas à cette séance.")
    if seance.statut == StatutSeance.ANNULEE:
        raise ValidationError("Cette séance est annulée : il n’y a pas de note à écrire.")
    if seance.date > timezone.localdate():
        raise ValidationError(
            f"La séance a lieu le {seance.date:%d/%m/%Y} : vous pourrez écrire votre note à partir de ce jour-là."
        )
    note = NoteMentor.objects.select_for_update().filter(seance=seance, mentor=mentor).first()
    avant = {cle for cle, _mots in signaux(note)} if note else set()
    if note is None:
        note = NoteMentor(seance=seance, mentor=mentor)
    note.a_eu_lieu = a_eu_lieu
    note.fait = fait
    note.suite = suite
    note.besoin_aide_referent = besoin_aide_referent
    note.difficulte_eleve = difficulte_eleve
    note.absence_non_prevenue = absence_non_prevenue
    note.ecrite_le = timezone.now()
    if {cle for cle, _mots in signaux(note)} - avant:
        note.besoin_traite_le = None
        note.besoin_traite_par = None
    note.full_clean()
    note.save()
    _alerter(note)
    return note


@transaction.atomic
def besoin_marquer_traite(*, note, auteur) -> NoteMentor:
    """The référent (or the coordinator) has dealt with what the note flags: it leaves the dashboard."""
    if not peut_ecrire(auteur, NoteMentor, note.seance.dispositif.etablissement_id):
        raise PermissionDenied("Votre rôle ne permet pas de traiter ce besoin.")
    if not note.pour_le_referent:
        raise ValidationError("Cette note ne signale aucun besoin.")
    if note.besoin_traite_le is None:
        note.besoin_traite_le = timezone.now()
        note.besoin_traite_par = auteur
        note.save(update_fields=["besoin_traite_le", "besoin_traite_par"])
    return note

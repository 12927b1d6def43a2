"""Demo data of the seances app: interviews, a collective workshop, meetings, events and alerts.

Idempotent: run after the lower layers' demo data, it finds the demo LPs by UAI and
creates each object only once.
"""

from datetime import time, timedelta

from django.utils import timezone

from binomes.models import (
    Binome,
    Canal,
    Eleve,
    Mentor,
    QualiteDeclarant,
    Signalement,
    StatutBinome,
    StatutSignalement,
)
from etablissements.models import Dispositif, Entreprise
from etablissements.models.dispositif import annee_scolaire_courante
from socle.formats import compte

from . import voix
from .alertes import alertes_calculer
from .models import (
    ActionSuivi,
    AvisEleve,
    Continuer,
    EntretienAbsence,
    Evenement,
    Lieu,
    NoteMentor,
    Participation,
    Presence,
    Ressenti,
    ReunionSuivi,
    Seance,
    StatutSeance,
    TypeEvenement,
    TypeReunion,
    TypeSeance,
    Utilite,
)
from .services import DELAI_ENTRETIEN, responsable_entretien

UAIS = ["0691234S", "0692418D"]


def charger(*, stdout):
    annee = annee_scolaire_courante()
    aujourd_hui = timezone.localdate()
    for dispositif in Dispositif.objects.filter(etablissement__uai__in=UAIS, annee=annee).select_related(
        "etablissement", "partenaire"
    ):
        _entretiens(dispositif, aujourd_hui)
        _atelier_collectif(dispositif, aujourd_hui)
        _entretien_dans_deux_jours(dispositif, aujourd_hui)
        _reunion(dispositif)
        _evenements(dispositif)
        _note_de_mentor(dispositif, aujourd_hui)
        _avis(dispositif, aujourd_hui)
        _signalement(dispositif)
    alertes = alertes_calculer()
    stdout.write(
        f"Séances et suivi : démonstration chargée ({compte(len(alertes), 'nouvelle alerte', 'nouvelles alertes')})."
    )


def _note_de_mentor(dispositif, aujourd_hui):
    """A mentor with an account writes their note on their last held séance, with a need flagged."""
    participation = (
        Participation.objects.filter(
            seance__dispositif=dispositif,
            seance__statut=StatutSeance.TENUE,
            seance__date__lte=aujourd_hui,
            mentor__user__isnull=False,
        )
        .select_related("seance__dispositif", "mentor__user")
        .order_by("-seance__date", "pk")
        .first()
    )
    if participation is None or NoteMentor.objects.filter(mentor=participation.mentor).exists():
        return
    voix.note_mentor_enregistrer(
        seance=participation.seance,
        mentor=participation.mentor,
        auteur=participation.mentor.user,
        a_eu_lieu=True,
        fait="Relecture du CV et préparation de l’appel à l’entreprise de stage.",
        suite="Simulation d’entretien à la prochaine séance.",
        besoin_aide_referent=True,
        difficulte_eleve=False,
        absence_non_prevenue=False,
    )


def _signalement(dispositif):
    # A fictitious report, being handled, so that the chef's page of signalements shows one; no
    # suspension here, which would block the demo's séances.
    Signalement.objects.get_or_create(
        etablissement=dispositif.etablissement,
        texte="(Démonstration) Un élève dit que son mentor lui écrit tard le soir sur son téléphone personnel.",
        defaults={
            "canal": Canal.LIEN_PUBLIC,
            "qualite": QualiteDeclarant.PARENT,
            "statut": StatutSignalement.EN_COURS,
        },
    )


def _entretiens(dispositif, aujourd_hui):
    """Each unexcused absence of the demo's held séances opens its interview, as the service does."""
    responsable = responsable_entretien(dispositif.etablissement_id)
    # One missed séance per LP, so the interview list and the alerts have something to show.
    premiere = (
        Participation.objects.filter(
            seance__dispositif=dispositif, seance__statut=StatutSeance.TENUE, eleve__isnull=False
        )
        .order_by("-seance__date", "pk")
        .first()
    )
    if premiere and premiere.presence == Presence.PRESENT:
        premiere.presence = Presence.ABSENT_NON_EXCUSE
        premiere.save(update_fields=["presence"])
    absences = Participation.objects.filter(
        seance__dispositif=dispositif,
        seance__statut=StatutSeance.TENUE,
        eleve__isnull=False,
        presence=Presence.ABSENT_NON_EXCUSE,
    )
    for p in absences:
        EntretienAbsence.objects.get_or_create(
            seance_id=p.seance_id,
            eleve_id=p.eleve_id,
            defaults={"assigne_a": responsable, "echeance": aujourd_hui + DELAI_ENTRETIEN},
        )


def _atelier_collectif(dispositif, aujourd_hui):
    seance, _ = Seance.objects.update_or_create(
        dispositif=dispositif,
        type=TypeSeance.ATELIER_CV,
        lieu_precision="CDI (atelier de démonstration)",
        defaults={
            "date": aujourd_hui + timedelta(days=10),
            "heure": time(10, 0),
            "duree": 120,
            "lieu": Lieu.ETABLISSEMENT,
            "statut": StatutSeance.PREVUE,
        },
    )
    for mentor in Mentor.objects.filter(etablissement=dispositif.etablissement)[:2]:
        Participation.objects.get_or_create(seance=seance, mentor=mentor)
    for eleve in Eleve.objects.filter(etablissement=dispositif.etablissement, date_sortie__isnull=True):
        Participation.objects.get_or_create(seance=seance, eleve=eleve)


def _entretien_dans_deux_jours(dispositif, aujourd_hui):
    """A planned interview two days ahead: `make run` sends its reminder at start (var/emails/)."""
    binome = Binome.objects.filter(dispositif=dispositif).order_by("pk").first()
    if binome is None:
        return
    seance, _ = Seance.objects.update_or_create(
        dispositif=dispositif,
        lieu_precision="Salle 104, démonstration du rappel",
        defaults={
            "date": aujourd_hui + timedelta(days=2),
            "heure": time(16, 0),
            "type": TypeSeance.ENTRETIEN,
            "lieu": Lieu.ETABLISSEMENT,
            "statut": StatutSeance.PREVUE,
        },
    )
    Participation.objects.get_or_create(seance=seance, mentor=binome.mentor)
    Participation.objects.get_or_create(seance=seance, eleve=binome.eleve)


def _reunion(dispositif):
    reunion, _ = ReunionSuivi.objects.update_or_create(
        dispositif=dispositif,
        type=TypeReunion.COMITE_PILOTAGE,
        date=dispositif.date_debut + timedelta(days=75),
        defaults={
            "partenaire": dispositif.partenaire,
            "participants": "Chef d’établissement\nRéférent mentorat\nCPE\nCoordonnatrice de l’association",
            "points": "Assiduité aux séances ; préparation des stages de première.",
            "decisions": "Un entretien systématique après chaque absence non excusée.",
        },
    )
    for libelle, responsable, jours in (
        ("Relancer les familles des élèves absents", "CPE", 90),
        ("Organiser l’atelier CV collectif", "Coordonnatrice de l’association", 100),
    ):
        ActionSuivi.objects.get_or_create(
            reunion=reunion,
            libelle=libelle,
            defaults={"responsable": responsable, "echeance": dispositif.date_debut + timedelta(days=jours)},
        )


def _evenements(dispositif):
    Evenement.objects.update_or_create(
        dispositif=dispositif,
        type=TypeEvenement.LANCEMENT,
        defaults={
            "date": dispositif.date_debut + timedelta(days=40),
            "heure": time(17, 30),
            "lieu": "Salle polyvalente",
            "description": "Rencontre des élèves volontaires et des mentors.",
        },
    )
    ceremonie, _ = Evenement.objects.update_or_create(
        dispositif=dispositif,
        type=TypeEvenement.CEREMONIE,
        defaults={
            "date": dispositif.date_fin - timedelta(days=70),
            "heure": time(18, 0),
            "lieu": "Foyer des élèves",
            "description": "Remise des attestations de fin de mentorat.",
            "autres_entreprises_invitees": "Chambre de métiers et de l’artisanat\nCabinet d’architectes Rivière",
        },
    )
    ceremonie.entreprises_invitees.set(Entreprise.objects.filter(etablissement=dispositif.etablissement))


def _avis(dispositif, aujourd_hui):
    """One student who does not wish to go on: the pairs' health has a pair « en risque » to show."""
    binome = Binome.objects.filter(dispositif=dispositif, statut=StatutBinome.ACTIF).order_by("pk").first()
    if binome is None or binome.avis_eleve.exists():
        return
    AvisEleve.objects.create(
        binome=binome, recu_le=aujourd_hui, ressenti=Ressenti.MOYEN, utilite=Utilite.UN_PEU, continuer=Continuer.NON
    )

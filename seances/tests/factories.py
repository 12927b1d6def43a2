import datetime

import factory

from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import DispositifFactory
from seances.models import (
    ActionSuivi,
    Alerte,
    AvisEleve,
    Continuer,
    EntretienAbsence,
    EpisodeRisque,
    Evenement,
    NoteMentor,
    Participation,
    Presence,
    Ressenti,
    ReunionSuivi,
    Seance,
    StatutSeance,
    TypeAlerte,
    TypeEvenement,
    Utilite,
)


class SeanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seance
        skip_postgeneration_save = True

    dispositif = factory.SubFactory(DispositifFactory)
    date = datetime.date(2026, 11, 2)
    heure = datetime.time(14, 0)
    statut = StatutSeance.TENUE

    class Params:
        prevue = factory.Trait(statut=StatutSeance.PREVUE, date=datetime.date(2026, 12, 10))

    @factory.post_generation
    def binome(self, create, binome, **kwargs):
        """SeanceFactory(binome=b) expects b's mentor and student at the séance."""
        if create and binome:
            presence = Presence.PRESENT if self.statut == StatutSeance.TENUE else Presence.ATTENDU
            Participation.objects.create(seance=self, mentor=binome.mentor, presence=presence)
            Participation.objects.create(seance=self, eleve=binome.eleve, presence=presence)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    seance = factory.SubFactory(SeanceFactory)
    eleve = factory.SubFactory(EleveFactory, etablissement=factory.SelfAttribute("..seance.dispositif.etablissement"))
    presence = Presence.PRESENT


class EntretienAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntretienAbsence

    seance = factory.SubFactory(SeanceFactory)
    eleve = factory.SubFactory(EleveFactory, etablissement=factory.SelfAttribute("..seance.dispositif.etablissement"))
    echeance = datetime.date(2026, 11, 9)

    class Params:
        fait_trait = factory.Trait(fait=True, fait_le=datetime.date(2026, 11, 5), issue="Élève revu, motif éclairci.")


class ReunionSuiviFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReunionSuivi

    dispositif = factory.SubFactory(DispositifFactory)
    date = datetime.date(2026, 11, 20)
    participants = "Référent mentorat\nCoordonnatrice de l’association"
    points = "Assiduité des élèves de 1re."
    decisions = "Relancer les familles."


class ActionSuiviFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSuivi

    reunion = factory.SubFactory(ReunionSuiviFactory)
    libelle = factory.Sequence(lambda n: f"Action {n}")
    responsable = "Référent mentorat"
    echeance = datetime.date(2026, 12, 15)


class EvenementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evenement

    dispositif = factory.SubFactory(DispositifFactory)
    type = TypeEvenement.LANCEMENT
    date = datetime.date(2026, 10, 15)
    lieu = "Salle polyvalente"


class AlerteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alerte

    type = TypeAlerte.ABSENCES_ELEVE
    cle = factory.Sequence(lambda n: f"test:{n}")
    destinataire = factory.SubFactory("socle.tests.factories.UserFactory")
    etablissement = factory.SubFactory("etablissements.tests.factories.EtablissementFactory")
    message = factory.Sequence(lambda n: f"Alerte numéro {n}")


class NoteMentorSanteFactory(factory.django.DjangoModelFactory):
    """A mentor's note with no need flagged; the traits flag one (the health rules read them)."""

    class Meta:
        model = NoteMentor

    seance = factory.SubFactory(SeanceFactory)
    mentor = factory.SubFactory(MentorFactory, etablissement=factory.SelfAttribute("..seance.dispositif.etablissement"))
    fait = "Préparation d’un entretien d’embauche."

    class Params:
        difficulte = factory.Trait(difficulte_eleve=True)
        aide = factory.Trait(besoin_aide_referent=True)
        absence = factory.Trait(absence_non_prevenue=True)
        pas_eu_lieu = factory.Trait(a_eu_lieu=False)


class AvisEleveFactory(factory.django.DjangoModelFactory):
    """The student's three answers, all good unless a trait says otherwise."""

    class Meta:
        model = AvisEleve

    binome = factory.SubFactory(BinomeFactory)
    recu_le = datetime.date(2026, 11, 2)
    ressenti = Ressenti.BIEN
    utilite = Utilite.UTILE
    continuer = Continuer.OUI

    class Params:
        arreter = factory.Trait(continuer=Continuer.NON)


class EpisodeRisqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EpisodeRisque

    binome = factory.SubFactory(BinomeFactory)
    debut = datetime.date(2026, 11, 2)


__all__ = [
    "ActionSuiviFactory",
    "AlerteFactory",
    "AvisEleveFactory",
    "BinomeFactory",
    "EleveFactory",
    "EntretienAbsenceFactory",
    "EpisodeRisqueFactory",
    "EvenementFactory",
    "MentorFactory",
    "NoteMentorSanteFactory",
    "ParticipationFactory",
    "ReunionSuiviFactory",
    "SeanceFactory",
]

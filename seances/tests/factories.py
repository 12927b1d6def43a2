import datetime

import factory

from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import DispositifFactory, EtablissementFactory
from seances.models import (
    ActionSuivi,
    Alerte,
    AvisEleve,
    Continuer,
    EntretienAbsence,
    EpisodeRisque,
    Evenement,
    ImportAbsences,
    NoteMentor,
    Participation,
    Presence,
    Rappel,
    Ressenti,
    ReunionSuivi,
    Seance,
    StatutRappel,
    StatutSeance,
    TypeAlerte,
    TypeEvenement,
    Utilite,
)
from seances.rappels import cle_de, jeton_de


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


class NoteMentorFactory(factory.django.DjangoModelFactory):
    """A mentor's note on a séance they took part in (`seance` must count `mentor` among its participants),
    with no need flagged; the traits flag one (the health rules read them)."""

    class Meta:
        model = NoteMentor

    seance = factory.SubFactory(SeanceFactory)
    mentor = factory.SubFactory(MentorFactory, etablissement=factory.SelfAttribute("..seance.dispositif.etablissement"))
    fait = "Relecture du CV."
    suite = "Simulation d’entretien."

    class Params:
        besoin = factory.Trait(besoin_aide_referent=True)
        aide = factory.Trait(besoin_aide_referent=True)
        difficulte = factory.Trait(difficulte_eleve=True)
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
    "NoteMentorFactory",
    "ParticipationFactory",
    "ReunionSuiviFactory",
    "SeanceFactory",
]


class ImportAbsencesFactory(factory.django.DjangoModelFactory):
    """An absence export waiting for its preview: one row of a student unknown to the LP."""

    class Meta:
        model = ImportAbsences

    etablissement = factory.SubFactory(EtablissementFactory)
    nom_fichier = "absences.csv"
    empreinte = "0" * 64
    entetes = factory.LazyFunction(lambda: ["Nom", "Prénom", "Date", "Heure début", "Heure fin", "Justifiée"])
    lignes = factory.LazyFunction(lambda: [[2, ["Martin", "Zoé", "10/12/2026", "08:00", "17:00", "Non"]]])


class RappelFactory(factory.django.DjangoModelFactory):
    """A mentor's reminder, sent: its link (`jeton_de`) is open until answered."""

    class Meta:
        skip_postgeneration_save = True
        model = Rappel

    seance = factory.SubFactory(SeanceFactory, prevue=True)
    cle = factory.LazyAttribute(lambda o: cle_de(o.seance))
    mentor = factory.SubFactory(MentorFactory, etablissement=factory.SelfAttribute("..seance.dispositif.etablissement"))
    destinataire = factory.LazyAttribute(lambda o: o.mentor.email or "mentor.rappel@exemple.fr")
    statut = StatutRappel.ENVOYE

    @factory.post_generation
    def attendu(self, create, extracted, **kwargs):
        """A mentor is reminded of a séance they are expected at (else the link is closed)."""
        if create and extracted is not False:
            Participation.objects.get_or_create(seance=self.seance, mentor=self.mentor)


def lien_de_rappel(cast) -> dict:
    """The kwargs of an open reminder link of LP A (for the sweeps)."""
    return {"jeton": jeton_de(RappelFactory(seance__dispositif=cast.dispositif_a))}

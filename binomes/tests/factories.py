import datetime

import factory

from binomes.models import (
    Binome,
    Canal,
    Consentement,
    Eleve,
    ImportMentors,
    ImportSiecle,
    Mentor,
    ObjectifBinome,
    Proposition,
    QualiteDeclarant,
    ReunionAppariement,
    Signalement,
    StatutBinome,
    StatutEleve,
    StatutHonorabilite,
)
from etablissements.tests.factories import DispositifFactory, EtablissementFactory


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    etablissement = factory.SubFactory(EtablissementFactory)
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"mentor{n}@entreprise.fr")
    capacite = 2

    class Params:
        verifie = factory.Trait(
            honorabilite__statut=StatutHonorabilite.VERIFIEE,
            honorabilite__date=datetime.date(2026, 9, 1),
            honorabilite__expiration=datetime.date(2027, 8, 31),
        )

    @factory.post_generation
    def honorabilite(obj, create, extracted, **faits):
        """`honorabilite=record` shares a record; `honorabilite__statut=…` sets the person's facts."""
        if extracted is not None:
            obj.honorabilite = extracted
        if faits:
            for champ, valeur in faits.items():
                setattr(obj.honorabilite, champ, valeur)
            if create:
                obj.honorabilite.save()
        if create and extracted is not None:
            obj.save()


class EleveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Eleve

    etablissement = factory.SubFactory(EtablissementFactory)
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    sexe = factory.Iterator(["F", "M"])
    date_naissance = datetime.date(2009, 5, 4)
    ine = factory.Sequence(lambda n: f"{n:010d}A")
    classe = "1MELEC"
    # Eligible for pairing by default (retained, volunteer, a minor with their parents' agreement):
    # binômes are only formed with such students. The traits below give the other cases.
    statut = StatutEleve.RETENU
    date_entretien = datetime.date(2026, 9, 18)
    volontaire = True
    date_volontariat = datetime.date(2026, 9, 18)
    parents_informes_le = datetime.date(2026, 9, 18)
    consentement_parental = Consentement.OUI
    consentement_parental_le = datetime.date(2026, 9, 21)

    class Params:
        # Just imported from SIECLE: nothing recorded about mentoring.
        inscrit = factory.Trait(
            statut=StatutEleve.INSCRIT,
            date_entretien=None,
            volontaire=False,
            date_volontariat=None,
            parents_informes_le=None,
            consentement_parental=Consentement.NON_RENSEIGNE,
            consentement_parental_le=None,
        )
        non_volontaire = factory.Trait(volontaire=False, date_volontariat=None)
        sans_accord_parental = factory.Trait(
            consentement_parental=Consentement.NON_RENSEIGNE, consentement_parental_le=None
        )


class BinomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Binome

    dispositif = factory.SubFactory(DispositifFactory)
    mentor = factory.SubFactory(
        MentorFactory, etablissement=factory.SelfAttribute("..dispositif.etablissement"), verifie=True
    )
    eleve = factory.SubFactory(EleveFactory, etablissement=factory.SelfAttribute("..dispositif.etablissement"))
    statut = StatutBinome.ACTIF
    date_debut = datetime.date(2026, 10, 5)
    date_fin_prevue = datetime.date(2027, 5, 28)


class ObjectifBinomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectifBinome

    binome = factory.SubFactory(BinomeFactory)
    libelle = factory.Sequence(lambda n: f"Préparer la recherche de stage ({n})")
    fixe_le = datetime.date(2026, 10, 5)


class ReunionAppariementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReunionAppariement

    dispositif = factory.SubFactory(DispositifFactory)
    date = datetime.date(2026, 11, 12)
    participants = "Référent mentorat, coordonnatrice de l’association"


class PropositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposition

    reunion = factory.SubFactory(ReunionAppariementFactory)
    eleve = factory.SubFactory(EleveFactory, etablissement=factory.SelfAttribute("..reunion.dispositif.etablissement"))
    mentor = factory.SubFactory(
        MentorFactory, etablissement=factory.SelfAttribute("..reunion.dispositif.etablissement"), verifie=True
    )
    score = 5
    raisons = factory.LazyFunction(lambda: ["Même secteur professionnel : Électricité (+5)"])


class ImportSiecleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportSiecle

    etablissement = factory.SubFactory(EtablissementFactory)
    nom_fichier = "ElevesSansAdresses.xml"
    empreinte = "0" * 64
    annee = 2026
    lignes = factory.LazyFunction(
        lambda: [
            {
                "ine": "123456789AB",
                "nom": "Durand",
                "prenom": "Léa",
                "sexe": "F",
                "date_naissance": "2009-04-02",
                "classe": "2MELEC",
                "code_mef": "24723006310",
                "date_sortie": "",
            }
        ]
    )


class ImportMentorsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportMentors

    etablissement = factory.SubFactory(EtablissementFactory)
    nom_fichier = "mentors.csv"
    empreinte = "0" * 64
    lignes = factory.LazyFunction(
        lambda: [
            {
                "numero": 2,
                "nom": "Martin",
                "prenom": "Paul",
                "email": "paul.martin@exemple.fr",
                "telephone": "",
                "entreprise": "",
                "metier": "Électricien",
                "secteur": "",
                "capacite": 2,
                "disponibilites": "",
            }
        ]
    )


class SignalementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signalement

    etablissement = factory.SubFactory(EtablissementFactory)
    canal = Canal.LIEN_PUBLIC
    qualite = QualiteDeclarant.ELEVE
    texte = "Le mentor m’a demandé mon numéro personnel et m’écrit le soir."

import factory

from etablissements.models import (
    Academie,
    Affectation,
    Convention,
    Dispositif,
    Entreprise,
    Etablissement,
    Formation,
    Partenaire,
    StatutConvention,
    annee_scolaire_courante,
)
from mentorat.roles import Role
from mentorat.tests.factories import UserFactory
from mentorat.validators import lettre_cle_uai


class AcademieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academie
        django_get_or_create = ("nom",)

    nom = factory.Iterator(["Lyon", "Grenoble", "Créteil"])


def _uai(n):
    chiffres = f"{690000 + n:07d}"
    return chiffres + lettre_cle_uai(chiffres)


class EtablissementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etablissement

    nom = factory.Sequence(lambda n: f"Lycée professionnel n° {n}")
    uai = factory.Sequence(_uai)
    academie = factory.SubFactory(AcademieFactory, nom="Lyon")
    commune = "Lyon"


class FormationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Formation

    etablissement = factory.SubFactory(EtablissementFactory)
    diplome = "bac_pro"
    specialite = factory.Sequence(lambda n: f"Spécialité {n}")


class PartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partenaire

    nom = factory.Sequence(lambda n: f"Association de mentorat {n}")
    plan_1j1m = True


class EntrepriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entreprise

    etablissement = factory.SubFactory(EtablissementFactory)
    nom = factory.Sequence(lambda n: f"Entreprise {n}")
    secteur = "Électricité"


class DispositifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispositif

    etablissement = factory.SubFactory(EtablissementFactory)
    annee = factory.LazyFunction(annee_scolaire_courante)
    partenaire = factory.SubFactory(PartenaireFactory)


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    dispositif = factory.SubFactory(DispositifFactory)
    partenaire = factory.LazyAttribute(lambda o: o.dispositif.partenaire)
    statut = StatutConvention.SIGNEE

    class Params:
        brouillon = factory.Trait(statut=StatutConvention.BROUILLON)


class AffectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affectation

    user = factory.SubFactory(UserFactory)
    role = Role.REFERENT
    etablissement = factory.SubFactory(EtablissementFactory)

    class Params:
        coordonnateur = factory.Trait(
            role=Role.COORDONNATEUR, etablissement=None, partenaire=factory.SubFactory(PartenaireFactory)
        )
        pilotage = factory.Trait(role=Role.PILOTAGE, etablissement=None, academie=factory.SubFactory(AcademieFactory))

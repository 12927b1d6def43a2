import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from etablissements.frise import generer_jalons
from etablissements.models import (
    Academie,
    Affectation,
    Comite,
    Convention,
    Diagnostic,
    Dispositif,
    Entreprise,
    Etablissement,
    Formation,
    Invitation,
    LigneBudget,
    MembreEquipe,
    Partenaire,
    PeriodePFMP,
    VersionCadrage,
)
from etablissements.models.budget import NatureDepense, SourceFinancement, TypeLigneBudget
from etablissements.models.cadrage import StatutCadrage
from etablissements.models.convention import POINTS_DE_VIGILANCE, StatutConvention
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.models.equipe import RoleEquipe
from etablissements.models.invitation import DUREE_VALIDITE, empreinte_jeton
from socle.roles import Role
from socle.tests.factories import UserFactory
from socle.validators import lettre_cle_uai


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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As services.dispositif_creer does: a dispositif comes with the sheet's milestones.
        dispositif = super()._create(model_class, *args, **kwargs)
        generer_jalons(dispositif)
        return dispositif


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    dispositif = factory.SubFactory(DispositifFactory)
    partenaire = factory.LazyAttribute(lambda o: o.dispositif.partenaire)
    statut = StatutConvention.SIGNEE
    date_signature_etablissement = factory.LazyAttribute(lambda o: o.dispositif.date_debut.replace(month=6, day=20))
    date_signature_partenaire = factory.LazyAttribute(lambda o: o.dispositif.date_debut.replace(month=6, day=24))

    class Params:
        brouillon = factory.Trait(
            statut=StatutConvention.BROUILLON, date_signature_etablissement=None, date_signature_partenaire=None
        )


def rouvrir(convention):
    """The convention back to a draft, as the référent edits it before the chef signs (signed, it
    changes only by an avenant)."""
    Convention.objects.filter(pk=convention.pk).update(
        statut=StatutConvention.BROUILLON, date_signature_etablissement=None, date_signature_partenaire=None
    )
    convention.refresh_from_db()
    return convention


def signer(convention):
    """The convention signed again (what an avenant needs), whatever a previous builder did to it."""
    debut = convention.dispositif.date_debut
    Convention.objects.filter(pk=convention.pk).update(
        statut=StatutConvention.SIGNEE,
        date_signature_etablissement=debut.replace(month=6, day=20),
        date_signature_partenaire=debut.replace(month=6, day=24),
    )
    convention.refresh_from_db()
    return convention


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
        responsable = factory.Trait(
            role=Role.RESPONSABLE, etablissement=None, partenaire=factory.SubFactory(PartenaireFactory)
        )
        admin_academique = factory.Trait(
            role=Role.ADMIN_ACADEMIQUE, etablissement=None, academie=factory.SubFactory(AcademieFactory)
        )
        # Held on the whole country: no place at all.
        pilotage_national = factory.Trait(role=Role.PILOTAGE_NATIONAL, etablissement=None)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its link's secret is `jeton` (only the hash is stored)."""

    class Meta:
        model = Invitation
        exclude = ["jeton"]

    jeton = factory.Sequence(lambda n: f"jeton-de-test-{n}")
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    role = Role.CPE
    etablissement = factory.SubFactory(EtablissementFactory)
    jeton_empreinte = factory.LazyAttribute(lambda o: empreinte_jeton(o.jeton))
    expire_le = factory.LazyFunction(lambda: timezone.now() + DUREE_VALIDITE)


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    dispositif = factory.SubFactory(DispositifFactory)
    sources = ["qualeduc", "projet_etablissement"]
    besoins = "Des élèves de première peinent à trouver un lieu de stage."
    types_mentorat = ["insertion"]
    public_cible = "Élèves volontaires de première bac pro."

    class Params:
        vide = factory.Trait(sources=[], besoins="", types_mentorat=[], public_cible="")


class VersionCadrageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VersionCadrage

    dispositif = factory.SubFactory(DispositifFactory)
    numero = factory.LazyAttribute(lambda o: o.dispositif.versions_cadrage.count() + 1)
    objectifs = "Accompagner les élèves vers l’insertion professionnelle."
    public_cible = "Élèves de première bac pro."
    duree_mois = 8
    indicateurs = ["filles_garcons", "abandon"]
    activites = ["entretiens", "visites"]

    class Params:
        soumise = factory.Trait(statut=StatutCadrage.SOUMISE)
        validee = factory.Trait(statut=StatutCadrage.VALIDEE, validee_le=factory.LazyFunction(timezone.now))


class ComiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comite

    version = factory.SubFactory(VersionCadrageFactory)
    nom = "Comité de pilotage"
    membres = "Chef d’établissement, référent, association"
    frequence = "Une fois par trimestre"


class MembreEquipeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembreEquipe

    dispositif = factory.SubFactory(DispositifFactory)
    role = RoleEquipe.REFERENT
    prenom = "Camille"
    nom = factory.Sequence(lambda n: f"Membre {n}")


class LigneBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LigneBudget

    dispositif = factory.SubFactory(DispositifFactory)
    type = TypeLigneBudget.ALLOCATION
    source = SourceFinancement.ETABLISSEMENT
    libelle = factory.Sequence(lambda n: f"Ligne {n}")
    montant = Decimal("500.00")

    class Params:
        engagement = factory.Trait(type=TypeLigneBudget.ENGAGEMENT, source="", nature=NatureDepense.REMBOURSEMENT_FRAIS)


def donnees_convention(**extra):
    """POST data of the convention form: every point of vigilance filled, then `extra`."""
    donnees = {champ: f"Clause : {libelle}" for champ, libelle, _aide in POINTS_DE_VIGILANCE}
    donnees.update(
        {
            "date_debut": "2026-09-01",
            "date_fin": "2027-08-31",
            "cout_estime": "1200.50",
            "couts": "Frais de déplacement des mentors",
            "prise_en_charge": "L’association rembourse les frais",
        }
    )
    donnees.update(extra)
    return donnees


class PeriodePFMPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodePFMP

    etablissement = factory.SubFactory(EtablissementFactory)
    classe = factory.Sequence(lambda n: f"2MELEC{n}")
    debut = datetime.date(2026, 11, 16)
    fin = datetime.date(2026, 12, 11)
    libelle = "PFMP 1"

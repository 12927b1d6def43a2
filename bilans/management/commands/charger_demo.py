"""Load a plausible French demo académie, idempotently, and print one account per role.

It lives in the top app because it fills every layer below it.
"""

from datetime import date, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bilans import demo as bilans_demo
from binomes import demo as binomes_demo
from binomes.models import Binome, Eleve, Mentor, MethodeHonorabilite, ObjectifBinome, Recommandation, StatutBinome
from binomes.models import StatutHonorabilite as SH
from etablissements import demo as etablissements_demo
from etablissements.frise import generer_jalons
from etablissements.models import (
    Academie,
    Affectation,
    Convention,
    Dispositif,
    Entreprise,
    Etablissement,
    Formation,
    Partenaire,
)
from etablissements.models.convention import StatutConvention
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.models.etablissement import Diplome, Label
from seances import demo as seances_demo
from seances.models import Lieu, Participation, Presence, Seance, StatutSeance, TypeSeance
from socle import roles as R
from socle.models import User
from socle.roles import Role

LYCEES = [
    {
        "uai": "0691234S",
        "nom": "Lycée professionnel Louise-Michel",
        "adresse": "12 rue de la République",
        "code_postal": "69100",
        "commune": "Villeurbanne",
        "labels": [Label.LYCEE_METIERS, Label.EGALITE],
        "formations": [
            (Diplome.BAC_PRO, "Métiers de l’électricité et de ses environnements connectés", "Électricité"),
            (Diplome.CAP, "Électricien", "Électricité"),
            (Diplome.BAC_PRO, "Métiers du commerce et de la vente", "Commerce"),
        ],
    },
    {
        "uai": "0692418D",
        "nom": "Lycée professionnel Jean-Moulin",
        "adresse": "4 avenue des Canuts",
        "code_postal": "69200",
        "commune": "Vénissieux",
        "labels": [Label.CMQ],
        "formations": [
            (Diplome.BAC_PRO, "Maintenance des véhicules", "Automobile"),
            (Diplome.CAP, "Boulanger", "Alimentation"),
        ],
    },
]

ENTREPRISES = {
    "0691234S": [
        ("Rhône Électricité Services", "73282932000074", "Électricité"),
        ("Maison Garnier Commerce", "", "Commerce"),
    ],
    "0692418D": [
        ("Garage Central Vénissieux", "73282932000074", "Automobile"),
        ("Boulangerie des Minguettes", "", "Alimentation"),
    ],
}

MENTORS = {
    "0691234S": [
        ("Nadia", "Benali", "Électricienne chef de chantier", "Électricité", 0),
        ("Thomas", "Lefèvre", "Responsable de magasin", "Commerce", 1),
        ("Claire", "Martin", "Chargée de recrutement", "Commerce", 1),
    ],
    "0692418D": [
        ("Karim", "Haddad", "Mécanicien automobile", "Automobile", 0),
        ("Sophie", "Durand", "Artisane boulangère", "Alimentation", 1),
    ],
}

ELEVES = {
    "0691234S": [
        ("Lina", "Moreau", "F", "2009-03-14", "070123456AB", "1MELEC", 0),
        ("Yanis", "Bouzid", "M", "2008-11-02", "0701234567K", "1MELEC", 0),
        ("Emma", "Petit", "F", "2009-06-21", "070123458CD", "2MCV", 2),
        ("Noah", "Girard", "M", "2010-01-30", "0701234569L", "1CAPELEC", 1),
        ("Inès", "Roux", "F", "2009-09-09", "070123460EF", "2MCV", 2),
        ("Lucas", "Fontaine", "M", "2008-05-17", "0701234561M", "TMELEC", 0),
    ],
    "0692418D": [
        ("Chloé", "Lambert", "F", "2009-02-11", "069123456GH", "1MVA", 0),
        ("Adam", "Mercier", "M", "2008-08-08", "0691234567N", "1MVA", 0),
        ("Jade", "Faure", "F", "2010-04-04", "069123458JK", "1CAPBOUL", 1),
        ("Hugo", "Blanc", "M", "2009-12-12", "0691234569P", "1CAPBOUL", 1),
    ],
}

# (email, prénom, nom, rôle, LP's UAI or None)
# Two objectives per demo pair, as the sheet advises ("deux ou trois").
OBJECTIFS_DEMO = ["Préparer la recherche de stage", "Prendre confiance à l’oral"]

COMPTES = [
    ("referent@demo.mentorat.fr", "Camille", "Rousseau", Role.REFERENT, "0691234S"),
    ("chef@demo.mentorat.fr", "Philippe", "Garnier", Role.CHEF, "0691234S"),
    ("chef.adjoint@demo.mentorat.fr", "Hélène", "Faure", Role.CHEF_ADJOINT, "0691234S"),
    ("ddfpt@demo.mentorat.fr", "Isabelle", "Morel", Role.DDFPT, "0691234S"),
    ("rbde@demo.mentorat.fr", "Julien", "Perrin", Role.RBDE, "0691234S"),
    ("cpe@demo.mentorat.fr", "Sandrine", "Chevalier", Role.CPE, "0691234S"),
    ("enseignant@demo.mentorat.fr", "Marc", "Gauthier", Role.PERSONNEL, "0691234S"),
    ("coordonnateur@demo.mentorat.fr", "Amina", "Diallo", Role.COORDONNATEUR, None),
    ("association@demo.mentorat.fr", "Karim", "Haddad", Role.RESPONSABLE, None),
    ("mentor@demo.mentorat.fr", "Nadia", "Benali", Role.MENTOR, "0691234S"),
    ("academie@demo.mentorat.fr", "Laurent", "Bonnet", Role.PILOTAGE, None),
    ("admin.academie@demo.mentorat.fr", "Sophie", "Lambert", Role.ADMIN_ACADEMIQUE, None),
    ("national@demo.mentorat.fr", "Bernard", "Vasseur", Role.PILOTAGE_NATIONAL, None),
    ("referent.moulin@demo.mentorat.fr", "Aurélie", "Lemoine", Role.REFERENT, "0692418D"),
]


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (idempotent) et affiche les comptes de démonstration. "
        "Refuse de s’exécuter quand DEBUG est désactivé, sauf avec --force-demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-demo",
            action="store_true",
            help="Charger quand même les données de démonstration alors que DEBUG est désactivé.",
        )

    def handle(self, *args, **options):
        # The demo creates accounts with a known password (a superuser among them): a production
        # base must not get them by a slip of the keyboard.
        if not settings.DEBUG:
            if not options["force_demo"]:
                raise CommandError(
                    "charger_demo refuse de s’exécuter quand DEBUG est désactivé : il crée des comptes "
                    "au mot de passe connu, dont un administrateur. Pour charger quand même les données "
                    "de démonstration (base de recette), relancez avec --force-demo."
                )
            self.stderr.write(
                "Attention : DEBUG est désactivé et --force-demo est donné : chargement des données de "
                "démonstration, avec des comptes au mot de passe connu (dont un administrateur)."
            )
        self._charger()

    @transaction.atomic
    def _charger(self):
        annee = annee_scolaire_courante()
        aujourd_hui = timezone.localdate()
        academie, _ = Academie.objects.get_or_create(nom="Lyon")
        partenaire, _ = Partenaire.objects.update_or_create(
            nom="Association Trajectoires Mentorat",
            defaults={"plan_1j1m": True, "email": "contact@trajectoires-mentorat.example"},
        )
        lps = {}
        for lycee in LYCEES:
            etab, _ = Etablissement.objects.update_or_create(
                uai=lycee["uai"],
                defaults={
                    "nom": lycee["nom"],
                    "academie": academie,
                    "adresse": lycee["adresse"],
                    "code_postal": lycee["code_postal"],
                    "commune": lycee["commune"],
                    "labels": [str(label) for label in lycee["labels"]],
                },
            )
            lps[etab.uai] = etab
            formations = [
                Formation.objects.get_or_create(
                    etablissement=etab, diplome=diplome, specialite=specialite, defaults={"secteur": secteur}
                )[0]
                for diplome, specialite, secteur in lycee["formations"]
            ]
            dispositif, _ = Dispositif.objects.update_or_create(
                etablissement=etab, annee=annee, defaults={"partenaire": partenaire}
            )
            generer_jalons(dispositif)  # idempotent, as the whole loader
            Convention.objects.update_or_create(
                dispositif=dispositif,
                partenaire=partenaire,
                defaults={
                    "statut": StatutConvention.SIGNEE,
                    "date_debut": dispositif.date_debut,
                    "date_fin": dispositif.date_fin,
                },
            )
            entreprises = [
                Entreprise.objects.update_or_create(
                    etablissement=etab, nom=nom, defaults={"siret": siret, "secteur": secteur}
                )[0]
                for nom, siret, secteur in ENTREPRISES[etab.uai]
            ]
            mentors = []
            for prenom, nom, metier, secteur, i_entreprise in MENTORS[etab.uai]:
                mentor, _ = Mentor.objects.update_or_create(
                    etablissement=etab,
                    nom=nom,
                    prenom=prenom,
                    defaults={
                        "email": f"{prenom}.{nom}@entreprise.example".lower().replace("è", "e"),
                        "entreprise": entreprises[i_entreprise],
                        "metier": metier,
                        "secteur": secteur,
                        "recommande_par": Recommandation.ASSOCIATION,
                        "capacite": 2,
                        "charte_signee_le": dispositif.date_debut + timedelta(days=14),
                    },
                )
                # The person's one verification record, shared by the LPs they serve.
                honorabilite = mentor.honorabilite
                honorabilite.statut, honorabilite.methode = SH.VERIFIEE, MethodeHonorabilite.ASSOCIATION
                honorabilite.date, honorabilite.expiration = dispositif.date_debut, dispositif.date_fin
                honorabilite.save()
                mentors.append(mentor)
            eleves = []
            for prenom, nom, sexe, naissance, ine, classe, i_formation in ELEVES[etab.uai]:
                eleve, _ = Eleve.objects.update_or_create(
                    etablissement=etab,
                    ine=ine,
                    defaults={
                        "nom": nom,
                        "prenom": prenom,
                        "sexe": sexe,
                        "date_naissance": date.fromisoformat(naissance),
                        "classe": classe,
                        "formation": formations[i_formation],
                        "volontaire": True,
                    },
                )
                eleves.append(eleve)
            debut = date(annee, 10, 6)
            for i, mentor in enumerate(mentors):
                eleve = eleves[i]
                binome, _ = Binome.objects.update_or_create(
                    dispositif=dispositif,
                    mentor=mentor,
                    eleve=eleve,
                    defaults={
                        "statut": StatutBinome.ACTIF,
                        "date_debut": debut,
                        "date_fin_prevue": date(annee + 1, 5, 29),
                    },
                )
                for ordre, libelle in enumerate(OBJECTIFS_DEMO):
                    ObjectifBinome.objects.get_or_create(
                        binome=binome, libelle=libelle, defaults={"ordre": ordre, "fixe_le": debut}
                    )
                self._seances(dispositif, binome, debut, aujourd_hui)
        # The association is on the académie's list, from which its LPs pick their partner.
        partenaire.academies.add(academie)
        self._comptes(lps, partenaire, academie)
        etablissements_demo.charger(stdout=self.stdout)
        binomes_demo.charger(stdout=self.stdout)
        seances_demo.charger(stdout=self.stdout)
        bilans_demo.charger(stdout=self.stdout)
        self._afficher_comptes()

    def _seances(self, dispositif, binome, debut, aujourd_hui):
        """Monthly entretiens from the start of the binôme: held in the past, planned ahead."""
        for mois in range(4):
            jour = debut + timedelta(days=28 * mois + binome.pk % 5)
            passee = jour < aujourd_hui
            seance = Seance.objects.filter(
                dispositif=dispositif, date=jour, type=TypeSeance.ENTRETIEN, participations__mentor=binome.mentor
            ).first() or Seance(dispositif=dispositif, date=jour, type=TypeSeance.ENTRETIEN)
            seance.heure = time(14, 0)
            seance.lieu = Lieu.ETABLISSEMENT
            seance.statut = StatutSeance.TENUE if passee else StatutSeance.PREVUE
            seance.compte_rendu = "Point sur le projet professionnel et les candidatures de stage." if passee else ""
            seance.save()
            Participation.objects.update_or_create(
                seance=seance,
                mentor=binome.mentor,
                defaults={"presence": Presence.PRESENT if passee else Presence.ATTENDU},
            )
            absent = passee and mois == 2 and binome.eleve.sexe == "M"
            Participation.objects.update_or_create(
                seance=seance,
                eleve=binome.eleve,
                defaults={
                    "presence": (Presence.ABSENT_NON_EXCUSE if absent else Presence.PRESENT)
                    if passee
                    else Presence.ATTENDU
                },
            )

    def _comptes(self, lps, partenaire, academie):
        for email, prenom, nom, role, uai in COMPTES:
            user, cree = User.objects.get_or_create(email=email, defaults={"prenom": prenom, "nom": nom})
            if cree:
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
            # A national role is held on no place: `lieu` stays empty.
            lieu = {"etablissement": lps[uai]} if uai else {}
            if role in R.ROLES_PARTENAIRE:
                lieu = {"partenaire": partenaire}
            elif role in R.ROLES_ACADEMIE:
                lieu = {"academie": academie}
            Affectation.objects.get_or_create(user=user, role=role, **lieu)
            if role == Role.MENTOR:
                Mentor.objects.filter(etablissement=lps[uai], prenom=prenom, nom=nom).update(user=user)
        admin, cree = User.objects.get_or_create(
            email="admin@demo.mentorat.fr",
            defaults={"prenom": "Admin", "nom": "Démo", "is_staff": True, "is_superuser": True},
        )
        if cree:
            admin.set_password(settings.DEMO_PASSWORD)
            admin.save()

    def _afficher_comptes(self):
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {settings.DEMO_PASSWORD}) :")
        for email, _prenom, _nom, role, uai in COMPTES:
            lieu = f" — {uai}" if uai else ""
            self.stdout.write(f"  {Role(role).label:<45} {email}{lieu}")
        self.stdout.write(f"  {'Administrateur (admin Django)':<45} admin@demo.mentorat.fr")
        self.stdout.write(
            "  (l’admin Django et l’administrateur académique demandent la double authentification : "
            "elle s’active à la première connexion, sur /compte/securite/)"
        )

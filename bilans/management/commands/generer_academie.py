"""Generate an académie-scale data set, reproducibly from a seed, for the benchmarks (issue 8).

Everything goes through `bulk_create` in batches: no per-row `save()`, so no signal; the
milestones a dispositif needs (`Jalon`) are created here, in bulk, from the same table as
`etablissements.frise.generer_jalons`.

Same seed, same parameters and same `--annee` give the same rows (names, INE, dates,
attendance, answers, budgets); only primary keys depend on the database's sequences.
It lives in the top app because it fills every layer below it.
"""

import io
import random
import time
from datetime import date, timedelta
from datetime import time as heure
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bilans.enquetes import QUESTIONNAIRES, Population
from bilans.models import Enquete, Note, Reponse, ResultatEleve, Situation
from binomes.models import (
    Binome,
    Eleve,
    Honorabilite,
    Mentor,
    MethodeHonorabilite,
    Sexe,
    StatutBinome,
    StatutEleve,
    StatutHonorabilite,
)
from etablissements.models import (
    Academie,
    Affectation,
    Convention,
    Dispositif,
    Entreprise,
    Etablissement,
    Formation,
    Jalon,
    LigneBudget,
    Partenaire,
)
from etablissements.models.budget import NatureDepense, SourceFinancement, TypeLigneBudget
from etablissements.models.convention import StatutConvention
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.models.etablissement import Diplome
from etablissements.models.jalon import JALONS
from seances.models import Lieu, Participation, Presence, Seance, StatutSeance, TypeSeance
from socle.models import User
from socle.roles import Role
from socle.validators import UAI_LETTRES, lettre_cle_uai

ACADEMIE = "Académie de Synthèse"
DOMAINE = "bench.mentorat.fr"
MOT_DE_PASSE = "mentorat-bench-2026"
# UAI digits of the generated LPs start here (no real LP of the demo uses them).
UAI_BASE = 9700000
LOT = 5000
LP_PAR_PARTENAIRE = 10

PRENOMS = [
    "Adam", "Inès", "Lucas", "Jade", "Nolan", "Lina", "Yanis", "Chloé", "Rayan", "Manon", "Enzo", "Sarah",
    "Hugo", "Camille", "Sofiane", "Léa", "Mathis", "Yasmine", "Théo", "Emma", "Ilyès", "Nour", "Kylian", "Zoé",
]  # fmt: skip
NOMS = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet", "Francois", "Martinez", "Benali",
]  # fmt: skip
COMMUNES = ["Lyon", "Villeurbanne", "Vénissieux", "Saint-Étienne", "Roanne", "Bourg-en-Bresse", "Vienne", "Oyonnax"]
SPECIALITES = [
    (Diplome.BAC_PRO, "Métiers de l’électricité et de ses environnements connectés", "Électricité"),
    (Diplome.BAC_PRO, "Métiers du commerce et de la vente", "Commerce"),
    (Diplome.CAP, "Cuisine", "Hôtellerie-restauration"),
]
METIERS = ["Électricien", "Responsable RH", "Chef de chantier", "Commerciale", "Cuisinier", "Technicienne"]


def uai(numero: int) -> str:
    chiffres = f"{UAI_BASE + numero:07d}"
    return chiffres + lettre_cle_uai(chiffres)


def ine(numero: int) -> str:
    return f"{numero:010d}{UAI_LETTRES[numero % len(UAI_LETTRES)]}"


def creer(modele, objets):
    """Insert in batches; PostgreSQL and SQLite ≥ 3.35 give back the primary keys."""
    for debut in range(0, len(objets), LOT):
        modele.objects.bulk_create(objets[debut : debut + LOT])
    return objets


def _copie(valeur) -> str:
    """A value in PostgreSQL's COPY text format."""
    if valeur is None:
        return "\\N"
    if isinstance(valeur, bool):
        return "t" if valeur else "f"
    if isinstance(valeur, (date, heure)):
        return valeur.isoformat()
    texte = str(valeur)
    return texte.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def inserer(modele, champs, lignes, avec_ids=False):
    """Insert `lignes` (tuples of values of the fields named `champs`; every other field takes its
    default) and return their primary keys when `avec_ids`.

    On PostgreSQL, by COPY, with the keys drawn from the table's sequence first: the bulk of the
    national data set (9.5 million séances, 19 million participations at 2,100 LPs) would spend most
    of its time building model instances and INSERT statements (≈ 1 s of Python per LP). Elsewhere
    (SQLite, the tests), by `bulk_create`.
    """
    if connection.vendor != "postgresql":
        objets = creer(modele, [modele(**dict(zip(champs, ligne, strict=True))) for ligne in lignes])
        return [objet.pk for objet in objets] if avec_ids else None
    if not lignes:
        return [] if avec_ids else None
    table = modele._meta.db_table
    attributs = {f.attname: f for f in modele._meta.concrete_fields}
    # Every other column (but the key, drawn from the sequence or left to it) gets its Python default.
    autres = [f for f in modele._meta.concrete_fields if f.attname not in champs and not f.primary_key]
    defauts = "".join("\t" + _copie(f.get_db_prep_save(f.get_default(), connection)) for f in autres)
    colonnes = [attributs[c].column for c in champs] + [f.column for f in autres]
    with connection.cursor() as curseur:
        ids = None
        if avec_ids:
            curseur.execute(
                f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) FROM generate_series(1, %s)",
                [len(lignes)],
            )
            ids = [ligne[0] for ligne in curseur.fetchall()]
            colonnes.insert(0, "id")
            lignes = [(pk, *ligne) for pk, ligne in zip(ids, lignes, strict=True)]
        tampon = io.StringIO()
        for ligne in lignes:
            tampon.write("\t".join(map(_copie, ligne)) + defauts + "\n")
        tampon.seek(0)
        liste = ", ".join(f'"{colonne}"' for colonne in colonnes)
        curseur.copy_expert(f'COPY "{table}" ({liste}) FROM STDIN', tampon)
    return ids


class Command(BaseCommand):
    help = "Génère un jeu de données à l’échelle d’une académie (bancs d’essai de performance)."

    def add_arguments(self, parser):
        parser.add_argument("--lps", type=int, default=120, help="nombre de lycées professionnels")
        parser.add_argument(
            "--academies",
            type=int,
            default=1,
            help="nombre d’académies entre lesquelles répartir les lycées (échelle nationale : 30)",
        )
        parser.add_argument("--annees", type=int, default=3, help="nombre d’années scolaires")
        parser.add_argument("--eleves", type=int, default=150, help="élèves mentorés par lycée et par année")
        parser.add_argument("--mentors", type=int, default=80, help="mentors par lycée")
        parser.add_argument("--binomes", type=int, default=150, help="binômes par lycée et par année")
        parser.add_argument("--seances", type=int, default=10, help="séances par binôme et par année")
        parser.add_argument("--reponses", type=int, default=30, help="réponses par enquête")
        parser.add_argument("--graine", type=int, default=42, help="graine du générateur pseudo-aléatoire")
        parser.add_argument(
            "--annee", type=int, default=None, help="dernière année scolaire générée (par défaut l’année en cours)"
        )
        parser.add_argument("--purger", action="store_true", help="supprime d’abord l’académie générée")

    def handle(self, *args, **o):
        if o["binomes"] > o["eleves"]:
            raise CommandError("Il faut au moins autant d’élèves que de binômes.")
        if min(o["lps"], o["annees"], o["mentors"], o["binomes"], o["academies"]) < 1:
            raise CommandError(
                "Les nombres de lycées, d’académies, d’années, de mentors et de binômes doivent être positifs."
            )
        if o["academies"] > o["lps"]:
            raise CommandError("Il faut au moins un lycée par académie.")
        debut = time.monotonic()
        if o["purger"]:
            purger()
        elif academies_generees().exists():
            raise CommandError(f"« {ACADEMIE} » existe déjà : relancez avec --purger pour la régénérer.")
        Generateur(**{**o, "stdout": self.stdout}).generer()
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner sees the real sizes from the first query, and the
            # visibility map set as autovacuum would leave it on a live database: without it, an
            # index-only scan still visits every heap page (LP dashboard 86 ms instead of ~20 ms).
            # VACUUM cannot run in a transaction (the tests call the command inside one): ANALYZE there.
            with connection.cursor() as curseur:
                curseur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"Terminé en {time.monotonic() - debut:.0f} s.")


def nom_academie(numero: int) -> str:
    """The first académie keeps the one name the bench looks for; the others are numbered after it."""
    return ACADEMIE if numero == 0 else f"{ACADEMIE} {numero + 1:02d}"


def academies_generees():
    return Academie.objects.filter(nom__startswith=ACADEMIE)


def purger():
    """Delete the generated académies, lowest rows first (binômes PROTECT mentors and students)."""
    with transaction.atomic():
        lps = Etablissement.objects.filter(academie__in=academies_generees())
        Participation.objects.filter(seance__dispositif__etablissement__in=lps).delete()
        Seance.objects.filter(dispositif__etablissement__in=lps).delete()
        Binome.objects.filter(dispositif__etablissement__in=lps).delete()
        Mentor.objects.filter(etablissement__in=lps).delete()
        Honorabilite.objects.filter(email__endswith="@" + DOMAINE, mentors=None).delete()
        Eleve.objects.filter(etablissement__in=lps).delete()
        lps.delete()
        Partenaire.objects.filter(email__endswith="@" + DOMAINE).delete()
        academies_generees().delete()
        User.objects.filter(email__endswith="@" + DOMAINE).delete()


class Generateur:
    def __init__(
        self, *, stdout, lps, annees, eleves, mentors, binomes, seances, reponses, graine, annee, academies=1, **_
    ):
        self.stdout = stdout
        self.n_lps, self.n_annees, self.n_eleves = lps, annees, eleves
        self.n_academies = academies
        self.n_mentors, self.n_binomes, self.n_seances, self.n_reponses = mentors, binomes, seances, reponses
        self.rng = random.Random(graine)
        self.derniere = annee if annee is not None else annee_scolaire_courante()
        self.annees = list(range(self.derniere - annees + 1, self.derniere + 1))
        # Séances on or after this day are still to come (prévues): a fixed function of --annee,
        # not of the clock, so that the data set is reproducible.
        self.aujourdhui = date(self.derniere, 11, 26)
        self.n_ine = 0

    def nom(self):
        return self.rng.choice(PRENOMS), self.rng.choice(NOMS)

    @transaction.atomic
    def generer(self):
        academies = creer(Academie, [Academie(nom=nom_academie(k)) for k in range(self.n_academies)])
        partenaires = creer(
            Partenaire,
            [
                Partenaire(nom=f"Association Tremplin {n + 1}", plan_1j1m=n % 2 == 0, email=f"contact{n + 1}@{DOMAINE}")
                for n in range((self.n_lps + LP_PAR_PARTENAIRE - 1) // LP_PAR_PARTENAIRE)
            ],
        )
        lps = creer(
            Etablissement,
            [
                Etablissement(
                    nom=f"Lycée professionnel n° {n + 1:03d}",
                    uai=uai(n + 1),
                    # In consecutive blocks: the LPs a partner serves (LP_PAR_PARTENAIRE in a row)
                    # mostly stay in one académie, as they would.
                    academie=academies[n * self.n_academies // self.n_lps],
                    code_postal=f"69{n % 1000:03d}",
                    commune=self.rng.choice(COMMUNES),
                )
                for n in range(self.n_lps)
            ],
        )
        for n, lp in enumerate(lps):
            mentors = self.generer_lp(lp, partenaires[n // LP_PAR_PARTENAIRE])
            if n == 0:
                premier_mentor = mentors[0]
            if (n + 1) % 10 == 0 or n + 1 == len(lps):
                self.stdout.write(f"  {n + 1}/{len(lps)} lycées générés")
        self.comptes(academies[0], lps[0], partenaires[0], premier_mentor)

    def generer_lp(self, lp, partenaire):
        rng = self.rng
        formations = creer(
            Formation, [Formation(etablissement=lp, diplome=d, specialite=s, secteur=t) for d, s, t in SPECIALITES]
        )
        entreprises = creer(
            Entreprise,
            [Entreprise(etablissement=lp, nom=f"Entreprise {lp.uai}-{k + 1}", secteur="Industrie") for k in range(10)],
        )
        verif = date(self.annees[0], 9, 15)
        mentors = []
        for k in range(self.n_mentors):
            prenom, nom = self.nom()
            mentors.append(
                Mentor(
                    etablissement=lp,
                    nom=nom,
                    prenom=prenom,
                    email=f"mentor{k + 1}.{lp.uai.lower()}@{DOMAINE}",
                    entreprise=entreprises[k % len(entreprises)],
                    metier=rng.choice(METIERS),
                    capacite=2,
                    honorabilite=Honorabilite(
                        email=f"mentor{k + 1}.{lp.uai.lower()}@{DOMAINE}",
                        statut=StatutHonorabilite.VERIFIEE,
                        date=verif,
                        methode=MethodeHonorabilite.ASSOCIATION,
                        expiration=verif + timedelta(days=365 * (len(self.annees) + 2)),
                    ),
                    charte_signee_le=verif,
                )
            )
        creer(Honorabilite, [m.honorabilite for m in mentors])
        creer(Mentor, mentors)
        for annee in self.annees:
            self.generer_annee(lp, partenaire, annee, formations, mentors)
        return mentors

    def generer_annee(self, lp, partenaire, annee, formations, mentors):
        rng = self.rng
        courante = annee == self.derniere
        dispositif = Dispositif(etablissement=lp, annee=annee, partenaire=partenaire)
        creer(Dispositif, [dispositif])
        creer(
            Jalon,
            [
                Jalon(dispositif=dispositif, code=d.code, ordre=o, debut=d.dates(annee)[0], fin=d.dates(annee)[1])
                for o, d in enumerate(JALONS, start=1)
            ],
        )
        creer(
            Convention,
            [
                Convention(
                    dispositif=dispositif,
                    partenaire=partenaire,
                    statut=StatutConvention.SIGNEE,
                    date_debut=date(annee, 9, 1),
                    date_fin=date(annee + 1, 8, 31),
                    date_signature_etablissement=date(annee, 9, 10),
                    date_signature_partenaire=date(annee, 9, 12),
                )
            ],
        )
        creer(
            LigneBudget,
            [
                LigneBudget(
                    dispositif=dispositif,
                    type=TypeLigneBudget.ALLOCATION,
                    source=SourceFinancement.ACADEMIE,
                    libelle="Crédits académiques",
                    montant=Decimal(rng.randrange(2000, 6000)),
                    date=date(annee, 9, 20),
                ),
                LigneBudget(
                    dispositif=dispositif,
                    type=TypeLigneBudget.ALLOCATION,
                    source=SourceFinancement.PLAN_1J1M,
                    libelle="Plan « 1 jeune, 1 mentor »",
                    montant=Decimal(rng.randrange(1000, 3000)),
                    date=date(annee, 10, 5),
                ),
                LigneBudget(
                    dispositif=dispositif,
                    type=TypeLigneBudget.ENGAGEMENT,
                    nature=NatureDepense.REMBOURSEMENT_FRAIS,
                    libelle="Frais de déplacement des mentors",
                    montant=Decimal(rng.randrange(300, 1500)),
                    date=date(annee + 1, 2, 1),
                ),
                LigneBudget(
                    dispositif=dispositif,
                    type=TypeLigneBudget.ENGAGEMENT,
                    nature=NatureDepense.EVENEMENTS,
                    libelle="Cérémonie de fin d’année",
                    montant=Decimal(rng.randrange(200, 900)),
                    date=date(annee + 1, 6, 15),
                ),
            ],
        )
        # A new cohort each year: the students of the year, all retained for mentoring.
        eleves = []
        for _ in range(self.n_eleves):
            self.n_ine += 1
            prenom, nom = self.nom()
            formation = rng.choice(formations)
            eleves.append(
                Eleve(
                    etablissement=lp,
                    nom=nom,
                    prenom=prenom,
                    sexe=rng.choice(Sexe.values),
                    date_naissance=date(annee - 16, 1, 1) + timedelta(days=rng.randrange(730)),
                    ine=ine(self.n_ine),
                    classe=f"{'1CAP' if formation.diplome == Diplome.CAP else '2NDE'} {rng.choice('ABC')}",
                    formation=formation,
                    statut=StatutEleve.RETENU,
                    volontaire=True,
                    date_volontariat=date(annee, 9, 20),
                    besoin_orientation=rng.random() < 0.5,
                    besoin_stage=rng.random() < 0.4,
                    besoin_confiance=rng.random() < 0.3,
                    date_sortie=None if courante else date(annee + 1, 7, 5),
                )
            )
        creer(Eleve, eleves)
        binomes = creer(
            Binome,
            [
                Binome(
                    dispositif=dispositif,
                    mentor=mentors[j % len(mentors)],
                    eleve=eleves[j],
                    statut=StatutBinome.ACTIF if courante else StatutBinome.TERMINE,
                    date_debut=date(annee, 10, 1),
                    date_fin_prevue=date(annee + 1, 6, 30),
                    date_fin=None if courante else date(annee + 1, 6, 30),
                )
                for j in range(self.n_binomes)
            ],
        )
        seances, presences = [], []
        for b in binomes:
            for k in range(self.n_seances):
                jour = date(annee, 10, 1) + timedelta(days=k * 21 + rng.randrange(14))
                tenue = jour < self.aujourdhui
                seances.append(
                    (
                        dispositif.pk,
                        jour,
                        heure(rng.choice((10, 14, 16)), 0),
                        TypeSeance.ENTRETIEN if k % 4 else TypeSeance.ATELIER_CV,
                        Lieu.ETABLISSEMENT,
                        StatutSeance.TENUE if tenue else StatutSeance.PREVUE,
                    )
                )
                if tenue:
                    tirage = rng.random()
                    p_eleve = (
                        Presence.PRESENT
                        if tirage < 0.85
                        else Presence.ABSENT_EXCUSE
                        if tirage < 0.92
                        else Presence.ABSENT_NON_EXCUSE
                    )
                    p_mentor = Presence.PRESENT if rng.random() < 0.95 else Presence.ABSENT_EXCUSE
                else:
                    p_eleve = p_mentor = Presence.ATTENDU
                presences.append((b, p_eleve, p_mentor))
        ids = inserer(Seance, ("dispositif_id", "date", "heure", "type", "lieu", "statut"), seances, avec_ids=True)
        participations = []
        for seance_id, (b, p_eleve, p_mentor) in zip(ids, presences, strict=True):
            participations.append((seance_id, b.eleve_id, None, p_eleve))
            participations.append((seance_id, None, b.mentor_id, p_mentor))
        inserer(Participation, ("seance_id", "eleve_id", "mentor_id", "presence"), participations)
        if not courante:
            self.bilan(dispositif, eleves[: self.n_binomes], annee)

    def bilan(self, dispositif, eleves, annee):
        """A past year's review: exam results and insertion, and satisfaction surveys."""
        rng = self.rng
        resultats = []
        for eleve in eleves:
            presente = rng.random() < 0.9
            resultats.append(
                ResultatEleve(
                    dispositif=dispositif,
                    eleve=eleve,
                    presente=presente,
                    admis=presente and rng.random() < 0.8,
                    situation=rng.choice([s for s in Situation.values if s]),
                    situation_le=date(annee + 1, 12, 1),
                )
            )
        creer(ResultatEleve, resultats)
        enquetes = creer(
            Enquete, [Enquete(dispositif=dispositif, population=p) for p in (Population.ELEVES, Population.MENTORS)]
        )
        reponses, notes = [], []
        for enquete in enquetes:
            for _ in range(self.n_reponses):
                reponses.append(Reponse(enquete=enquete, date=date(annee + 1, 6, 1 + rng.randrange(25))))
        creer(Reponse, reponses)
        for reponse in reponses:
            for question in QUESTIONNAIRES[reponse.enquete.population]:
                notes.append(Note(reponse=reponse, question=question.code, valeur=rng.choice((2, 3, 3, 4, 4, 4))))
        creer(Note, notes)

    def comptes(self, academie, lp, partenaire, mentor):
        """One account per role on the first LP, the partner's coordinator, the académie's pilotage
        and a national pilot."""
        mot_de_passe = make_password(MOT_DE_PASSE)
        roles = [Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE, Role.PERSONNEL, Role.MENTOR]
        comptes = {r: User(email=f"{r}@{DOMAINE}", password=mot_de_passe, prenom=r.label[:30]) for r in roles}
        comptes[Role.COORDONNATEUR] = User(email=f"coordonnateur@{DOMAINE}", password=mot_de_passe)
        comptes[Role.PILOTAGE] = User(email=f"pilotage@{DOMAINE}", password=mot_de_passe)
        comptes[Role.PILOTAGE_NATIONAL] = User(email=f"national@{DOMAINE}", password=mot_de_passe)
        creer(User, list(comptes.values()))
        affectations = [Affectation(user=comptes[r], role=r, etablissement=lp) for r in roles]
        affectations.append(
            Affectation(user=comptes[Role.COORDONNATEUR], role=Role.COORDONNATEUR, partenaire=partenaire)
        )
        affectations.append(Affectation(user=comptes[Role.PILOTAGE], role=Role.PILOTAGE, academie=academie))
        affectations.append(Affectation(user=comptes[Role.PILOTAGE_NATIONAL], role=Role.PILOTAGE_NATIONAL))
        creer(Affectation, affectations)
        Mentor.objects.filter(pk=mentor.pk).update(user=comptes[Role.MENTOR])
        self.stdout.write(f"Comptes (mot de passe « {MOT_DE_PASSE} »), sur {lp.nom} ({lp.uai}) :")
        for role, user in comptes.items():
            self.stdout.write(f"  {Role(role).label} : {user.email}")
        self.stdout.write(f"Généré le {timezone.localdate():%d/%m/%Y}.")

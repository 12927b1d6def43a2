"""Demo data of the binomes app: needs and availability, the académie queue, a proposal by a
teacher, and a pairing meeting with its computed proposals.

Idempotent: it finds the demo LPs by UAI and creates each object only once.
"""

from datetime import date

from etablissements.models import Dispositif, Entreprise, PeriodePFMP
from etablissements.models.dispositif import annee_scolaire_courante
from socle.models import User

from .models import Consentement, Eleve, IdentifiePar, Mentor, Recommandation, ReunionAppariement, StatutEleve
from .services import reunion_calculer_propositions

UAIS = ["0691234S", "0692418D"]
# A volunteer minor whose parents have not answered yet: never offered for pairing.
INE_SANS_ACCORD = "070123473KL"

BESOINS = [
    {"besoin_stage": True, "besoin_confiance": True, "disponibilites": "mercredi après-midi"},
    {"besoin_orientation": True, "disponibilites": "jeudi soir"},
    {"besoin_insertion": True, "besoin_stage": True, "disponibilites": "mercredi après-midi"},
    {"besoin_competences": True, "disponibilites": "samedi matin"},
    {"besoin_perseverance": True, "besoin_confiance": True},
    {"besoin_orientation": True, "besoin_insertion": True, "disponibilites": "vendredi après-midi"},
]

COMPETENCES = {
    "Électricité": "Savoir-faire technique de chantier, accueil des apprentis en stage, prise de parole en équipe.",
    "Commerce": "Recrutement, entretien d’embauche, CV et candidature, communication orale.",
    "Automobile": "Diagnostic atelier, alternance et apprentissage, organisation du travail.",
    "Alimentation": "Création d’entreprise, orientation vers l’artisanat, motivation et persévérance.",
}


def charger(*, stdout):
    annee = annee_scolaire_courante()
    for dispositif in Dispositif.objects.filter(etablissement__uai__in=UAIS, annee=annee).select_related(
        "etablissement"
    ):
        etab = dispositif.etablissement
        for i, eleve in enumerate(Eleve.objects.filter(etablissement=etab).order_by("ine")):
            Eleve.objects.filter(pk=eleve.pk).update(
                identifie_par=IdentifiePar.ENSEIGNANT,
                cadre_identification="entretien",
                date_volontariat=date(annee, 9, 22),
                **BESOINS[i % len(BESOINS)],
            )
        # The students retained in the demo went through the interview and gave their agreement,
        # with their parents' (most are minors): eligible for pairing.
        Eleve.objects.filter(etablissement=etab, statut=StatutEleve.RETENU).exclude(ine=INE_SANS_ACCORD).update(
            **_accords(annee)
        )
        for mentor in Mentor.objects.filter(etablissement=etab, competences=""):
            mentor.competences = COMPETENCES.get(mentor.secteur, "")
            mentor.disponibilites = "mercredi après-midi, samedi matin"
            mentor.save(update_fields=["competences", "disponibilites"])
        # A volunteer recommended by nobody: in the académie's honorabilité queue.
        Mentor.objects.get_or_create(
            etablissement=etab,
            nom="Roussel",
            prenom="Hélène" if etab.uai == UAIS[0] else "Marc",
            defaults={
                "metier": "Retraitée de l’industrie" if etab.uai == UAIS[0] else "Ancien chef d’atelier",
                "recommande_par": Recommandation.AUCUNE,
                "entreprise": Entreprise.objects.filter(etablissement=etab).first(),
                "capacite": 1,
            },
        )
        if etab.uai == UAIS[0]:
            _eleves_a_apparier(dispositif, annee)
        _pfmp(etab, annee)
    stdout.write("Données de démonstration des binômes chargées.")


def _accords(annee):
    return {
        "date_entretien": date(annee, 9, 22),
        "volontaire": True,
        "date_volontariat": date(annee, 9, 22),
        "parents_informes_le": date(annee, 9, 23),
        "consentement_parental": Consentement.OUI,
        "consentement_parental_le": date(annee, 9, 29),
    }


def _eleves_a_apparier(dispositif, annee):
    etab = dispositif.etablissement
    enseignant = User.objects.filter(email="enseignant@demo.mentorat.fr").first()
    nouveaux = [
        ("Sarah", "Kone", "F", date(2009, 7, 12), "070123470GH", "2MCV", {"besoin_stage": True}),
        ("Hugo", "Blanc", "M", date(2009, 2, 3), "0701234710P", "2MELEC", {"besoin_orientation": True}),
    ]
    eleves = []
    for prenom, nom, sexe, naissance, ine, classe, besoins in nouveaux:
        eleve, _ = Eleve.objects.get_or_create(
            etablissement=etab,
            ine=ine,
            defaults={
                "prenom": prenom,
                "nom": nom,
                "sexe": sexe,
                "date_naissance": naissance,
                "classe": classe,
                "disponibilites": "mercredi après-midi",
                **_accords(annee),
                **besoins,
            },
        )
        eleves.append(eleve)
    Eleve.objects.get_or_create(
        etablissement=etab,
        ine="070123472JK",
        defaults={
            "prenom": "Rayan",
            "nom": "Diallo",
            "sexe": "M",
            "date_naissance": date(2010, 3, 8),
            "classe": "2MCV",
            "statut": StatutEleve.PROPOSE,
            "propose_par": enseignant,
            "identifie_par": IdentifiePar.ENSEIGNANT,
            "cadre_identification": "integration",
            "besoin_confiance": True,
        },
    )
    Eleve.objects.get_or_create(
        etablissement=etab,
        ine=INE_SANS_ACCORD,
        defaults={
            "prenom": "Nina",
            "nom": "Petit",
            "sexe": "F",
            "date_naissance": date(2010, 1, 19),
            "classe": "2MELEC",
            "identifie_par": IdentifiePar.CPE,
            "date_entretien": date(annee, 10, 2),
            "volontaire": True,
            "date_volontariat": date(annee, 10, 2),
            "parents_informes_le": date(annee, 10, 3),
            "besoin_orientation": True,
        },
    )
    reunion, cree = ReunionAppariement.objects.get_or_create(
        dispositif=dispositif,
        date=date(annee, 11, 14),
        defaults={
            "participants": "Référente mentorat, coordonnatrice de l’association",
            "rh_entreprises_invites": True,
        },
    )
    if cree:
        mentors = Mentor.objects.filter(etablissement=etab).avec_occupation()
        reunion_calculer_propositions(reunion=reunion, eleves=eleves, mentors=mentors)


def _pfmp(etab, annee):
    """Two PFMP periods for each class of the LP's students (the school calendar)."""
    classes = Eleve.objects.filter(etablissement=etab).exclude(classe="").values_list("classe", flat=True).distinct()
    for classe in sorted(set(classes)):
        for libelle, debut, fin in (
            ("PFMP 1", date(annee, 11, 23), date(annee, 12, 11)),
            ("PFMP 2", date(annee + 1, 3, 8), date(annee + 1, 3, 26)),
        ):
            PeriodePFMP.objects.get_or_create(
                etablissement=etab, classe=classe, debut=debut, defaults={"fin": fin, "libelle": libelle}
            )

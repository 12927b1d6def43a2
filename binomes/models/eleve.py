"""The students of an LP, their volunteering, consent and eligibility."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from etablissements.models import Etablissement, Formation
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.contraintes import Verification
from socle.formats import accorder
from socle.roles import Role
from socle.validators import (
    ANNEE_MAX,
    ANNEE_MIN,
    AnneePlausible,
    DatePlausible,
    q_date,
    q_entre,
    valider_ine,
)

from .statuts import STATUTS_VIVANTS

AGE_MIN, AGE_MAX = 10, 30


def naissances_admises(annee: int) -> tuple[date, date]:
    """The earliest and latest birth dates of a student of school year `annee`.

    The rule: a student is AGE_MIN to AGE_MAX years old (completed years) on 1 September of
    the school year, its first day. Latest birth: 1 September AGE_MIN years before; earliest:
    the day after 1 September AGE_MAX + 1 years before (that child turns AGE_MAX + 1 on it).
    """
    return date(annee - AGE_MAX - 1, 9, 2), date(annee - AGE_MIN, 9, 1)


def valider_date_naissance(valeur: date, annee: int | None = None) -> None:
    """Entered by hand, a birth date is checked against the current school year; an imported
    one against the school year of the SIECLE file (`annee`)."""
    annee = annee if annee is not None else annee_scolaire_courante()
    plus_ancienne, plus_recente = naissances_admises(annee)
    if not plus_ancienne <= valeur <= plus_recente:
        raise ValidationError(
            "Un élève a entre %(min)s et %(max)s ans au 1er septembre %(annee)s : "
            "la date de naissance va du %(debut)s au %(fin)s.",
            code="naissance_hors_bornes",
            params={
                "min": AGE_MIN,
                "max": AGE_MAX,
                "annee": annee,
                "debut": f"{plus_ancienne:%d/%m/%Y}",
                "fin": f"{plus_recente:%d/%m/%Y}",
            },
        )


# The database holds the widest range any school year of the app allows. Its lower end is 1 January
# so that anonymisation, which keeps only the birth year (rgpd.retention), never leaves it.
NAISSANCE_MIN = date(ANNEE_MIN - AGE_MAX - 1, 1, 1)
NAISSANCE_MAX = naissances_admises(ANNEE_MAX)[1]


class Sexe(models.TextChoices):
    MASCULIN = "M", "Masculin"
    FEMININ = "F", "Féminin"


class Besoin(models.TextChoices):
    """Needs expressed in the identification interview. Stored as one boolean per need
    (`besoin_<code>`) so lists filter on them with plain indexes on SQLite and PostgreSQL."""

    ORIENTATION = "orientation", "Orientation"
    COMPETENCES = "competences", "Compétences professionnelles"
    STAGE = "stage", "Recherche de stage / PFMP"
    INSERTION = "insertion", "Insertion / emploi"
    CONFIANCE = "confiance", "Confiance en soi"
    PERSEVERANCE = "perseverance", "Persévérance scolaire"


# Words looked for in a mentor's skills, job and career path to match each need (scoring).
MOTS_CLES_BESOINS = {
    Besoin.ORIENTATION: ("orientation", "parcours", "etudes", "formation", "reconversion"),
    Besoin.COMPETENCES: ("technique", "savoir-faire", "metier", "chantier", "atelier", "competence"),
    Besoin.STAGE: ("stage", "pfmp", "candidature", "cv", "alternance", "apprentissage"),
    Besoin.INSERTION: ("emploi", "recrutement", "embauche", "insertion", "entretien", "rh"),
    Besoin.CONFIANCE: ("confiance", "oral", "communication", "prise de parole", "management"),
    Besoin.PERSEVERANCE: ("motivation", "perseverance", "organisation", "decrochage", "tutorat"),
}


class StatutEleve(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit (non identifié)"
    PROPOSE = "propose", "Proposé, à confirmer"
    RETENU = "retenu", "Retenu pour le mentorat"


# The statuses' labels for a girl (the choices' labels are the masculine ones).
STATUTS_ELEVE_AU_FEMININ = {
    StatutEleve.INSCRIT: "Inscrite (non identifiée)",
    StatutEleve.PROPOSE: "Proposée, à confirmer",
    StatutEleve.RETENU: "Retenue pour le mentorat",
}


class IdentifiePar(models.TextChoices):
    ENSEIGNANT = "enseignant", "Enseignant"
    CPE = "cpe", "CPE"
    AED = "aed", "AED"
    ASSISTANTE_SOCIALE = "assistante_sociale", "Assistante sociale"
    INFIRMIERE = "infirmiere", "Infirmière"
    ELEVE = "eleve", "L’élève lui-même"
    AUTRE = "autre", "Autre personnel"


class CadreIdentification(models.TextChoices):
    INTEGRATION = "integration", "Semaine d’intégration"
    AP_CAP = "ap_cap", "Accompagnement personnalisé en CAP"
    SOUTIEN_BAC_PRO = "soutien_bac_pro", "Soutien au parcours en bac pro"
    ENTRETIEN = "entretien", "Entretien"


class Consentement(models.TextChoices):
    NON_RENSEIGNE = "", "Non renseigné"
    OUI = "oui", "Oui"
    NON = "non", "Non"


AGE_MAJORITE = 18


def _aaaammjj(champ: str):
    return ExtractYear(champ) * 10000 + ExtractMonth(champ) * 100 + ExtractDay(champ)


class EleveQuerySet(ScopedQuerySet):
    def eligibles(self):
        """Students who may be paired: the one rule, also explained by `Eleve.raisons_non_eligible`.

        Retained for mentoring by the référent, still at the LP, volunteer with the date of their
        agreement and, when they were a minor on that date, their parents' agreement with its date.
        Age in completed years compares dates written as YYYYMMDD numbers: 18 years old or more
        on the day of agreement when the difference is at least 180000 (portable SQL, no interval).
        """
        return (
            self.filter(
                statut=StatutEleve.RETENU,
                date_sortie__isnull=True,
                volontaire=True,
                date_volontariat__isnull=False,
            )
            .alias(_ecart_age=_aaaammjj("date_volontariat") - _aaaammjj("date_naissance"))
            .filter(
                Q(_ecart_age__gte=AGE_MAJORITE * 10000)
                | Q(consentement_parental=Consentement.OUI, consentement_parental_le__isnull=False)
            )
        )

    def a_proposer(self):
        """Students still to identify for mentoring: imported or added, not yet proposed."""
        return self.filter(statut=StatutEleve.INSCRIT, date_sortie__isnull=True)

    def sans_binome_vivant(self):
        return self.exclude(binomes__statut__in=STATUTS_VIVANTS)

    def a_apparier(self):
        """What a pairing meeting or the binôme form offers: eligible and not already paired."""
        return self.eligibles().sans_binome_vivant()


class Eleve(models.Model):
    """A student of the LP. Only objective, necessary data: no health or family details.

    The path into the programme: imported from SIECLE (inscrit) or added by hand; identified by a
    member of staff (proposé), retained by the référent (retenu); the interview records needs, the
    student's agreement (volontaire, dated) and, for a minor, the parents' agreement (dated).
    """

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="eleves")
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    date_naissance = models.DateField(
        "date de naissance",
        validators=[valider_date_naissance],
        help_text=f"L’élève a entre {AGE_MIN} et {AGE_MAX} ans au 1er septembre de l’année scolaire.",
    )
    ine = models.CharField("INE", max_length=11, validators=[valider_ine])
    classe = models.CharField("classe", max_length=50, blank=True)
    code_mef = models.CharField("code MEF", max_length=11, blank=True)
    # Which school year's SIECLE export last listed the student: at the year change, a student
    # missing from the new year's import has left the LP and their binôme ends with the year.
    annee_siecle = models.PositiveSmallIntegerField(
        "dernière année SIECLE", null=True, blank=True, validators=[AnneePlausible()]
    )
    formation = models.ForeignKey(
        Formation, verbose_name="formation", on_delete=models.SET_NULL, null=True, blank=True, related_name="eleves"
    )
    statut = models.CharField("statut", max_length=20, choices=StatutEleve.choices, default=StatutEleve.RETENU)
    propose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="eleves_proposes",
    )
    volontaire = models.BooleanField("volontaire", default=False)
    date_volontariat = models.DateField("volontaire depuis le", null=True, blank=True, validators=[DatePlausible()])
    date_entretien = models.DateField(
        "entretien d’identification mené le", null=True, blank=True, validators=[DatePlausible()]
    )
    parents_informes_le = models.DateField(
        "responsables légaux informés le",
        null=True,
        blank=True,
        help_text="Pour un élève mineur.",
        validators=[DatePlausible()],
    )
    consentement_parental = models.CharField(
        "accord des responsables légaux",
        max_length=3,
        choices=Consentement.choices,
        blank=True,
        help_text="Pour un élève mineur.",
    )
    consentement_parental_le = models.DateField(
        "accord des responsables légaux donné le",
        null=True,
        blank=True,
        help_text="Date de la réponse des responsables légaux.",
        validators=[DatePlausible()],
    )
    identifie_par = models.CharField("identifié par", max_length=20, choices=IdentifiePar.choices, blank=True)
    cadre_identification = models.CharField(
        "cadre de l’identification", max_length=20, choices=CadreIdentification.choices, blank=True
    )
    besoin_orientation = models.BooleanField(Besoin.ORIENTATION.label, default=False)
    besoin_competences = models.BooleanField(Besoin.COMPETENCES.label, default=False)
    besoin_stage = models.BooleanField(Besoin.STAGE.label, default=False)
    besoin_insertion = models.BooleanField(Besoin.INSERTION.label, default=False)
    besoin_confiance = models.BooleanField(Besoin.CONFIANCE.label, default=False)
    besoin_perseverance = models.BooleanField(Besoin.PERSEVERANCE.label, default=False)
    besoins_note = models.CharField(
        "précisions sur les besoins",
        max_length=500,
        blank=True,
        help_text="Quelques mots sur le projet de l’élève. Aucune information de santé ni de situation familiale.",
    )
    disponibilites = models.CharField(
        "disponibilités", max_length=255, blank=True, help_text="Par exemple : mercredi après-midi, jeudi soir."
    )
    date_sortie = models.DateField("sorti de l’établissement le", null=True, blank=True, validators=[DatePlausible()])

    objects = EleveQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    # Other staff see the students they proposed, and nobody else.
    ACCES_PERSONNEL = {Role.PERSONNEL: "propose_par"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "élève"
        ordering = ["nom", "prenom"]
        constraints = [
            models.UniqueConstraint(fields=["etablissement", "ine"], name="eleve_ine_unique"),
            Verification(
                condition=q_entre("date_naissance", NAISSANCE_MIN, NAISSANCE_MAX), name="eleve_naissance_bornee"
            ),
            Verification(
                condition=q_date("date_volontariat", nullable=True)
                & q_date("parents_informes_le", nullable=True)
                & q_date("date_sortie", nullable=True)
                & q_date("date_entretien", nullable=True)
                & q_date("consentement_parental_le", nullable=True),
                name="eleve_dates_bornees",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def accorder(self, masculin: str, feminin: str) -> str:
        """The word agreed with the student's gender."""
        return accorder(self, masculin, feminin)

    @property
    def statut_libelle(self) -> str:
        """The status as it reads for this student: « Retenue pour le mentorat » for a girl."""
        return self.accorder(self.get_statut_display(), STATUTS_ELEVE_AU_FEMININ[self.statut])

    @property
    def besoins(self) -> list[str]:
        return [b.value for b in Besoin if getattr(self, f"besoin_{b.value}")]

    def get_besoins_display(self) -> list[str]:
        return [Besoin(b).label for b in self.besoins]

    def est_mineur(self, le: date | None = None) -> bool:
        le = le or timezone.localdate()
        n = self.date_naissance
        return (le.year - n.year - ((le.month, le.day) < (n.month, n.day))) < AGE_MAJORITE

    def accord_parental_requis(self) -> bool:
        """Parents agree for a student who was a minor on the day of their own agreement
        (today while that agreement is not recorded)."""
        return self.est_mineur(le=self.date_volontariat)

    def raisons_non_eligible(self) -> list[str]:
        """Why the student may not be paired, in French; empty when `Eleve.objects.eligibles()` holds them."""
        raisons = []
        if self.date_sortie:
            raisons.append("a quitté l’établissement")
        if self.statut == StatutEleve.INSCRIT:
            raisons.append(f"n’a pas été {self.accorder('proposé', 'proposée')} pour le mentorat par un personnel")
        elif self.statut == StatutEleve.PROPOSE:
            raisons.append("attend la confirmation de sa proposition par le référent")
        if not (self.volontaire and self.date_volontariat):
            raisons.append("n’a pas donné son accord (volontariat daté)")
        if self.accord_parental_requis() and not (
            self.consentement_parental == Consentement.OUI and self.consentement_parental_le
        ):
            raisons.append(f"est {self.accorder('mineur', 'mineure')} sans accord daté de ses responsables légaux")
        return raisons

    def raison_non_eligible(self) -> str | None:
        raisons = self.raisons_non_eligible()
        if not raisons:
            return None
        return f"{self} n’est pas éligible à l’appariement : {' ; '.join(raisons)}."

    def clean(self):
        erreurs = {}
        if self.volontaire and not self.date_volontariat:
            erreurs["date_volontariat"] = "Indiquez la date de l’accord de l’élève."
        if self.date_volontariat and not self.volontaire:
            erreurs["volontaire"] = "Cochez « volontaire » ou effacez la date de l’accord."
        if self.consentement_parental and not self.consentement_parental_le:
            erreurs["consentement_parental_le"] = "Indiquez la date de la réponse des responsables légaux."
        if self.consentement_parental_le and not self.consentement_parental:
            erreurs["consentement_parental"] = "Indiquez la réponse des responsables légaux."
        if erreurs:
            raise ValidationError(erreurs)

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from etablissements.models import Dispositif, Entreprise, Etablissement, Formation
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.formats import accorder
from socle.models import normaliser_email
from socle.roles import Role
from socle.validators import (
    ANNEE_MAX,
    ANNEE_MIN,
    AnneePlausible,
    DatePlausible,
    entre,
    q_date,
    q_entre,
    q_ordonnees,
    valider_ine,
)

CAPACITE_MAX = 10
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


class StatutHonorabilite(models.TextChoices):
    NON_VERIFIEE = "non_verifiee", "Non vérifiée"
    EN_COURS = "en_cours", "Vérification en cours"
    VERIFIEE = "verifiee", "Vérifiée"
    REFUSEE = "refusee", "Refusée"


class MethodeHonorabilite(models.TextChoices):
    ASSOCIATION = "association", "Attestation de l’association"
    ENTREPRISE = "entreprise", "Attestation de l’entreprise"
    SERVICES_ACADEMIQUES = "academie", "Vérification demandée aux services académiques / DSDEN"


class Recommandation(models.TextChoices):
    ASSOCIATION = "association", "Association partenaire"
    ENTREPRISE = "entreprise", "Entreprise"
    AUCUNE = "aucune", "Aucune"


class HonorabiliteManager(models.Manager):
    def pour_mentor(self, mentor, cle: str) -> "Honorabilite":
        """The record `mentor` must point to, for a person known by `cle` (a normalised address or "").

        Same person elsewhere: their record, merged with what this row held (a typo fixed on
        the address must not lose a verification). Otherwise this row's own record, renamed,
        or a new one.
        """
        actuelle = self.filter(pk=mentor.honorabilite_id).first() if mentor.honorabilite_id else None
        seule = actuelle is not None and not actuelle.mentors.exclude(pk=mentor.pk).exists()
        if cle:
            existante = self.filter(email=cle).first()
            if existante is not None:
                if seule and actuelle.pk != existante.pk:
                    existante.garder_la_plus_prudente(actuelle)
                    mentor.honorabilite = existante
                    Mentor.objects.filter(pk=mentor.pk).update(honorabilite=existante)
                    actuelle.delete()
                return existante
            if seule:
                actuelle.email = cle
                actuelle.save(update_fields=["email"])
                return actuelle
            return self.create(email=cle)
        if actuelle is not None and seule:
            return actuelle
        return self.create()


class Honorabilite(models.Model):
    """The check that a person may work with minors, once per person whatever the LPs they serve.

    Facts only (RGPD art. 10): status, date, method, who recorded it, expiry. Never a document.
    """

    # The person's normalised address (their account's, else their mentor record's); empty
    # for a mentor known by no address, whose record is then theirs alone.
    email = models.EmailField("adresse électronique", blank=True)
    statut = models.CharField(
        "honorabilité", max_length=20, choices=StatutHonorabilite.choices, default=StatutHonorabilite.NON_VERIFIEE
    )
    date = models.DateField("date de la vérification", null=True, blank=True, validators=[DatePlausible()])
    methode = models.CharField(
        "modalité de vérification", max_length=20, choices=MethodeHonorabilite.choices, blank=True
    )
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vérification enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expiration = models.DateField(
        "fin de validité de la vérification", null=True, blank=True, validators=[DatePlausible()]
    )

    objects = HonorabiliteManager()

    class Meta:
        verbose_name = "vérification d’honorabilité"
        verbose_name_plural = "vérifications d’honorabilité"
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="honorabilite_une_par_personne"),
            models.CheckConstraint(
                condition=q_date("date", nullable=True) & q_date("expiration", nullable=True),
                name="honorabilite_dates_bornees",
            ),
            models.CheckConstraint(
                condition=q_ordonnees("date", "expiration"), name="honorabilite_expire_apres_verification"
            ),
        ]

    def __str__(self):
        return self.get_statut_display()

    def clean(self):
        if self.date and self.expiration and self.expiration < self.date:
            raise ValidationError({"expiration": "La fin de validité ne peut précéder la date de la vérification."})

    def valide(self, le: "date | None" = None) -> bool:
        le = le or timezone.localdate()
        return self.statut == StatutHonorabilite.VERIFIEE and (self.expiration is None or self.expiration >= le)

    def rang(self, le: "date | None" = None) -> tuple:
        """Which of two records of one person is kept when they merge (higher wins).

        Safeguarding first: a refusal recorded anywhere wins, whatever its date, until someone
        records a new check on the merged record knowingly. Then a valid verification (the
        latest), then the latest dated result, then a check under way, then nothing.
        """
        if self.statut == StatutHonorabilite.REFUSEE:
            return (4, self.date or date.min, date.min)
        if self.valide(le):
            return (3, self.expiration or date.max, self.date or date.min)
        if self.date:
            return (2, self.date, date.min)
        return (1 if self.statut == StatutHonorabilite.EN_COURS else 0, date.min, date.min)

    def garder_la_plus_prudente(self, autre: "Honorabilite") -> None:
        if autre.rang() > self.rang():
            for champ in CHAMPS_HONORABILITE:
                setattr(self, champ, getattr(autre, champ))
            self.save(update_fields=CHAMPS_HONORABILITE)


CHAMPS_HONORABILITE = ["statut", "date", "methode", "saisie_par", "expiration"]


class MentorQuerySet(ScopedQuerySet):
    def avec_occupation(self):
        return self.annotate(
            nb_binomes_vivants=models.Count("binomes", filter=Q(binomes__statut__in=STATUTS_VIVANTS), distinct=True)
        )


class MentorManager(models.Manager.from_queryset(MentorQuerySet)):
    def get_queryset(self):
        return super().get_queryset().select_related("honorabilite")


class Mentor(models.Model):
    """A volunteer from a company or structure. Honorabilité is stored as facts only (RGPD art. 10)."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="mentors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentors",
    )
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    entreprise = models.ForeignKey(
        Entreprise,
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentors",
    )
    metier = models.CharField("métier", max_length=150, blank=True)
    secteur = models.CharField("secteur", max_length=100, blank=True)
    competences = models.TextField("compétences", blank=True)
    parcours = models.TextField("parcours professionnel", blank=True)
    recommande_par = models.CharField(
        "recommandé par", max_length=20, choices=Recommandation.choices, default=Recommandation.ASSOCIATION
    )
    capacite = models.PositiveSmallIntegerField(
        "nombre d’élèves accompagnés au plus",
        default=1,
        validators=entre(1, CAPACITE_MAX, f"Un mentor accompagne de 1 à {CAPACITE_MAX} élèves."),
        help_text=f"De 1 à {CAPACITE_MAX}.",
    )
    disponibilites = models.CharField("disponibilités", max_length=255, blank=True)

    # One record per person, shared by the Mentor rows of every LP they serve (RGPD art. 10: facts only).
    honorabilite = models.ForeignKey(
        "Honorabilite", verbose_name="vérification", on_delete=models.PROTECT, related_name="mentors"
    )

    charte_signee_le = models.DateField(
        "charte de laïcité et de neutralité signée le",
        null=True,
        blank=True,
        validators=[DatePlausible()],
    )
    formation_suivie_le = models.DateField(
        "parcours de formation des mentors suivi le", null=True, blank=True, validators=[DatePlausible()]
    )

    # The verification is read wherever a mentor is (pairing, séances, lists): always fetched along.
    objects = MentorManager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    # A mentor with an account sees their own record.
    ACCES_PERSONNEL = {Role.MENTOR: "user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "mentor"
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(condition=q_entre("capacite", 1, CAPACITE_MAX), name="mentor_capacite_bornee"),
            models.CheckConstraint(
                condition=q_date("charte_signee_le", nullable=True) & q_date("formation_suivie_le", nullable=True),
                name="mentor_dates_bornees",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    @transaction.atomic
    def save(self, *args, **kwargs):
        # Every Mentor row points to its person's one verification record (created on first need).
        cle = self.cle_personne()
        if self.honorabilite_id is None or (cle and self.honorabilite.email != cle):
            self.honorabilite = Honorabilite.objects.pour_mentor(self, cle)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "honorabilite"}
        super().save(*args, **kwargs)

    def cle_personne(self) -> str:
        """Who this mentor is across LPs: the account's address, else the one on the record."""
        if self.user_id:
            return normaliser_email(self.user.email)
        return normaliser_email(self.email or "")

    def places_occupees(self) -> int:
        """Living pairs (proposed, active, suspended); uses the `nb_binomes_vivants` annotation when present."""
        if hasattr(self, "nb_binomes_vivants"):
            return self.nb_binomes_vivants
        return self.binomes.filter(statut__in=STATUTS_VIVANTS).count()

    def places_restantes(self) -> int:
        return max(self.capacite - self.places_occupees(), 0)

    def honorabilite_valide(self, le: date | None = None) -> bool:
        """A mentor may be paired or scheduled only with a verified, unexpired honorabilité."""
        return self.honorabilite.valide(le)


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
            models.CheckConstraint(
                condition=q_entre("date_naissance", NAISSANCE_MIN, NAISSANCE_MAX), name="eleve_naissance_bornee"
            ),
            models.CheckConstraint(
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


class StatutBinome(models.TextChoices):
    PROPOSE = "propose", "Proposé"
    ACTIF = "actif", "Actif"
    SUSPENDU = "suspendu", "Suspendu"
    TERMINE = "termine", "Terminé"
    ROMPU = "rompu", "Rompu"


# A pair in one of these statuses holds one of the mentor's places.
STATUTS_VIVANTS = (StatutBinome.PROPOSE, StatutBinome.ACTIF, StatutBinome.SUSPENDU)


class Binome(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="binomes")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="binomes")
    eleve = models.ForeignKey(Eleve, on_delete=models.PROTECT, related_name="binomes", verbose_name="élève")
    statut = models.CharField("statut", max_length=20, choices=StatutBinome.choices, default=StatutBinome.PROPOSE)
    date_debut = models.DateField("début", null=True, blank=True, validators=[DatePlausible()])
    date_fin_prevue = models.DateField("fin prévue", null=True, blank=True, validators=[DatePlausible()])
    objectifs = models.TextField("objectifs", blank=True)
    # Not ordered after date_debut in the database: a pair planned to start later may be ended today.
    date_fin = models.DateField("fin effective", null=True, blank=True, validators=[DatePlausible()])
    motif_fin = models.CharField("motif de la fin", max_length=255, blank=True)
    fin_saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="fin enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    # A mentor sees their own binômes, and nothing else of the LP.
    ACCES_PERSONNEL = {Role.MENTOR: "mentor__user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "binôme"
        ordering = ["-date_debut"]
        constraints = [
            # Re-pairing after a break creates a new row; only one living pair per couple.
            models.UniqueConstraint(
                fields=["mentor", "eleve"],
                condition=Q(statut__in=["propose", "actif", "suspendu"]),
                name="binome_vivant_unique",
            ),
            models.CheckConstraint(
                condition=q_date("date_debut", nullable=True)
                & q_date("date_fin_prevue", nullable=True)
                & q_date("date_fin", nullable=True),
                name="binome_dates_bornees",
            ),
            models.CheckConstraint(
                condition=q_ordonnees("date_debut", "date_fin_prevue"), name="binome_fin_prevue_apres_debut"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.eleve}"


class ReunionAppariement(models.Model):
    """The pairing meeting: who sat at it, and the proposals computed for its group."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="reunions_appariement")
    date = models.DateField("date de la réunion", validators=[DatePlausible()])
    participants = models.CharField(
        "participants", max_length=500, blank=True, help_text="Noms et fonctions, séparés par des virgules."
    )
    rh_entreprises_invites = models.BooleanField("responsables RH des entreprises invités", default=False)
    eleves = models.ManyToManyField(Eleve, verbose_name="élèves du groupe", blank=True, related_name="+")
    mentors = models.ManyToManyField(Mentor, verbose_name="mentors du groupe", blank=True, related_name="+")
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "réunion d’appariement"
        verbose_name_plural = "réunions d’appariement"
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=q_date("date"), name="reunion_appariement_date_bornee")]

    def __str__(self):
        return f"Réunion d’appariement du {self.date:%d/%m/%Y}"


class StatutProposition(models.TextChoices):
    PROPOSEE = "proposee", "Proposée"
    ACCEPTEE = "acceptee", "Acceptée"
    MODIFIEE = "modifiee", "Modifiée"
    REJETEE = "rejetee", "Rejetée"


class Proposition(models.Model):
    """One pair proposed by the optimal assignment, with the reasons of its score."""

    reunion = models.ForeignKey(ReunionAppariement, on_delete=models.CASCADE, related_name="propositions")
    eleve = models.ForeignKey(Eleve, verbose_name="élève", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Mentor, verbose_name="mentor proposé", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField("score")
    raisons = models.JSONField("raisons du score", default=list)
    statut = models.CharField(
        "décision", max_length=20, choices=StatutProposition.choices, default=StatutProposition.PROPOSEE
    )
    binome = models.ForeignKey(
        Binome, verbose_name="binôme créé", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "reunion__dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "proposition d’appariement"
        ordering = ["eleve__nom", "eleve__prenom"]

    def __str__(self):
        return f"{self.mentor} – {self.eleve} ({self.score})"


class ImportConserve(models.Model):
    """A parsed file waiting for confirmation: the preview is kept server-side so the
    confirmation applies exactly what was shown (and re-validates it)."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="+")
    nom_fichier = models.CharField("fichier", max_length=255)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    lignes = models.JSONField("lignes lues", default=list)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField("déposé le", auto_now_add=True)
    applique_le = models.DateTimeField("appliqué le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"

    class Meta:
        abstract = True
        ordering = ["-cree_le"]

    def __str__(self):
        return f"Import {self.nom_fichier}"


class ImportSiecle(ImportConserve):
    annee = models.PositiveSmallIntegerField("année scolaire", validators=[AnneePlausible()])
    lignes = models.JSONField("élèves lus", default=list)

    ROLES_LECTURE = R.GESTION_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta(ImportConserve.Meta):
        verbose_name = "import SIECLE"
        constraints = [
            models.CheckConstraint(condition=q_entre("annee", ANNEE_MIN, ANNEE_MAX), name="import_siecle_annee_bornee")
        ]


class ImportMentors(ImportConserve):
    """A mentors CSV waiting for confirmation (who may invite mentors on the LP: binomes.mentors)."""

    lignes = models.JSONField("mentors lus", default=list)

    ROLES_LECTURE = R.SUIVI_PARTENAIRE
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta(ImportConserve.Meta):
        verbose_name = "import de mentors"

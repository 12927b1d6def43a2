from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from socle import roles as R
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
    valider_siret,
    valider_uai,
)

from .frise import CODES_JALONS, PERIODES_JALONS
from .scoping import ScopedQuerySet

# Euros: far above any LP's mentoring budget, far below what a DecimalField(10, 2) holds.
MONTANT_MAX = Decimal("1000000")
DUREE_MENTORAT_MAX = 36  # months: the three years of a bac pro


class Academie(models.Model):
    nom = models.CharField("nom", max_length=100, unique=True)

    class Meta:
        verbose_name = "académie"
        ordering = ["nom"]

    def __str__(self):
        return f"Académie de {self.nom}" if not self.nom.startswith(("Académie", "académie")) else self.nom


class Label(models.TextChoices):
    CMQ = "cmq", "Campus des métiers et des qualifications (CMQ)"
    LYCEE_METIERS = "lycee_metiers", "Lycée des métiers"
    E3D = "e3d", "Établissement en démarche de développement durable (E3D)"
    EGALITE = "egalite", "Égalité filles-garçons"
    AUTRE = "autre", "Autre label"


class Etablissement(models.Model):
    nom = models.CharField("nom", max_length=200)
    uai = models.CharField(
        "code UAI",
        max_length=8,
        unique=True,
        validators=[valider_uai],
        help_text="7 chiffres et une lettre clé, par exemple 0750654D.",
    )
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="etablissements"
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    labels = models.JSONField("labels", default=list, blank=True)
    autre_label = models.CharField("autre label", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "pk"
    ROLES_LECTURE = R.LECTURE_PROGRAMME | {Role.PERSONNEL, Role.MENTOR}
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "établissement"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("etablissements:detail", args=[self.pk])

    def clean(self):
        self.uai = (self.uai or "").strip().upper()
        unknown = set(self.labels or []) - set(Label.values)
        if unknown:
            raise ValidationError({"labels": "Label inconnu."})

    def get_labels_display(self):
        return [Label(code).label for code in self.labels or [] if code in Label.values]


class Diplome(models.TextChoices):
    CAP = "cap", "CAP"
    BAC_PRO = "bac_pro", "Baccalauréat professionnel"
    AUTRE = "autre", "Autre diplôme"


class Formation(models.Model):
    """A diploma and speciality taught by an LP (e.g. bac pro « Métiers de l’électricité »)."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="formations")
    diplome = models.CharField("diplôme", max_length=20, choices=Diplome.choices)
    specialite = models.CharField("spécialité", max_length=200)
    secteur = models.CharField("secteur professionnel", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME | {Role.PERSONNEL}
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "formation"
        ordering = ["diplome", "specialite"]
        constraints = [
            models.UniqueConstraint(
                fields=["etablissement", "diplome", "specialite"], name="formation_unique_par_etablissement"
            )
        ]

    def __str__(self):
        return f"{self.get_diplome_display()} {self.specialite}"


class TypePartenaire(models.TextChoices):
    ASSOCIATION = "association", "Association de mentorat"
    ENTREPRISE = "entreprise", "Entreprise ou fondation d’entreprise"
    AUTRE = "autre", "Autre structure"


class PartenaireQuerySet(models.QuerySet):
    def for_user(self, user, roles=None):
        """Partners tied to the user's LPs by a convention, and those the user coordinates."""
        from .scoping import perimetre

        p = perimetre(user)
        ids = p.etablissements(R.LECTURE_PROGRAMME if roles is None else roles)
        return self.filter(
            Q(pk__in=Convention.objects.filter(dispositif__etablissement__in=ids).values("partenaire"))
            | Q(pk__in=p.partenaires)
        )


class Partenaire(models.Model):
    """The association (or structure) that coordinates the mentors of one or more LPs."""

    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=TypePartenaire.choices, default=TypePartenaire.ASSOCIATION)
    plan_1j1m = models.BooleanField(
        "lauréat du plan « 1 jeune, 1 mentor »",
        default=False,
        help_text="Association retenue par le processus national de sélection.",
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)

    objects = PartenaireQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("etablissements:partenaire", args=[self.pk])


class Entreprise(models.Model):
    """A company or structure of the LP's network that provides mentors."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="entreprises")
    nom = models.CharField("raison sociale", max_length=200)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[valider_siret], help_text="Facultatif : 14 chiffres."
    )
    secteur = models.CharField("secteur d’activité", max_length=100, blank=True)
    contact_nom = models.CharField("nom du contact", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_ENTREPRISES | {Role.COORDONNATEUR}

    class Meta:
        verbose_name = "entreprise ou structure"
        verbose_name_plural = "entreprises et structures"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("etablissements:entreprise", args=[self.pk])


def annee_scolaire_courante(jour: date | None = None) -> int:
    """The first calendar year of the school year holding `jour` (a year runs 1 Sept–31 Aug)."""
    from django.utils import timezone

    jour = jour or timezone.localdate()
    return jour.year if jour.month >= 9 else jour.year - 1


class DispositifQuerySet(ScopedQuerySet):
    def courant(self, etablissement):
        """The LP's dispositif of the current school year (where new binômes, meetings and surveys go), or None."""
        return self.filter(etablissement=etablissement, annee=annee_scolaire_courante()).first()

    def courant_ou_404(self, etablissement):
        dispositif = self.courant(etablissement)
        if dispositif is None:
            raise Http404("Aucun dispositif pour l’année en cours.")
        return dispositif


class Dispositif(models.Model):
    """One LP's mentoring programme for one school year."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="dispositifs")
    annee = models.PositiveSmallIntegerField(
        "année scolaire",
        help_text="Première année civile de l’année scolaire (2025 pour 2025-2026).",
        validators=[AnneePlausible()],
    )
    partenaire = models.ForeignKey(
        Partenaire,
        verbose_name="partenaire coordonnateur",
        on_delete=models.PROTECT,
        related_name="dispositifs",
        null=True,
        blank=True,
    )

    objects = DispositifQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "dispositif"
        ordering = ["etablissement__nom", "-annee"]
        constraints = [
            models.UniqueConstraint(fields=["etablissement", "annee"], name="dispositif_unique_par_annee"),
            models.CheckConstraint(condition=q_entre("annee", ANNEE_MIN, ANNEE_MAX), name="dispositif_annee_bornee"),
        ]

    def __str__(self):
        return f"{self.etablissement} — {self.annee_scolaire}"

    def save(self, *args, **kwargs):
        cree = self._state.adding
        super().save(*args, **kwargs)
        if cree:
            # Every dispositif carries the sheet's timeline from its first day, whoever creates
            # it (form, copy of last year, demo, admin).
            from .frise import generer_jalons

            generer_jalons(self)

    def get_absolute_url(self):
        return reverse("etablissements:dispositif", args=[self.pk])

    @property
    def est_courant(self) -> bool:
        return self.annee == annee_scolaire_courante()

    @property
    def annee_scolaire(self) -> str:
        return f"{self.annee}-{self.annee + 1}"

    @property
    def date_debut(self) -> date:
        return date(self.annee, 9, 1)

    @property
    def date_fin(self) -> date:
        return date(self.annee + 1, 8, 31)


class StatutConvention(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SIGNEE = "signee", "Signée"
    ECHUE = "echue", "Échue"


# The "point de vigilance" of the sheet: what the agreement must settle, one field each,
# in the sheet's order (field name, label, hint).
POINTS_DE_VIGILANCE = [
    ("duree_engagement", "Durée de l’engagement", "Période couverte, reconduction, résiliation."),
    ("recrutement_mentors", "Recrutement des mentors", "Qui recrute les mentors, selon quels critères."),
    (
        "verification_honorabilite",
        "Vérification de l’honorabilité des mentors",
        "Modalités convenues (extrait de casier judiciaire vérifié par l’association, l’entreprise ou la DSDEN). "
        "Ne saisissez ici aucune information sur une personne.",
    ),
    ("cadre_intervention", "Cadre d’intervention des mentors", "Lieux, horaires, présence d’un personnel, règles."),
    ("frequence_interventions", "Fréquence des interventions", "Idéalement au moins une séance par mois."),
    ("communication", "Cadre et moyens de communication", "Interlocuteurs, canaux, délais de prévenance."),
    ("suivi", "Suivi du dispositif", "Réunions de suivi, comité de pilotage, bilan."),
    ("assurance", "Assurance", "Responsabilité civile des mentors et de l’association."),
    ("remboursement_frais", "Remboursement des frais", "Frais de déplacement et de repas des mentors : qui rembourse."),
    (
        "valeurs_republique",
        "Respect des valeurs de la République (laïcité, neutralité)",
        "Engagement des mentors : ni prosélytisme religieux, ni propagande politique ou commerciale.",
    ),
]


class Convention(models.Model):
    """The agreement between the LP and its coordinating partner for a dispositif."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="conventions")
    partenaire = models.ForeignKey(Partenaire, on_delete=models.PROTECT, related_name="conventions")
    statut = models.CharField("statut", max_length=20, choices=StatutConvention.choices, default="brouillon")
    date_debut = models.DateField("début de l’engagement", null=True, blank=True, validators=[DatePlausible()])
    date_fin = models.DateField("fin de l’engagement", null=True, blank=True, validators=[DatePlausible()])

    duree_engagement = models.TextField(POINTS_DE_VIGILANCE[0][1], blank=True, help_text=POINTS_DE_VIGILANCE[0][2])
    recrutement_mentors = models.TextField(POINTS_DE_VIGILANCE[1][1], blank=True, help_text=POINTS_DE_VIGILANCE[1][2])
    verification_honorabilite = models.TextField(
        POINTS_DE_VIGILANCE[2][1], blank=True, help_text=POINTS_DE_VIGILANCE[2][2]
    )
    cadre_intervention = models.TextField(POINTS_DE_VIGILANCE[3][1], blank=True, help_text=POINTS_DE_VIGILANCE[3][2])
    frequence_interventions = models.TextField(
        POINTS_DE_VIGILANCE[4][1], blank=True, help_text=POINTS_DE_VIGILANCE[4][2]
    )
    communication = models.TextField(POINTS_DE_VIGILANCE[5][1], blank=True, help_text=POINTS_DE_VIGILANCE[5][2])
    suivi = models.TextField(POINTS_DE_VIGILANCE[6][1], blank=True, help_text=POINTS_DE_VIGILANCE[6][2])
    assurance = models.TextField(POINTS_DE_VIGILANCE[7][1], blank=True, help_text=POINTS_DE_VIGILANCE[7][2])
    remboursement_frais = models.TextField(POINTS_DE_VIGILANCE[8][1], blank=True, help_text=POINTS_DE_VIGILANCE[8][2])
    valeurs_republique = models.TextField(POINTS_DE_VIGILANCE[9][1], blank=True, help_text=POINTS_DE_VIGILANCE[9][2])

    cout_estime = models.DecimalField(
        "coût estimé (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=entre(0, MONTANT_MAX, "Le coût estimé va de 0 à 1 000 000 €."),
    )
    couts = models.TextField("coûts financiers", blank=True, help_text="Nature des coûts prévus par la convention.")
    prise_en_charge = models.TextField(
        "prise en charge des coûts", blank=True, help_text="Qui supporte chaque coût (lycée, association, entreprise…)."
    )

    signataire_etablissement = models.CharField("signataire pour l’établissement", max_length=200, blank=True)
    date_signature_etablissement = models.DateField(
        "signée par l’établissement le", null=True, blank=True, validators=[DatePlausible()]
    )
    signataire_partenaire = models.CharField("signataire pour le partenaire", max_length=200, blank=True)
    date_signature_partenaire = models.DateField(
        "signée par le partenaire le", null=True, blank=True, validators=[DatePlausible()]
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "convention"
        ordering = ["-dispositif__annee"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "partenaire"], name="convention_unique_par_partenaire"),
            models.CheckConstraint(
                condition=q_date("date_debut", nullable=True)
                & q_date("date_fin", nullable=True)
                & q_date("date_signature_etablissement", nullable=True)
                & q_date("date_signature_partenaire", nullable=True),
                name="convention_dates_bornees",
            ),
            models.CheckConstraint(condition=q_ordonnees("date_debut", "date_fin"), name="convention_fin_apres_debut"),
            models.CheckConstraint(
                condition=Q(cout_estime__isnull=True) | Q(cout_estime__gte=0, cout_estime__lte=MONTANT_MAX),
                name="convention_cout_borne",
            ),
        ]

    def __str__(self):
        return f"Convention {self.dispositif.etablissement} – {self.partenaire}"

    def get_absolute_url(self):
        return reverse("etablissements:convention", args=[self.pk])

    def clean(self):
        erreurs = {}
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            erreurs["date_fin"] = "La fin de l’engagement doit suivre son début."
        if self.statut in (StatutConvention.SIGNEE, StatutConvention.ECHUE):
            for champ in ("date_signature_etablissement", "date_signature_partenaire"):
                if not getattr(self, champ):
                    erreurs[champ] = "Une convention signée porte les deux dates de signature."
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def points_de_vigilance(self):
        """(label, text) of each point of the sheet, in its order."""
        return [(libelle, getattr(self, champ)) for champ, libelle, _aide in POINTS_DE_VIGILANCE]

    @property
    def points_manquants(self) -> list[str]:
        return [libelle for champ, libelle, _aide in POINTS_DE_VIGILANCE if not getattr(self, champ).strip()]

    def statut_le(self, jour: date | None = None) -> str:
        """The status as it stands on `jour`: a signed convention whose end has passed is échue."""
        from django.utils import timezone

        jour = jour or timezone.localdate()
        if self.statut == StatutConvention.SIGNEE and self.date_fin and self.date_fin < jour:
            return StatutConvention.ECHUE
        return self.statut

    @property
    def statut_affiche(self) -> str:
        return StatutConvention(self.statut_le()).label


class Affectation(models.Model):
    """A role held by a user: on an LP, on a partner association, or on an académie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affectations", verbose_name="utilisateur"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    partenaire = models.ForeignKey(
        Partenaire, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations")

    class Meta:
        verbose_name = "affectation"
        constraints = [
            # Each role is held on exactly the kind of place it is about.
            models.CheckConstraint(
                name="affectation_perimetre_coherent",
                condition=(
                    Q(
                        role__in=sorted(R.ROLES_ETABLISSEMENT),
                        etablissement__isnull=False,
                        partenaire__isnull=True,
                        academie__isnull=True,
                    )
                    | Q(
                        role=Role.COORDONNATEUR,
                        partenaire__isnull=False,
                        etablissement__isnull=True,
                        academie__isnull=True,
                    )
                    | Q(role=Role.PILOTAGE, academie__isnull=False, etablissement__isnull=True, partenaire__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "etablissement"],
                condition=Q(etablissement__isnull=False),
                name="affectation_unique_etablissement",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partenaire"],
                condition=Q(partenaire__isnull=False),
                name="affectation_unique_partenaire",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "academie"],
                condition=Q(academie__isnull=False),
                name="affectation_unique_academie",
            ),
        ]

    def __str__(self):
        lieu = self.etablissement or self.partenaire or self.academie
        return f"{self.user} — {self.get_role_display()} — {lieu}"


# --- Diagnostic -----------------------------------------------------------------------


class SourceDiagnostic(models.TextChoices):
    """The supports of the collective reflection the sheet lists."""

    AUTO_EVALUATION = "auto_evaluation", "Auto-évaluations"
    CLIMAT_SCOLAIRE = "climat_scolaire", "Enquêtes locales de climat scolaire"
    QUALEDUC = "qualeduc", "Démarche Qualéduc"
    EVALUATION = "evaluation", "Évaluation d’établissement (loi pour une école de la confiance)"
    LABELLISATIONS = "labellisations", "Labellisations (CMQ, lycée des métiers, E3D, égalité filles-garçons…)"
    PROJET_ETABLISSEMENT = "projet_etablissement", "Projet d’établissement"
    VOLET_ORIENTATION = "volet_orientation", "Volet orientation du projet d’établissement"
    PROJET_VIE_SCOLAIRE = "projet_vie_scolaire", "Projet du service de vie scolaire"
    CONTRAT_OBJECTIFS = "contrat_objectifs", "Contrat d’objectifs"


class TypeMentorat(models.TextChoices):
    COMPETENCES = "competences_professionnelles", "Compétences professionnelles"
    ORIENTATION = "orientation", "Orientation"
    INSERTION = "insertion", "Insertion professionnelle"
    PERSEVERANCE = "perseverance", "Persévérance scolaire"
    AUTRE = "autre", "Autre"


def _libelles(choices, codes):
    return [choices(code).label for code in codes or [] if code in choices.values]


class Diagnostic(models.Model):
    """The collective reflection of the LP (« réflexion en établissement ») and the decision it leads to."""

    dispositif = models.OneToOneField(Dispositif, on_delete=models.CASCADE, related_name="diagnostic")
    date_reflexion = models.DateField(
        "date de la réflexion collective", null=True, blank=True, validators=[DatePlausible()]
    )
    participants = models.TextField(
        "personnes mobilisées", blank=True, help_text="Membres de la communauté éducative associés à la réflexion."
    )
    sources = models.JSONField("sources utilisées", default=list, blank=True)
    autres_sources = models.CharField("autres sources", max_length=255, blank=True)
    constats = models.TextField("constats", blank=True, help_text="Ce que ces sources ont montré.")
    besoins = models.TextField("besoins et attentes identifiés", blank=True)
    types_mentorat = models.JSONField("type de mentorat retenu", default=list, blank=True)
    type_mentorat_autre = models.CharField("autre type de mentorat", max_length=200, blank=True)
    public_cible = models.TextField("public d’élèves ciblé", blank=True)
    formations_ciblees = models.ManyToManyField(
        Formation, verbose_name="formations ciblées", blank=True, related_name="diagnostics"
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "diagnostic"
        constraints = [
            models.CheckConstraint(condition=q_date("date_reflexion", nullable=True), name="diagnostic_date_bornee")
        ]

    def __str__(self):
        return f"Diagnostic {self.dispositif}"

    @property
    def est_complet(self) -> bool:
        """Sources, needs and the decision (type of mentoring, target students) are all written."""
        return bool(
            (self.sources or self.autres_sources.strip())
            and self.besoins.strip()
            and (self.types_mentorat or self.type_mentorat_autre.strip())
            and self.public_cible.strip()
        )

    def get_sources_display(self):
        return _libelles(SourceDiagnostic, self.sources)

    def get_types_mentorat_display(self):
        return _libelles(TypeMentorat, self.types_mentorat)


# --- Document de cadrage --------------------------------------------------------------


class StatutCadrage(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise à validation"
    VALIDEE = "validee", "Validée"


class IndicateurSuivi(models.TextChoices):
    """The sheet's quantitative and qualitative indicators, to pick from."""

    FILLES_GARCONS = "filles_garcons", "Nombre de filles et de garçons accompagnés"
    MENTORS = "mentors", "Nombre de mentors"
    ENTREPRISES = "entreprises", "Nombre d’entreprises impliquées"
    ABSENTEISME = "absenteisme", "Taux d’absentéisme"
    ABANDON = "abandon", "Taux d’abandon"
    REUSSITE = "reussite", "Taux de réussite aux examens"
    INSERTION = "insertion", "Taux d’insertion"
    SOMMES = "sommes", "Sommes allouées et engagées"
    ACTIONS = "actions", "Détail des actions individuelles et collectives"
    SATISFACTION = "satisfaction", "Satisfaction des partenaires, élèves, mentors, parents et personnels"
    RELATIONS = "relations", "Qualité des relations partenariales"
    DIFFICULTES = "difficultes", "Difficultés organisationnelles"


class ActivitePrevue(models.TextChoices):
    ENTRETIENS = "entretiens", "Entretiens individuels mentor-élève"
    COLLECTIVES = "collectives", "Séances collectives"
    CO_INTERVENTION = "co_intervention", "Co-interventions enseignant – professionnel"
    ATELIER_CV = "atelier_cv", "Ateliers CV"
    PREPARATION_ENTRETIEN = "preparation_entretien", "Préparation à l’entretien d’embauche"
    VISITES = "visites", "Visites d’entreprise"
    ANIMATIONS = "animations", "Animations pédagogiques"
    REUNIONS_SUIVI = "reunions_suivi", "Réunions de suivi"
    LANCEMENT = "lancement", "Évènement de lancement"
    FIN_ANNEE = "fin_annee", "Réunion et cérémonie de fin d’année"


class VersionCadrage(models.Model):
    """One version of the document de cadrage. A validated version is frozen: changes make a new draft."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="versions_cadrage")
    numero = models.PositiveSmallIntegerField("version")
    statut = models.CharField("statut", max_length=20, choices=StatutCadrage.choices, default=StatutCadrage.BROUILLON)
    objectifs = models.TextField("objectifs du dispositif", blank=True)
    public_cible = models.TextField("public ciblé", blank=True)
    duree_mois = models.PositiveSmallIntegerField(
        "durée du mentorat (en mois)",
        null=True,
        blank=True,
        validators=entre(1, DUREE_MENTORAT_MAX, f"La durée du mentorat va de 1 à {DUREE_MENTORAT_MAX} mois."),
        help_text=f"Le plan « 1 jeune, 1 mentor » recommande au moins 6 mois ({DUREE_MENTORAT_MAX} au plus).",
    )
    duree_precisions = models.CharField("précisions sur la durée", max_length=255, blank=True)
    indicateurs = models.JSONField("indicateurs de suivi", default=list, blank=True)
    autres_indicateurs = models.TextField("autres indicateurs", blank=True)
    activites = models.JSONField("activités prévues", default=list, blank=True)
    activites_precisions = models.TextField("précisions sur les activités", blank=True)

    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédigée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    soumise_le = models.DateTimeField("soumise le", null=True, blank=True)
    validee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validee_le = models.DateTimeField("validée le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "version du document de cadrage"
        verbose_name_plural = "versions du document de cadrage"
        ordering = ["dispositif", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "numero"], name="cadrage_version_unique"),
            models.CheckConstraint(
                condition=Q(duree_mois__isnull=True) | Q(duree_mois__gte=1, duree_mois__lte=DUREE_MENTORAT_MAX),
                name="cadrage_duree_bornee",
            ),
        ]

    def __str__(self):
        return f"Document de cadrage {self.dispositif.annee_scolaire}, version {self.numero}"

    def get_absolute_url(self):
        return reverse("etablissements:cadrage_version", args=[self.pk])

    @property
    def est_validee(self) -> bool:
        return self.statut == StatutCadrage.VALIDEE

    def get_indicateurs_display(self):
        return _libelles(IndicateurSuivi, self.indicateurs)

    def get_activites_display(self):
        return _libelles(ActivitePrevue, self.activites)


class Comite(models.Model):
    """One body of the dispositif's comitologie (comité de pilotage, réunion de suivi…)."""

    version = models.ForeignKey(VersionCadrage, on_delete=models.CASCADE, related_name="comites")
    nom = models.CharField("instance", max_length=200, help_text="Par exemple : comité de pilotage.")
    membres = models.TextField("membres")
    frequence = models.CharField("fréquence", max_length=200, help_text="Par exemple : une fois par trimestre.")

    class Meta:
        verbose_name = "comité"
        ordering = ["pk"]

    def __str__(self):
        return self.nom


# --- Historique (convention, cadrage) -------------------------------------------------


class ActionHistorique(models.TextChoices):
    CREATION = "creation", "Création"
    MODIFICATION = "modification", "Modification"
    SOUMISSION = "soumission", "Soumission à validation"
    VALIDATION = "validation", "Validation"


class Modification(models.Model):
    """Who changed what, and when, on a convention or a cadrage version.

    Written by the services in the same transaction as the change it describes, so a
    change is never saved without its trace, nor a trace without its change.
    """

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="modifications")
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, null=True, blank=True, related_name="modifications"
    )
    version_cadrage = models.ForeignKey(
        VersionCadrage, on_delete=models.CASCADE, null=True, blank=True, related_name="modifications"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    date = models.DateTimeField("date", auto_now_add=True)
    action = models.CharField("action", max_length=20, choices=ActionHistorique.choices)
    # [{"champ": label, "avant": text, "apres": text}, ...]
    changements = models.JSONField("changements", default=list, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = frozenset()

    class Meta:
        verbose_name = "modification"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="modification_un_seul_objet",
                condition=Q(convention__isnull=False, version_cadrage__isnull=True)
                | Q(convention__isnull=True, version_cadrage__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} le {self.date:%d/%m/%Y}"


# --- Équipe ---------------------------------------------------------------------------


class RoleEquipe(models.TextChoices):
    """The roles the sheet names in the team in charge of the dispositif."""

    REFERENT = "referent", "Référent mentorat"
    COORDONNATEUR = "coordonnateur", "Coordonnateur des mentors du partenaire"
    CHEF = "chef", "Chef d’établissement"
    DDFPT = "ddfpt", "DDFPT"
    RBDE = "rbde", "Responsable du bureau des entreprises (RBDE)"
    CPE = "cpe", "CPE"
    AUTRE = "autre", "Autre membre"


class MembreEquipe(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="equipe")
    role = models.CharField("rôle dans le dispositif", max_length=20, choices=RoleEquipe.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membres_equipe",
        help_text="Le compte de la personne, si elle en a un.",
    )
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    fonction = models.CharField("fonction", max_length=200, blank=True, help_text="Par exemple : professeur de vente.")
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    mission_pacte = models.BooleanField(
        "mission reconnue dans le PACTE enseignant",
        default=False,
        help_text="Pour le référent mentorat : sa mission est valorisée dans le cadre du PACTE.",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "membre de l’équipe"
        verbose_name_plural = "membres de l’équipe"
        ordering = ["role", "nom", "prenom"]

    def __str__(self):
        return f"{self.nom_complet} ({self.get_role_display()})"

    @property
    def nom_complet(self) -> str:
        nom = f"{self.prenom} {self.nom}".strip()
        if not nom and self.user_id:
            nom = str(self.user)
        return nom or "—"

    def clean(self):
        if not (self.nom.strip() or self.user_id):
            raise ValidationError({"nom": "Indiquez le nom de la personne ou choisissez son compte."})
        if self.mission_pacte and self.role != RoleEquipe.REFERENT:
            raise ValidationError({"mission_pacte": "Seule la mission du référent mentorat relève du PACTE ici."})


# --- Budget ---------------------------------------------------------------------------


class TypeLigneBudget(models.TextChoices):
    ALLOCATION = "allocation", "Somme allouée"
    ENGAGEMENT = "engagement", "Somme engagée"


class SourceFinancement(models.TextChoices):
    ETABLISSEMENT = "etablissement", "Budget de l’établissement"
    ACADEMIE = "academie", "Crédits académiques"
    PLAN_1J1M = "plan_1j1m", "Plan « 1 jeune, 1 mentor »"
    COLLECTIVITE = "collectivite", "Région ou autre collectivité"
    PARTENAIRE = "partenaire", "Association partenaire"
    MECENAT = "mecenat", "Entreprises, mécénat"
    AUTRE = "autre", "Autre source"


class NatureDepense(models.TextChoices):
    REMBOURSEMENT_FRAIS = "remboursement_frais", "Remboursement de frais"
    EVENEMENTS = "evenements", "Évènements"
    FORMATION = "formation", "Formation"
    AUTRE = "autre", "Autre dépense"


class LigneBudgetQuerySet(ScopedQuerySet):
    def totaux(self) -> dict:
        """Allocated and committed sums of these lines, and what remains."""
        from django.db.models import Sum

        sommes = self.aggregate(
            alloue=Sum("montant", filter=Q(type=TypeLigneBudget.ALLOCATION)),
            engage=Sum("montant", filter=Q(type=TypeLigneBudget.ENGAGEMENT)),
        )
        alloue = sommes["alloue"] or 0
        engage = sommes["engage"] or 0
        return {"alloue": alloue, "engage": engage, "reste": alloue - engage}


class LigneBudget(models.Model):
    """A sum allocated to the dispositif (by source) or committed by it (by nature)."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="lignes_budget")
    type = models.CharField("type", max_length=20, choices=TypeLigneBudget.choices)
    source = models.CharField("source", max_length=20, choices=SourceFinancement.choices, blank=True)
    nature = models.CharField("nature de la dépense", max_length=30, choices=NatureDepense.choices, blank=True)
    libelle = models.CharField("libellé", max_length=200)
    montant = models.DecimalField(
        "montant (€)",
        max_digits=10,
        decimal_places=2,
        validators=entre(Decimal("0.01"), MONTANT_MAX, "Le montant va de 0,01 à 1 000 000 €."),
    )
    date = models.DateField("date", null=True, blank=True, validators=[DatePlausible()])

    objects = LigneBudgetQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "lignes de budget"
        ordering = ["type", "date", "pk"]
        constraints = [
            # An allocation says where the money comes from, a commitment what it pays for.
            models.CheckConstraint(
                name="ligne_budget_source_ou_nature",
                condition=Q(type="allocation", nature="") & ~Q(source="")
                | Q(type="engagement", source="") & ~Q(nature=""),
            ),
            models.CheckConstraint(name="ligne_budget_montant_positif", condition=Q(montant__gt=0)),
            models.CheckConstraint(name="ligne_budget_montant_plafonne", condition=Q(montant__lte=MONTANT_MAX)),
            models.CheckConstraint(name="ligne_budget_date_bornee", condition=q_date("date", nullable=True)),
        ]

    def __str__(self):
        return f"{self.libelle} : {self.montant} €"

    def clean(self):
        if self.type == TypeLigneBudget.ALLOCATION:
            self.nature = ""
            if not self.source:
                raise ValidationError({"source": "Indiquez la source de cette somme allouée."})
        elif self.type == TypeLigneBudget.ENGAGEMENT:
            self.source = ""
            if not self.nature:
                raise ValidationError({"nature": "Indiquez la nature de cette dépense."})

    @property
    def categorie(self) -> str:
        return self.get_source_display() if self.type == TypeLigneBudget.ALLOCATION else self.get_nature_display()


# --- Frise chronologique --------------------------------------------------------------


class StatutJalon(models.TextChoices):
    A_FAIRE = "a_faire", "À faire"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Fait"


class JalonQuerySet(ScopedQuerySet):
    def periode_depassee(self, jour: date):
        """Milestones whose period ended before `jour` and not marked done by hand.

        Candidates for lateness: `etablissements.frise.jalons_en_retard` also drops those
        the data shows as done.
        """
        return self.filter(fin__lt=jour).exclude(statut=StatutJalon.FAIT)


class Jalon(models.Model):
    """One milestone of a dispositif's timeline (cahier des charges §2), with its recommended period."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="jalons")
    code = models.CharField("jalon", max_length=30, choices=CODES_JALONS)
    ordre = models.PositiveSmallIntegerField("ordre")
    debut = models.DateField("début de la période recommandée")
    fin = models.DateField("fin de la période recommandée")
    statut = models.CharField("statut", max_length=20, choices=StatutJalon.choices, default=StatutJalon.A_FAIRE)
    commentaire = models.CharField("commentaire", max_length=255, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    modifie_le = models.DateTimeField("modifié le", null=True, blank=True)

    objects = JalonQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "jalon"
        ordering = ["dispositif", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "code"], name="jalon_unique_par_dispositif"),
            # Computed from the dispositif's year (frise.py), never typed: bounded in the database only.
            models.CheckConstraint(
                condition=q_date("debut") & q_date("fin") & Q(debut__lte=models.F("fin")), name="jalon_periode_bornee"
            ),
        ]

    def __str__(self):
        return self.get_code_display()

    @property
    def periode(self) -> str:
        return PERIODES_JALONS[self.code]

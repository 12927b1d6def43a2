"""The agreement between the LP and its coordinating partner."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socle import roles as R
from socle.chemins import chemin
from socle.contraintes import Verification
from socle.validators import DatePlausible, entre, q_date, q_ordonnees

from ..scoping import ScopedQuerySet
from .communs import MONTANT_MAX
from .dispositif import Dispositif
from .partenaire import Partenaire


class StatutConvention(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise à signature"
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
    # The accounts that recorded each signature: the chef for the LP, the partner's
    # responsable for the partner (empty when the chef recorded a signature made on paper).
    signee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signée pour l’établissement par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signee_partenaire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signée pour le partenaire par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The text as signed ([{"champ": label, "texte": value}, ...]): avenants change the
    # convention in force, this stays as both parties signed it.
    texte_signe = models.JSONField("texte signé", default=list, blank=True)
    # A year's convention continued from last year's by an « avenant de reconduction » to that
    # one, instead of being signed again: the avenant is its signature. SET_NULL rather than
    # PROTECT so that purging a past year never depends on the years after it.
    reconduite_par = models.ForeignKey(
        "Avenant",
        verbose_name="reconduite par l’avenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reconductions",
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
            Verification(
                condition=q_date("date_debut", nullable=True)
                & q_date("date_fin", nullable=True)
                & q_date("date_signature_etablissement", nullable=True)
                & q_date("date_signature_partenaire", nullable=True),
                name="convention_dates_bornees",
            ),
            Verification(condition=q_ordonnees("date_debut", "date_fin"), name="convention_fin_apres_debut"),
            Verification(
                condition=Q(cout_estime__isnull=True) | Q(cout_estime__gte=0, cout_estime__lte=MONTANT_MAX),
                name="convention_cout_borne",
            ),
        ]

    def __str__(self):
        return f"Convention {self.dispositif.etablissement} – {self.partenaire}"

    def get_absolute_url(self):
        return chemin("etablissements:convention", self.pk)

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
    def est_signee(self) -> bool:
        return self.statut in (StatutConvention.SIGNEE, StatutConvention.ECHUE)

    @property
    def points_de_vigilance(self):
        """(label, text) of each point of the sheet, in its order."""
        return [(libelle, getattr(self, champ)) for champ, libelle, _aide in POINTS_DE_VIGILANCE]

    @property
    def points_manquants(self) -> list[str]:
        return [libelle for champ, libelle, _aide in POINTS_DE_VIGILANCE if not getattr(self, champ).strip()]

    def statut_le(self, jour: date | None = None) -> str:
        """The status as it stands on `jour`: a signed convention whose end has passed is échue."""
        jour = jour or timezone.localdate()
        if self.statut == StatutConvention.SIGNEE and self.date_fin and self.date_fin < jour:
            return StatutConvention.ECHUE
        return self.statut

    @property
    def statut_affiche(self) -> str:
        return StatutConvention(self.statut_le()).label


class Avenant(models.Model):
    """A dated, signed change to a signed convention: the only way to change it.

    It keeps what it changed (each field's text before and after); the convention
    holds the text in force and, in `texte_signe`, the text first signed.
    """

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    objet = models.CharField("objet de l’avenant", max_length=255)
    date_signature = models.DateField("signé le", validators=[DatePlausible()])
    # [{"champ": label, "avant": text, "apres": text, ...}, ...] as in the history.
    changements = models.JSONField("changements", default=list)
    signe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signé pour l’établissement par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cree_le = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "convention__dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.VALIDATION

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "numero"], name="avenant_numero_unique"),
            Verification(condition=q_date("date_signature"), name="avenant_date_bornee"),
        ]

    def __str__(self):
        return f"Avenant n° {self.numero} : {self.objet}"

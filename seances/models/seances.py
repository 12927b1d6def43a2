"""Séances, attendance, absences and their follow-up, notifications and alerts, meetings, the pair's voice."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from binomes.models import Binome, Eleve, Mentor
from etablissements.models import Dispositif, Entreprise, Etablissement, Partenaire
from etablissements.scoping import ScopedQuerySet
from socle import roles as R
from socle.chemins import chemin
from socle.contraintes import Verification
from socle.formats import accorder_sexe
from socle.roles import Role
from socle.validators import DatePlausible, entre, q_date, q_entre

DUREE_MIN, DUREE_MAX = 1, 600


class TypeSeance(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien individuel"
    COLLECTIVE = "collective", "Séance collective"
    CO_INTERVENTION = "co_intervention", "Co-intervention enseignant – professionnel"
    ATELIER_CV = "atelier_cv", "Atelier CV"
    PREPARATION_ENTRETIEN = "preparation_entretien", "Préparation à l’entretien d’embauche"
    VISITE = "visite", "Visite d’entreprise"
    ANIMATION = "animation", "Animation pédagogique"
    AUTRE = "autre", "Autre"


class Lieu(models.TextChoices):
    ETABLISSEMENT = "etablissement", "Dans l’établissement"
    ENTREPRISE = "entreprise", "En entreprise"
    DISTANCE = "distance", "À distance"
    AUTRE = "autre", "Autre lieu"


class StatutSeance(models.TextChoices):
    PREVUE = "prevue", "Prévue"
    TENUE = "tenue", "Tenue"
    ANNULEE = "annulee", "Annulée"


class Seance(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="seances")
    date = models.DateField("date", validators=[DatePlausible()])
    heure = models.TimeField("heure", null=True, blank=True)
    # Ten hours at most: a séance is a meeting, and the iCalendar feed adds the duration to a datetime.
    duree = models.PositiveSmallIntegerField(
        "durée (minutes)",
        default=60,
        validators=entre(DUREE_MIN, DUREE_MAX, "La durée d’une séance va de 1 à 600 minutes (10 heures)."),
        help_text="En minutes, de 1 à 600.",
    )
    lieu = models.CharField("lieu", max_length=20, choices=Lieu.choices, default=Lieu.ETABLISSEMENT)
    type = models.CharField("type de séance", max_length=30, choices=TypeSeance.choices, default=TypeSeance.ENTRETIEN)
    statut = models.CharField("statut", max_length=20, choices=StatutSeance.choices, default=StatutSeance.PREVUE)
    compte_rendu = models.TextField("compte rendu", blank=True)
    lieu_precision = models.CharField(
        "précisions sur le lieu", max_length=200, blank=True, help_text="Salle, adresse de l’entreprise, lien…"
    )
    competences = models.TextField(
        "compétences du référentiel travaillées",
        blank=True,
        help_text="Pour une co-intervention : les compétences du diplôme abordées.",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    # A mentor sees the séances they take part in.
    ACCES_PERSONNEL = {Role.MENTOR: "participations__mentor__user"}
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "séance"
        ordering = ["-date", "-heure"]
        constraints = [
            Verification(condition=q_entre("duree", DUREE_MIN, DUREE_MAX), name="seance_duree_bornee"),
            Verification(condition=q_date("date"), name="seance_date_bornee"),
        ]
        indexes = [
            # The lists read each dispositif's latest séances in this order (socle.pagination):
            # a few index entries per dispositif instead of sorting all their séances.
            models.Index(fields=["dispositif", "date", "heure", "id"], name="seance_dispositif_date"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return chemin("seances:detail", self.pk)


class Presence(models.TextChoices):
    ATTENDU = "attendu", "Attendu"
    PRESENT = "present", "Présent"
    ABSENT_EXCUSE = "absent_excuse", "Absent excusé"
    ABSENT_NON_EXCUSE = "absent_non_excuse", "Absent non excusé"


# The attendance labels for a girl (the choices' labels are the masculine ones).
PRESENCES_AU_FEMININ = {
    Presence.ATTENDU: "Attendue",
    Presence.PRESENT: "Présente",
    Presence.ABSENT_EXCUSE: "Absente excusée",
    Presence.ABSENT_NON_EXCUSE: "Absente non excusée",
}


class Participation(models.Model):
    """One expected participant of a séance (a student or a mentor) and their attendance."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="participations")
    eleve = models.ForeignKey(Eleve, on_delete=models.CASCADE, null=True, blank=True, related_name="participations")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, null=True, blank=True, related_name="participations")
    presence = models.CharField("présence", max_length=20, choices=Presence.choices, default=Presence.ATTENDU)

    class Meta:
        verbose_name = "participation"
        constraints = [
            Verification(
                name="participation_eleve_ou_mentor",
                condition=Q(eleve__isnull=False, mentor__isnull=True) | Q(eleve__isnull=True, mentor__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["seance", "eleve"], condition=Q(eleve__isnull=False), name="participation_eleve_unique"
            ),
            models.UniqueConstraint(
                fields=["seance", "mentor"], condition=Q(mentor__isnull=False), name="participation_mentor_unique"
            ),
        ]
        indexes = [
            # Attendance rates count students' rows per séance (indicators, dashboards, report):
            # an index-only scan, instead of a scan of every participation of the académie.
            models.Index(
                fields=["seance", "presence", "id"],
                condition=Q(eleve__isnull=False),
                name="participation_eleve_presence",
            ),
        ]

    def __str__(self):
        return f"{self.eleve or self.mentor} — {self.presence_libelle}"

    @property
    def presence_libelle(self) -> str:
        """The attendance agreed with the student's gender (« Absente excusée »); mentors' is masculine."""
        return self.libelle_de(self.presence, getattr(self.eleve, "sexe", None))

    @staticmethod
    def libelle_de(presence: str, sexe: str | None) -> str:
        """`presence_libelle` from the bare values (the stored presence, the student's `sexe` or None
        for a mentor), for the lists that read values rather than records."""
        masculin = Presence(presence).label if presence in Presence.values else presence
        return accorder_sexe(sexe, masculin, PRESENCES_AU_FEMININ.get(presence, masculin))


class DeclarationAbsence(models.Model):
    """An absence announced before the séance, so the others do not come for nothing."""

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="declaration_absence")
    motif = models.CharField("motif", max_length=255, blank=True)
    declaree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déclarée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    declaree_le = models.DateTimeField("déclarée le", default=timezone.now)

    class Meta:
        verbose_name = "déclaration d’absence"
        verbose_name_plural = "déclarations d’absence"

    def __str__(self):
        return f"Absence prévue : {self.participation}"


class EntretienAbsence(models.Model):
    """The interview a student gets after an unexcused absence (the sheet's vigilance on absenteeism)."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="entretiens_absence")
    eleve = models.ForeignKey(Eleve, verbose_name="élève", on_delete=models.CASCADE, related_name="entretiens_absence")
    assigne_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mené par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entretiens_absence",
    )
    echeance = models.DateField("à mener avant le", validators=[DatePlausible()])
    fait = models.BooleanField("entretien mené", default=False)
    fait_le = models.DateField("mené le", null=True, blank=True, validators=[DatePlausible()])
    issue = models.CharField("issue de l’entretien", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "seance__dispositif__etablissement"
    ROLES_LECTURE = R.VIE_SCOLAIRE
    ROLES_ECRITURE = R.VIE_SCOLAIRE

    class Meta:
        verbose_name = "entretien avec l’élève"
        verbose_name_plural = "entretiens avec l’élève"
        ordering = ["fait", "echeance", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "eleve"], name="entretien_absence_unique"),
            Verification(condition=q_date("echeance"), name="entretien_absence_echeance_bornee"),
            Verification(condition=q_date("fait_le", nullable=True), name="entretien_absence_fait_le_borne"),
        ]

    def __str__(self):
        return f"Entretien avec {self.eleve} (absence du {self.seance.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return chemin("seances:entretien", self.pk)


class TypeNotification(models.TextChoices):
    ABSENCE_ELEVE = "absence_eleve", "Absence prévue d’un élève"
    ABSENCE_MENTOR = "absence_mentor", "Absence prévue d’un mentor"
    EMPECHEMENT_MENTOR = "empechement_mentor", "Empêchement annoncé par un mentor depuis son rappel"


class StatutNotification(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ENVOYEE = "envoyee", "Envoyée"


class Notification(models.Model):
    """Outbox row, written in the same transaction as the fact it announces.

    A broker outage cannot lose it (a beat job relays what is pending) and the unique
    key per fact and recipient, with the row lock taken when sending, stops doubles.
    """

    type = models.CharField("type", max_length=30, choices=TypeNotification.choices)
    cle = models.CharField("clé du fait", max_length=100)
    destinataire = models.EmailField("destinataire")
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="notifications")
    donnees = models.JSONField("données", default=dict, blank=True)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutNotification.choices, default=StatutNotification.EN_ATTENTE
    )
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["creee_le", "pk"]
        constraints = [models.UniqueConstraint(fields=["cle", "destinataire"], name="notification_unique")]

    def __str__(self):
        return f"{self.get_type_display()} → {self.destinataire}"


class TypeAlerte(models.TextChoices):
    BINOME_SANS_SEANCE = "binome_sans_seance", "Binôme sans séance depuis plus d’un mois"
    ABSENCES_ELEVE = "absences_eleve", "Élève absent sans excuse à plusieurs reprises"
    ABSENCES_MENTOR = "absences_mentor", "Mentor absent à des séances"
    HONORABILITE = "honorabilite", "Honorabilité bientôt expirée"
    JALON_EN_RETARD = "jalon_en_retard", "Jalon en retard"
    BESOIN_MENTOR = "besoin_mentor", "Besoin signalé par un mentor"
    BINOME_EN_RISQUE = "binome_en_risque", "Binôme en risque"
    SIGNALEMENT = "signalement", "Signalement déposé"


class Alerte(models.Model):
    """One fact for one recipient: shown in the app at once, emailed in the next daily digest."""

    type = models.CharField("type", max_length=30, choices=TypeAlerte.choices)
    cle = models.CharField("clé du fait", max_length=100)
    destinataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alertes")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="alertes")
    message = models.CharField("message", max_length=300)
    lien = models.CharField("lien", max_length=200, blank=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "alerte"
        ordering = ["-creee_le", "-pk"]
        constraints = [models.UniqueConstraint(fields=["cle", "destinataire"], name="alerte_unique")]

    def __str__(self):
        return self.message


def nouveau_jeton():
    return secrets.token_urlsafe(32)


class JetonCalendrier(models.Model):
    """The secret in a mentor's calendar feed URL; resetting it cuts off old subscriptions."""

    mentor = models.OneToOneField(Mentor, on_delete=models.CASCADE, related_name="jeton_calendrier")
    jeton = models.CharField("jeton", max_length=64, unique=True, default=nouveau_jeton)

    class Meta:
        verbose_name = "jeton de calendrier"
        verbose_name_plural = "jetons de calendrier"

    def __str__(self):
        return f"Calendrier de {self.mentor}"


class TypeReunion(models.TextChoices):
    SUIVI = "suivi", "Réunion de suivi"
    COMITE_PILOTAGE = "comite_pilotage", "Comité de pilotage"
    COMITE_SUIVI = "comite_suivi", "Comité de suivi"


class ReunionSuivi(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="reunions")
    type = models.CharField("type", max_length=20, choices=TypeReunion.choices, default=TypeReunion.SUIVI)
    date = models.DateField("date", validators=[DatePlausible()])
    partenaire = models.ForeignKey(
        Partenaire,
        verbose_name="partenaire présent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reunions",
    )
    participants = models.TextField("participants", help_text="LP, association, autres partenaires : un par ligne.")
    points = models.TextField("points abordés", blank=True)
    decisions = models.TextField("décisions", blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "réunion de suivi"
        verbose_name_plural = "réunions de suivi"
        ordering = ["-date", "-pk"]
        constraints = [Verification(condition=q_date("date"), name="reunion_suivi_date_bornee")]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return chemin("seances:reunion", self.pk)


class ActionSuivi(models.Model):
    reunion = models.ForeignKey(ReunionSuivi, on_delete=models.CASCADE, related_name="actions")
    libelle = models.CharField("action", max_length=300)
    responsable = models.CharField("responsable", max_length=200)
    echeance = models.DateField("échéance", null=True, blank=True, validators=[DatePlausible()])
    faite = models.BooleanField("faite", default=False)

    class Meta:
        verbose_name = "action de suivi"
        verbose_name_plural = "actions de suivi"
        ordering = ["faite", "echeance", "pk"]
        constraints = [Verification(condition=q_date("echeance", nullable=True), name="action_suivi_echeance_bornee")]

    def __str__(self):
        return self.libelle


class TypeEvenement(models.TextChoices):
    PRESENTATION = "presentation", "Réunion interne de présentation"
    LANCEMENT = "lancement", "Évènement de lancement"
    FIN_ANNEE = "fin_annee", "Réunion de fin d’année"
    CEREMONIE = "ceremonie", "Cérémonie de fin d’année"


class Evenement(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="evenements")
    type = models.CharField("type", max_length=20, choices=TypeEvenement.choices)
    date = models.DateField("date", validators=[DatePlausible()])
    heure = models.TimeField("heure", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200, blank=True)
    description = models.TextField("description", blank=True)
    entreprises_invitees = models.ManyToManyField(
        Entreprise, verbose_name="entreprises du réseau invitées", blank=True, related_name="evenements"
    )
    autres_entreprises_invitees = models.TextField(
        "autres entreprises invitées",
        blank=True,
        help_text="Entreprises qui ne participent pas encore au mentorat : une par ligne.",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "dispositif__etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "évènement"
        ordering = ["-date", "-pk"]
        constraints = [Verification(condition=q_date("date"), name="evenement_date_borne")]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return chemin("seances:evenement", self.pk)


class NoteMentor(models.Model):
    """What a mentor says after a séance: whether it took place, what was done, what comes next,
    and the needs they flag. Read by the référent and the coordinator, never by other mentors."""

    seance = models.ForeignKey(Seance, verbose_name="séance", on_delete=models.CASCADE, related_name="notes_mentor")
    mentor = models.ForeignKey(Mentor, verbose_name="mentor", on_delete=models.CASCADE, related_name="notes")
    a_eu_lieu = models.BooleanField("la séance a bien eu lieu", default=True)
    fait = models.TextField("ce que nous avons fait", max_length=2000, blank=True)
    suite = models.TextField("la suite prévue", max_length=2000, blank=True)
    besoin_aide_referent = models.BooleanField("besoin d’aide du référent", default=False)
    difficulte_eleve = models.BooleanField("difficulté avec l’élève", default=False)
    absence_non_prevenue = models.BooleanField("absence non prévenue", default=False)
    ecrite_le = models.DateTimeField("écrite le", default=timezone.now)
    # The référent marks a flagged need as handled; the dashboard lists the others.
    besoin_traite_le = models.DateTimeField("besoin traité le", null=True, blank=True)
    besoin_traite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="besoin traité par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "seance__dispositif__etablissement"
    # A mentor reads and writes their own notes only.
    ACCES_PERSONNEL = {Role.MENTOR: "mentor__user"}
    ROLES_LECTURE = R.SUIVI_PARTENAIRE
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "note du mentor"
        verbose_name_plural = "notes des mentors"
        ordering = ["-ecrite_le"]
        constraints = [models.UniqueConstraint(fields=["seance", "mentor"], name="note_mentor_unique")]

    def __str__(self):
        return f"Note de {self.mentor} sur {self.seance}"

    @property
    def besoin_signale(self) -> bool:
        return self.besoin_aide_referent or self.difficulte_eleve or self.absence_non_prevenue

    @property
    def pour_le_referent(self) -> bool:
        """Whether the note asks the référent to act: a need flagged, or a séance that did not take place."""
        return self.besoin_signale or not self.a_eu_lieu


class Ressenti(models.TextChoices):
    BIEN = "bien", "Bien"
    MOYEN = "moyen", "Moyennement"
    MAL = "mal", "Pas bien"


class Utilite(models.TextChoices):
    UTILE = "utile", "Utile"
    UN_PEU = "un_peu", "Un peu utile"
    PAS_UTILE = "pas_utile", "Pas utile"


class Continuer(models.TextChoices):
    OUI = "oui", "Oui"
    NE_SAIS_PAS = "ne_sais_pas", "Je ne sais pas"
    NON = "non", "Non"


class LienAvis(models.Model):
    """A one-time link (or QR code) through which a student, who has no account, gives their word
    after a séance. Only the SHA-256 of the secret is stored; the answer keeps no tie to the link."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="liens_avis")
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="liens_avis")
    empreinte = models.CharField("empreinte du jeton", max_length=64, unique=True)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    expire_le = models.DateTimeField("expire le")
    utilise_le = models.DateTimeField("utilisé le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "seance__dispositif__etablissement"
    ROLES_LECTURE = R.SUIVI_PARTENAIRE
    ROLES_ECRITURE = R.SUIVI_PARTENAIRE

    class Meta:
        verbose_name = "lien d’avis de l’élève"
        verbose_name_plural = "liens d’avis des élèves"
        constraints = [models.UniqueConstraint(fields=["binome", "seance"], name="lien_avis_unique")]

    def __str__(self):
        return f"Lien d’avis pour {self.seance}"


class AvisEleve(models.Model):
    """A student's three answers. Tied to the binôme only (not to the séance nor the link), and dated
    by the day, so that nothing else about the answer can be traced back."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="avis_eleve")
    recu_le = models.DateField("reçu le", default=timezone.localdate)
    ressenti = models.CharField("comment s’est passée la séance ?", max_length=20, choices=Ressenti.choices)
    utilite = models.CharField("la séance t’a-t-elle été utile ?", max_length=20, choices=Utilite.choices)
    continuer = models.CharField("veux-tu continuer ?", max_length=20, choices=Continuer.choices)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "binome__dispositif__etablissement"
    ROLES_LECTURE = R.GESTION_PROGRAMME
    ROLES_ECRITURE = R.GESTION_PROGRAMME

    class Meta:
        verbose_name = "avis de l’élève"
        verbose_name_plural = "avis des élèves"
        ordering = ["-recu_le", "-pk"]

    def __str__(self):
        return f"Avis du {self.recu_le:%d/%m/%Y}"

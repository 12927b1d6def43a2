from datetime import date

from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError

from etablissements.models import Entreprise, Formation, PeriodePFMP
from socle.crispy_dsfr import DateInput, DsfrFormHelper, Fieldset
from socle.forms import ChoixModelesMultiples, DsfrFormMixin
from socle.validators import DatePlausible

from . import pfmp, services, siecle
from .models import (
    OBJECTIFS_MAX,
    Besoin,
    Binome,
    CadreIdentification,
    Eleve,
    Honorabilite,
    IdentifiePar,
    Mentor,
    MethodeHonorabilite,
    ObjectifBinome,
    OrigineObjectif,
    StatutHonorabilite,
)
from .objectifs import MESSAGE_MAX

CHAMPS_BESOINS = [f"besoin_{b.value}" for b in Besoin]


def _date_widgets(*noms):
    return {nom: DateInput() for nom in noms}


class EleveForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Eleve
        fields = [
            "nom",
            "prenom",
            "sexe",
            "date_naissance",
            "ine",
            "classe",
            "formation",
            "volontaire",
            "date_volontariat",
            "parents_informes_le",
            "consentement_parental",
            "consentement_parental_le",
            "identifie_par",
            "cadre_identification",
            "date_entretien",
            *CHAMPS_BESOINS,
            "besoins_note",
            "disponibilites",
        ]
        widgets = _date_widgets(
            "date_naissance", "date_volontariat", "parents_informes_le", "consentement_parental_le", "date_entretien"
        ) | {"besoins_note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}

    def __init__(self, *args, etablissement, **kwargs):
        super().__init__(*args, **kwargs)
        self.etablissement = etablissement
        self.fields["formation"].queryset = Formation.objects.filter(etablissement=etablissement)
        self.helper.layout = Layout(
            Fieldset("Identité", "nom", "prenom", "sexe", "date_naissance", "ine", "classe", "formation"),
            Fieldset(
                "Entrée dans le dispositif",
                "volontaire",
                "date_volontariat",
                "identifie_par",
                "cadre_identification",
            ),
            Fieldset(
                "Responsables légaux (élève mineur)",
                "parents_informes_le",
                "consentement_parental",
                "consentement_parental_le",
                hint="Uniquement les faits : date d’information, réponse et sa date.",
            ),
            Fieldset(
                "Besoins exprimés en entretien",
                "date_entretien",
                *CHAMPS_BESOINS,
                "besoins_note",
                "disponibilites",
            ),
        )

    def clean_ine(self):
        ine = self.cleaned_data["ine"].strip().upper()
        autres = Eleve.objects.filter(etablissement=self.etablissement, ine=ine).exclude(pk=self.instance.pk)
        if autres.exists():
            raise ValidationError(
                "Un élève de l’établissement porte déjà cet INE. S’il vient de l’import SIECLE, "
                "retrouvez-le avec « Rechercher un élève déjà inscrit » pour le proposer."
            )
        return ine


class EleveRechercheForm(DsfrFormMixin, forms.Form):
    """Find a student already known to the LP (SIECLE import) to propose them instead of retyping them."""

    submit_label = "Rechercher"
    recherche = forms.CharField(
        label="Rechercher un élève déjà inscrit",
        min_length=2,
        max_length=100,
        help_text="Nom, prénom ou INE d’un élève importé de SIECLE et pas encore proposé.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Its own button name: the page's other form has the default one (no duplicate id).
        self.helper = DsfrFormHelper(self, submit_label=self.submit_label)
        self.helper.form_method = "get"


class EleveProposerForm(DsfrFormMixin, forms.Form):
    submit_label = "Proposer pour le mentorat"
    identifie_par = forms.ChoiceField(label="Identifié par", choices=IdentifiePar.choices)
    cadre_identification = forms.ChoiceField(
        label="Cadre de l’identification", choices=[("", "---------"), *CadreIdentification.choices], required=False
    )


class EleveEntretienForm(DsfrFormMixin, forms.ModelForm):
    """The identification interview: needs, the student's agreement and, for a minor, the parents'."""

    class Meta:
        model = Eleve
        fields = [
            "date_entretien",
            *CHAMPS_BESOINS,
            "besoins_note",
            "disponibilites",
            "volontaire",
            "date_volontariat",
            "parents_informes_le",
            "consentement_parental",
            "consentement_parental_le",
        ]
        widgets = _date_widgets(
            "date_entretien", "date_volontariat", "parents_informes_le", "consentement_parental_le"
        ) | {"besoins_note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        labels = {"volontaire": "L’élève est volontaire (il donne son accord)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_entretien"].required = True
        self.helper.layout = Layout(
            Fieldset("Entretien", "date_entretien", *CHAMPS_BESOINS, "besoins_note", "disponibilites"),
            Fieldset("Accord de l’élève", "volontaire", "date_volontariat"),
            Fieldset(
                "Accord des responsables légaux",
                "parents_informes_le",
                "consentement_parental",
                "consentement_parental_le",
                hint="Nécessaire si l’élève est mineur à la date de son accord.",
            ),
        )


class MentorForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Mentor
        fields = [
            "nom",
            "prenom",
            "email",
            "telephone",
            "entreprise",
            "metier",
            "secteur",
            "competences",
            "parcours",
            "recommande_par",
            "capacite",
            "disponibilites",
            "charte_signee_le",
            "formation_suivie_le",
        ]
        widgets = _date_widgets("charte_signee_le", "formation_suivie_le") | {
            "competences": forms.Textarea(attrs={"rows": 3}),
            "parcours": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "recommande_par": "Un mentor recommandé par personne passe par la vérification des services académiques.",
            "competences": "Mots-clés utilisés pour l’appariement : orientation, stage, recrutement, oral…",
        }

    def __init__(self, *args, etablissement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprise"].queryset = Entreprise.objects.filter(etablissement=etablissement)


class HonorabiliteForm(DsfrFormMixin, forms.ModelForm):
    """Facts only: status, date, method, expiry. Never a document or a comment (RGPD art. 10).

    It edits the person's one record: the verification counts for every LP they serve."""

    class Meta:
        model = Honorabilite
        fields = ["statut", "date", "methode", "expiration"]
        widgets = _date_widgets("date", "expiration")

    def __init__(self, *args, academie=False, **kwargs):
        super().__init__(*args, **kwargs)
        if academie:
            self.fields["methode"].choices = [
                (MethodeHonorabilite.SERVICES_ACADEMIQUES, MethodeHonorabilite.SERVICES_ACADEMIQUES.label)
            ]
        else:
            self.fields["methode"].choices = [("", "---------")] + [
                c for c in MethodeHonorabilite.choices if c[0] != MethodeHonorabilite.SERVICES_ACADEMIQUES
            ]

    def clean(self):
        donnees = super().clean()
        statut = donnees.get("statut")
        if statut in (StatutHonorabilite.VERIFIEE, StatutHonorabilite.REFUSEE):
            if not donnees.get("date"):
                self.add_error("date", "Indiquez la date de la vérification.")
            if not donnees.get("methode"):
                self.add_error("methode", "Indiquez la modalité de vérification.")
        if statut == StatutHonorabilite.VERIFIEE and not donnees.get("expiration"):
            self.add_error("expiration", "Indiquez la fin de validité de la vérification.")
        return donnees


def mentors_aptes(etablissement):
    """Mentors who may take one more student: valid honorabilité and a free place."""
    mentors = Mentor.objects.filter(etablissement=etablissement).avec_occupation().select_related("entreprise")
    return [m for m in mentors if services.raison_inapte(m) is None and m.places_restantes() > 0]


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} — {obj.metier or 'métier non renseigné'} ({obj.entreprise or 'sans employeur'})"


def description_eleve(eleve) -> str:
    """A student as the pairing meeting needs them: name, class, needs and availability."""
    besoins = ", ".join(eleve.get_besoins_display()) or "aucun besoin noté"
    return (
        f"{eleve} — {eleve.classe or 'classe non renseignée'} — besoins : {besoins}"
        f" — disponibilités : {eleve.disponibilites or 'non renseignées'}"
    )


class EleveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return description_eleve(obj)


class ElevesChoiceField(ChoixModelesMultiples):
    def label_from_instance(self, obj):
        return description_eleve(obj)


class BinomeForm(DsfrFormMixin, forms.Form):
    """Create a binôme by hand; the service enforces the same rules as the list offered here."""

    mentor = MentorChoiceField(
        label="Mentor",
        queryset=Mentor.objects.none(),
        help_text="Seuls les mentors à l’honorabilité vérifiée et disposant d’une place sont proposés.",
    )
    eleve = EleveChoiceField(
        label="Élève",
        queryset=Eleve.objects.none(),
        help_text="Seuls les élèves éligibles (retenus, volontaires, accord parental pour un mineur) sans binôme.",
    )
    date_debut = forms.DateField(label="Début", widget=DateInput, required=False, validators=[DatePlausible()])
    date_fin_prevue = forms.DateField(
        label="Fin prévue",
        widget=DateInput,
        required=False,
        help_text="Au moins six mois après le début : conseillé.",
        validators=[DatePlausible()],
    )
    objectifs = forms.CharField(
        label="Objectifs",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Deux ou trois objectifs choisis avec l’élève, un par ligne (5 au plus).",
    )

    def __init__(self, *args, dispositif, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispositif = dispositif
        etab = dispositif.etablissement
        self.fields["mentor"].queryset = Mentor.objects.filter(
            pk__in=[m.pk for m in mentors_aptes(etab)]
        ).select_related("entreprise")
        self.fields["eleve"].queryset = Eleve.objects.filter(etablissement=etab).a_apparier()

    def clean(self):
        donnees = super().clean()
        mentor = donnees.get("mentor")
        if mentor is not None:
            raison = services.raison_inapte(mentor)
            if raison:
                self.add_error("mentor", raison)
        verifier_dates(self, donnees)
        if len([ligne for ligne in (donnees.get("objectifs") or "").splitlines() if ligne.strip(" -•*\t")]) > (
            OBJECTIFS_MAX
        ):
            self.add_error("objectifs", MESSAGE_MAX)
        return donnees


def verifier_dates(form, donnees):
    debut, fin = donnees.get("date_debut"), donnees.get("date_fin_prevue")
    if debut and fin and fin <= debut:
        form.add_error("date_fin_prevue", "La fin prévue doit suivre le début.")


def moins_de_six_mois(debut: date | None, fin: date | None) -> bool:
    if not (debut and fin):
        return False
    mois = (fin.year - debut.year) * 12 + fin.month - debut.month - (fin.day < debut.day)
    return mois < 6


class BinomeModifierForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Binome
        # The objectives have their own page (binomes.views.objectifs).
        fields = ["date_debut", "date_fin_prevue"]
        widgets = _date_widgets("date_debut", "date_fin_prevue")
        help_texts = {"date_fin_prevue": "Au moins six mois après le début : conseillé."}

    def clean(self):
        donnees = super().clean()
        verifier_dates(self, donnees)
        return donnees


class RuptureForm(DsfrFormMixin, forms.Form):
    submit_label = "Confirmer"
    motif = forms.CharField(label="Motif", max_length=255, help_text="Une phrase factuelle.")
    date = forms.DateField(label="Date", widget=DateInput, validators=[DatePlausible()])


class FinForm(DsfrFormMixin, forms.Form):
    submit_label = "Confirmer"
    date = forms.DateField(label="Date de fin", widget=DateInput, validators=[DatePlausible()])


class ReunionForm(DsfrFormMixin, forms.Form):
    submit_label = "Créer la réunion"
    date = forms.DateField(label="Date de la réunion", widget=DateInput, validators=[DatePlausible()])
    participants = forms.CharField(
        label="Participants", max_length=500, required=False, help_text="Noms et fonctions, séparés par des virgules."
    )
    rh_entreprises_invites = forms.BooleanField(label="Responsables RH des entreprises invités", required=False)


class ClasseForm(DsfrFormMixin, forms.Form):
    """Narrow the students offered to a pairing meeting to one class."""

    submit_label = "Filtrer"
    classe = forms.ChoiceField(label="Classe", required=False)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classe"].choices = [("", "Toutes les classes"), *((c, c) for c in classes)]
        self.helper = DsfrFormHelper(self, submit_label=self.submit_label)
        self.helper.form_method = "get"


class CalculForm(forms.Form):
    eleves = ElevesChoiceField(
        label="Élèves du groupe",
        queryset=Eleve.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Seuls les élèves éligibles sont proposés : retenus, volontaires et, pour un mineur, "
        "avec l’accord de leurs responsables légaux.",
    )
    mentors = ChoixModelesMultiples(
        label="Mentors du groupe",
        queryset=Mentor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les mentors sans honorabilité valide ou sans place libre sont écartés du calcul.",
    )

    def __init__(self, *args, etablissement, classe="", **kwargs):
        super().__init__(*args, **kwargs)
        eleves = Eleve.objects.filter(etablissement=etablissement).a_apparier().order_by("classe", "nom", "prenom")
        if classe:
            eleves = eleves.filter(classe=classe)
        self.fields["eleves"].queryset = eleves
        self.fields["mentors"].queryset = Mentor.objects.filter(etablissement=etablissement)
        self.helper = DsfrFormHelper(self, submit_label="Calculer les propositions")


class ChangerForm(DsfrFormMixin, forms.Form):
    submit_label = "Apparier avec ce mentor"
    mentor = MentorChoiceField(label="Autre mentor", queryset=Mentor.objects.none())

    def __init__(self, *args, etablissement, exclure=None, **kwargs):
        super().__init__(*args, **kwargs)
        aptes = [m.pk for m in mentors_aptes(etablissement) if m.pk != exclure]
        self.fields["mentor"].queryset = Mentor.objects.filter(pk__in=aptes).select_related("entreprise")

    def clean_mentor(self):
        mentor = self.cleaned_data["mentor"]
        raison = services.raison_inapte(mentor)
        if raison:
            raise ValidationError(raison)
        return mentor


class ImportForm(DsfrFormMixin, forms.Form):
    submit_label = "Lire le fichier"
    fichier = forms.FileField(
        label="Export SIECLE",
        help_text=(
            "ElevesSansAdresses.xml, l’archive zip qui le contient, ou un export CSV (séparateur point-virgule). "
            f"{siecle.TAILLE_MAX // (1024 * 1024)} Mo au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.zip,.csv,.txt"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        # The size is known from the upload handler before anything is read into memory.
        if fichier.size > siecle.TAILLE_MAX:
            raise ValidationError(
                f"Le fichier dépasse la taille maximale ({siecle.TAILLE_MAX // (1024 * 1024)} Mo).", code="taille"
            )
        return fichier


class InviterMentorForm(MentorForm):
    """The mentor's record on this LP, and the address the invitation goes to."""

    submit_label = "Enregistrer et envoyer l’invitation"

    class Meta(MentorForm.Meta):
        fields = [
            "nom",
            "prenom",
            "email",
            "telephone",
            "entreprise",
            "metier",
            "secteur",
            "capacite",
            "disponibilites",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = (
            "L’invitation y est envoyée. Une personne déjà mentor d’un autre lycée garde son compte "
            "et sa vérification d’honorabilité."
        )


class ImportMentorsForm(ImportForm):
    submit_label = "Lire le fichier"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].label = "Liste des mentors (CSV)"
        self.fields["fichier"].help_text = (
            "Une ligne par mentor, séparateur point-virgule ou virgule. "
            f"{siecle.TAILLE_MAX // (1024 * 1024)} Mo au plus."
        )
        self.fields["fichier"].widget.attrs["accept"] = ".csv,.txt"


class ConfirmerImportMentorsForm(DsfrFormMixin, forms.Form):
    submit_label = "Confirmer l’import"
    envoyer_invitations = forms.BooleanField(
        label="Envoyer les invitations",
        required=False,
        initial=True,
        help_text="Chaque mentor reçoit un lien pour créer son compte (ou relier son compte existant).",
    )


class ReconductionForm(DsfrFormMixin, forms.Form):
    """Both agreements a renewal into next year needs, each with its date."""

    submit_label = "Reconduire le binôme"
    accord_mentor_le = forms.DateField(
        label="Date de l’accord du mentor",
        widget=DateInput,
        validators=[DatePlausible()],
        help_text="Le mentor accepte de poursuivre l’accompagnement l’an prochain.",
    )
    accord_eleve_le = forms.DateField(
        label="Date de l’accord de l’élève",
        widget=DateInput,
        validators=[DatePlausible()],
        help_text="L’élève souhaite poursuivre avec le même mentor.",
    )


# --- PFMP periods -----------------------------------------------------------------------------


class PeriodePFMPForm(DsfrFormMixin, forms.ModelForm):
    """One PFMP period of a class; the LP's classes are offered as suggestions."""

    class Meta:
        model = PeriodePFMP
        fields = ["classe", "debut", "fin", "libelle"]
        widgets = {"debut": DateInput(), "fin": DateInput()}

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classe"].widget.attrs["list"] = "classes-connues"
        self.classes = classes


class ImportPFMPForm(DsfrFormMixin, forms.Form):
    submit_label = "Importer les périodes"
    fichier = forms.FileField(
        label="Fichier CSV des PFMP",
        help_text=(
            "Une période par ligne : Classe ; Début ; Fin ; Libellé (facultatif), dates au format jj/mm/aaaa. "
            f"{pfmp.tableur.TAILLE_MAX // (1024 * 1024)} Mo au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > pfmp.tableur.TAILLE_MAX:
            raise ValidationError(
                f"Le fichier dépasse la taille maximale ({pfmp.tableur.TAILLE_MAX // (1024 * 1024)} Mo).", code="taille"
            )
        return fichier


class ObjectifForm(DsfrFormMixin, forms.Form):
    """A new objective: one of the cadrage's, or free."""

    submit_label = "Ajouter l’objectif"
    du_cadrage = forms.ChoiceField(label="Reprendre un objectif du document de cadrage", required=False)
    libelle = forms.CharField(
        label="Ou écrire un objectif libre",
        max_length=200,
        required=False,
        help_text="Une phrase courte, choisie avec l’élève, sans donnée personnelle.",
    )

    def __init__(self, *args, objectifs_cadrage: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["du_cadrage"].choices = [("", "—")] + [(str(i), o) for i, o in enumerate(objectifs_cadrage)]
        self.objectifs_cadrage = objectifs_cadrage
        if not objectifs_cadrage:
            del self.fields["du_cadrage"]
            self.fields["libelle"].label = "Objectif"
            self.fields["libelle"].required = True

    def clean(self):
        donnees = super().clean()
        choix, libelle = donnees.get("du_cadrage"), (donnees.get("libelle") or "").strip()
        if choix and libelle:
            self.add_error("libelle", "Reprenez un objectif du cadrage ou écrivez-en un, pas les deux.")
        elif not choix and not libelle and "libelle" not in self.errors:
            self.add_error("libelle", "Choisissez un objectif du cadrage ou écrivez-en un.")
        elif choix:
            donnees["libelle"] = self.objectifs_cadrage[int(choix)]
            donnees["origine"] = OrigineObjectif.CADRAGE
        else:
            donnees["libelle"] = libelle
            donnees["origine"] = OrigineObjectif.LIBRE
        return donnees


class ObjectifModifierForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = ObjectifBinome
        fields = ["libelle", "statut"]

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone

from binomes.models import StatutObjectif
from etablissements.models import Entreprise
from socle.crispy_dsfr import DateInput, DsfrFormHelper, Fieldset, TimeInput
from socle.forms import ChoixModelesMultiples, DsfrFormMixin
from socle.grille import GrilleChoix

from .models import (
    ActionSuivi,
    AvisEleve,
    CategorieInvite,
    EntretienAbsence,
    Evenement,
    InvitationEvenement,
    NoteMentor,
    PreferenceRappel,
    Presence,
    ReponseInvitation,
    ReponseRappel,
    ReunionSuivi,
    Seance,
    StatutSeance,
    TypeSeance,
)
from .models.communication import NOMBRE_MAX

NON_CONCERNE = ""


class SeanceForm(forms.ModelForm):
    class Meta:
        model = Seance
        fields = [
            "type",
            "date",
            "heure",
            "duree",
            "lieu",
            "lieu_precision",
            "statut",
            "competences",
            "compte_rendu",
        ]
        widgets = {
            "date": DateInput(),
            "heure": TimeInput(),
            "competences": forms.Textarea(attrs={"rows": 2}),
            "compte_rendu": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"compte_rendu": "Quelques lignes : ce qui a été travaillé, la suite prévue."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = DsfrFormHelper(self, submit_label=None)
        self.helper.form_tag = False
        # The page's form writes its CSRF token: the drawing holds none, and is kept (socle.dessins).
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "La séance",
                "type",
                "date",
                "heure",
                "duree",
                "lieu",
                "lieu_precision",
                InlineRadios("statut"),
                "competences",
                "compte_rendu",
            )
        )
        self.fields["statut"].widget = forms.RadioSelect(choices=StatutSeance.choices)

    def clean(self):
        donnees = super().clean()
        if donnees.get("type") == TypeSeance.CO_INTERVENTION and not donnees.get("competences"):
            self.add_error("competences", "Indiquez les compétences du référentiel travaillées en co-intervention.")
        return donnees


class GrillePresences(GrilleChoix):
    """The attendance grid: a row of presence buttons per person of the LP, rows grouped by binôme.

    `personnes` maps each key of the LP ("m12", "e34") to a `Personne` (its label); `groupes` maps
    a key to the title of its group ("Binôme : …"); the view orders the rows so that each group's
    rows follow each other. A posted row must name someone of the LP, once.
    """

    nom_cle = "personne"
    nom_choix = "presence"
    choix = [(NON_CONCERNE, "Non concerné")] + list(Presence.choices)
    vide = "Aucun élève ni mentor enregistré dans ce lycée."
    libelle_inconnu = "Participant non reconnu"
    message_doublon = "Cette personne figure déjà plus haut dans la liste."

    def __init__(self, data=None, *, personnes, groupes, lignes=()):
        self.personnes = personnes
        self.groupes = groupes
        super().__init__(data, prefix="p", lignes=lignes)

    def libelle(self, cle):
        personne = self.personnes.get(cle)
        return personne.libelle if personne is not None else self.libelle_inconnu

    def groupe(self, cle):
        return self.groupes.get(cle, "")

    def erreur_cle(self, cle):
        return None if cle in self.personnes else "Participant inconnu pour cet établissement."


class DeclarationAbsenceForm(DsfrFormMixin, forms.Form):
    submit_label = "Déclarer l’absence"

    participation = forms.ChoiceField(label="Qui sera absent ?")
    motif = forms.CharField(
        label="Motif", max_length=255, required=False, help_text="Facultatif : pas de détail médical ni familial."
    )

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = {str(p.pk): p for p in participations}
        self.fields["participation"].choices = [("", "Choisissez")] + [
            (str(p.pk), str(p.eleve or p.mentor) + (" (mentor)" if p.mentor_id else "")) for p in participations
        ]

    def clean_participation(self):
        return self.participations[self.cleaned_data["participation"]]


class EntretienAbsenceForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = EntretienAbsence
        fields = ["assigne_a", "echeance", "fait", "fait_le", "issue"]
        widgets = {"echeance": DateInput(), "fait_le": DateInput()}

    def __init__(self, *args, responsables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigne_a"].queryset = responsables

    def clean(self):
        donnees = super().clean()
        if donnees.get("fait") and not donnees.get("issue"):
            self.add_error("issue", "Indiquez en quelques mots l’issue de l’entretien.")
        fait_le = donnees.get("fait_le")
        if donnees.get("fait") and not fait_le and "fait_le" not in self.errors:
            self.add_error("fait_le", "Indiquez la date à laquelle l’entretien a été mené.")
        if fait_le and not donnees.get("fait"):
            self.add_error("fait", "Cochez « entretien mené » si l’entretien a eu lieu, ou effacez sa date.")
        if fait_le and fait_le < self.instance.seance.date:
            self.add_error(
                "fait_le",
                f"L’entretien suit l’absence du {self.instance.seance.date:%d/%m/%Y} : il ne peut pas être mené avant.",
            )
        if fait_le and fait_le > timezone.localdate():
            self.add_error("fait_le", "Un entretien mené ne peut pas être daté dans le futur.")
        return donnees


class ReunionSuiviForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = ReunionSuivi
        fields = ["type", "date", "partenaire", "participants", "points", "decisions"]
        widgets = {
            "date": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "points": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partenaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partenaire"].queryset = partenaires
        self.helper.form_tag = False
        self.helper.inputs = []


class ActionSuiviForm(forms.ModelForm):
    class Meta:
        model = ActionSuivi
        fields = ["libelle", "responsable", "echeance", "faite"]
        widgets = {"echeance": DateInput()}


class BaseActionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = DsfrFormHelper(submit_label=None)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


ActionSuiviFormSet = forms.inlineformset_factory(
    ReunionSuivi, ActionSuivi, form=ActionSuiviForm, formset=BaseActionFormSet, extra=2, can_delete=True
)


class EvenementForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Evenement
        fields = [
            "type",
            "date",
            "heure",
            "lieu",
            "description",
            "entreprises_invitees",
            "autres_entreprises_invitees",
        ]
        field_classes = {"entreprises_invitees": ChoixModelesMultiples}
        widgets = {
            "date": DateInput(),
            "heure": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "entreprises_invitees": forms.CheckboxSelectMultiple,
            "autres_entreprises_invitees": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, etablissement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprises_invitees"].queryset = Entreprise.objects.filter(etablissement=etablissement)


class AvisEleveForm(forms.ModelForm):
    """The student's three questions, answered on a phone: large radio buttons, nothing to type."""

    class Meta:
        model = AvisEleve
        fields = ["ressenti", "utilite", "continuer"]
        widgets = {"ressenti": forms.RadioSelect, "utilite": forms.RadioSelect, "continuer": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            # A ModelForm's radio choices start with the blank "---------" choice: the student must pick one.
            champ.choices = [choix for choix in champ.choices if choix[0]]
        self.helper = DsfrFormHelper(self, submit_label="Envoyer mon avis")


class InvitationsEvenementForm(DsfrFormMixin, forms.Form):
    submit_label = "Inviter"

    categories = forms.MultipleChoiceField(
        label="Qui inviter ?",
        choices=CategorieInvite.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque personne n’est invitée qu’une fois, même si l’envoi est refait plus tard.",
    )


class ReponseInvitationForm(forms.Form):
    reponse = forms.ChoiceField(
        label="Serez-vous présent ?",
        choices=[(ReponseInvitation.VIENDRA, "Oui, je viendrai"), (ReponseInvitation.NE_VIENDRA_PAS, "Non")],
        widget=forms.RadioSelect,
    )
    nombre = forms.IntegerField(
        label="Nombre de personnes",
        min_value=1,
        max_value=NOMBRE_MAX,
        initial=1,
        help_text=f"Vous compris, de 1 à {NOMBRE_MAX}.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = DsfrFormHelper(self, submit_label="Envoyer ma réponse")


class PresencesEvenementForm(forms.Form):
    presents = forms.ModelMultipleChoiceField(
        label="Présents",
        queryset=InvitationEvenement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, evenement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].queryset = InvitationEvenement.objects.filter(evenement=evenement)
        self.fields["presents"].label_from_instance = lambda i: f"{i.nom} ({i.get_reponse_display().lower()})"
        self.helper = DsfrFormHelper(self, submit_label="Enregistrer les présences")
        self.helper.form_tag = False


class PreferenceRappelForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = PreferenceRappel
        fields = ["actif", "delai"]


class ReponseRappelForm(DsfrFormMixin, forms.Form):
    submit_label = "Envoyer ma réponse"

    reponse = forms.ChoiceField(
        label="Votre réponse",
        choices=[
            (ReponseRappel.CONFIRMEE, "Je serai présent(e)"),
            (ReponseRappel.EMPECHEMENT, "J’ai un empêchement"),
        ],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label="Motif de l’empêchement",
        max_length=255,
        required=False,
        help_text="Facultatif : pas de détail médical ni familial. Le référent et le coordonnateur le liront.",
    )


class NoteMentorForm(forms.ModelForm):
    """The mentor's few words after a séance, typed on a phone: two short texts and three boxes."""

    a_eu_lieu = forms.TypedChoiceField(
        label="La séance a-t-elle eu lieu ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda valeur: valeur == "oui",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = NoteMentor
        fields = ["a_eu_lieu", "fait", "suite", "besoin_aide_referent", "difficulte_eleve", "absence_non_prevenue"]
        widgets = {"fait": forms.Textarea(attrs={"rows": 3}), "suite": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "fait": "En quelques mots. Ni santé, ni situation familiale de l’élève.",
            "suite": "Le prochain rendez-vous, ce que chacun prépare.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The radio's choices are words: the instance's boolean (True for a new note) picks one.
        self.initial["a_eu_lieu"] = "oui" if self.instance.a_eu_lieu else "non"
        self.helper = DsfrFormHelper(self, submit_label="Enregistrer ma note")
        self.helper.layout = Layout(
            InlineRadios("a_eu_lieu"),
            "fait",
            "suite",
            Fieldset(
                "Un besoin à signaler ?",
                "besoin_aide_referent",
                "difficulte_eleve",
                "absence_non_prevenue",
                hint="Le référent mentorat et le coordonnateur sont prévenus aussitôt.",
            ),
        )


class AvancementObjectifsForm(forms.Form):
    """Per objective of each binôme of the séance: a short note and its status after the séance."""

    def __init__(self, *args, binomes, deja: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectifs = {}
        fieldsets = []
        for binome in binomes:
            noms = []
            for objectif in binome.objectifs_suivis.all():
                avant = deja.get(objectif.pk)
                self.objectifs[objectif.pk] = objectif
                self.fields[f"statut_{objectif.pk}"] = forms.ChoiceField(
                    label=f"Statut de « {objectif.libelle} » après la séance",
                    choices=StatutObjectif.choices,
                    initial=avant.statut_apres if avant else objectif.statut,
                )
                self.fields[f"note_{objectif.pk}"] = forms.CharField(
                    label=f"Avancement de « {objectif.libelle} »",
                    max_length=300,
                    required=False,
                    initial=avant.note if avant else "",
                    help_text="En quelques mots, sans donnée sensible.",
                )
                noms += [f"statut_{objectif.pk}", f"note_{objectif.pk}"]
            if noms:
                fieldsets.append(Fieldset(f"Binôme {binome.mentor} – {binome.eleve}", *noms))
        self.deja = deja
        self.helper = DsfrFormHelper(submit_label="Enregistrer l’avancement")
        self.helper.layout = Layout(*fieldsets)

    def saisies(self) -> list[tuple]:
        """(objectif, note, statut) for each objective with something to record: a note, a new
        status, or a row already noted at this séance (to correct it)."""
        resultat = []
        for pk, objectif in self.objectifs.items():
            note = self.cleaned_data[f"note_{pk}"].strip()
            statut = self.cleaned_data[f"statut_{pk}"]
            if note or statut != objectif.statut or pk in self.deja:
                resultat.append((objectif, note, statut))
        return resultat

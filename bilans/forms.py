from django import forms

from socle.crispy_dsfr import DateInput, DsfrFormHelper
from socle.forms import DsfrFormMixin
from socle.validators import DatePlausible

from .enquetes import NOTES
from .models import BilanQualitatif, IndicateurPersonnalise, Situation


class InvitationsForm(DsfrFormMixin, forms.Form):
    submit_label = "Créer les liens"

    nombre = forms.IntegerField(
        label="Nombre de liens à créer",
        min_value=1,
        max_value=500,
        help_text="Un lien par personne interrogée ; chaque lien ne sert qu’une fois.",
    )


class ReponseForm(forms.Form):
    """The questionnaire of one population: one 1–4 rating per question and an optional comment."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        champs = {
            f"q_{question.code}": forms.TypedChoiceField(
                label=question.libelle, choices=NOTES, coerce=int, widget=forms.RadioSelect
            )
            for question in questions
        }
        champs["commentaire"] = forms.CharField(
            label="Un commentaire, une suggestion ?",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Facultatif. N’y indiquez ni nom ni information personnelle.",
        )
        self.fields.update(champs)
        self.helper = DsfrFormHelper(self, submit_label="Envoyer mes réponses")

    def notes(self):
        return {nom.removeprefix("q_"): valeur for nom, valeur in self.cleaned_data.items() if nom.startswith("q_")}


class ResultatForm(forms.Form):
    """One student's row in the per-class entry table."""

    eleve = forms.IntegerField(widget=forms.HiddenInput)
    presente = forms.BooleanField(label="Présenté", required=False)
    admis = forms.BooleanField(label="Admis", required=False)
    situation = forms.ChoiceField(label="Situation", choices=Situation.choices, required=False)
    situation_le = forms.DateField(label="Constatée le", required=False, widget=DateInput, validators=[DatePlausible()])

    def clean(self):
        donnees = super().clean()
        if donnees.get("admis") and not donnees.get("presente"):
            self.add_error("admis", "Un élève admis a forcément été présenté à l’examen.")
        if donnees.get("situation") and not donnees.get("situation_le"):
            self.add_error("situation_le", "Indiquez la date à laquelle la situation a été constatée.")
        return donnees


ResultatFormSet = forms.formset_factory(ResultatForm, extra=0)


class BilanQualitatifForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = BilanQualitatif
        fields = ["relations_partenaires", "difficultes", "ameliorations"]
        widgets = {nom: forms.Textarea(attrs={"rows": 5}) for nom in fields}
        help_texts = {
            "relations_partenaires": (
                "Avec l’association, les entreprises, les familles : ce qui a bien marché, ce qui a coincé."
            ),
            "difficultes": "Salles, horaires, transports, communication, absences…",
            "ameliorations": "Ce que l’équipe décide de changer l’an prochain (démarche Qualéduc).",
        }


class IndicateurPersonnaliseForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = IndicateurPersonnalise
        fields = ["libelle", "source", "type_seance", "seuil", "cible"]
        help_texts = {
            "libelle": "Tel qu’il est écrit dans le document de cadrage, par exemple « Ateliers CV organisés ».",
            "source": "Ce que l’application compte pour mesurer l’indicateur : un nombre, ou un taux.",
        }

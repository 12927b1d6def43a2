from django import forms

from mentorat.crispy_dsfr import DsfrFormHelper
from mentorat.forms import DsfrFormMixin

from .enquetes import NOTES


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

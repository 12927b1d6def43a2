from django import forms

from mentorat.forms import DsfrFormMixin

from .models import Etablissement, Label


class EtablissementForm(DsfrFormMixin, forms.ModelForm):
    labels = forms.MultipleChoiceField(
        label="Labels", choices=Label.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Etablissement
        fields = ["nom", "uai", "adresse", "code_postal", "commune", "labels", "autre_label"]

    def clean_uai(self):
        return self.cleaned_data["uai"].strip().upper()

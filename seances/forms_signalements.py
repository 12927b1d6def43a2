"""The safeguarding channel's forms: the public one (a student, a parent), the app's, the chef's handling."""

from crispy_forms.layout import HTML, Layout
from django import forms

from binomes.models import Binome, Mentor, QualiteDeclarant, Signalement, StatutSignalement
from socle.crispy_dsfr import DsfrFormHelper, Fieldset

QUALITES_PUBLIQUES = [
    (QualiteDeclarant.ELEVE, QualiteDeclarant.ELEVE.label),
    (QualiteDeclarant.PARENT, QualiteDeclarant.PARENT.label),
    (QualiteDeclarant.AUTRE, QualiteDeclarant.AUTRE.label),
]
# The honeypot: a field no person sees (hidden by the page), that a form-filling robot fills.
CHAMP_PIEGE = "site_web"


class SignalementPublicForm(forms.ModelForm):
    """What a student or a parent says, from a phone, without an account."""

    qualite = forms.ChoiceField(label="Vous êtes", choices=QUALITES_PUBLIQUES, widget=forms.RadioSelect)
    site_web = forms.CharField(label="Ne remplissez pas ce champ", required=False)

    class Meta:
        model = Signalement
        fields = ["qualite", "texte", "contact"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "texte": "Décrivez ce qui s’est passé, avec vos mots : quand, où, avec qui.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = DsfrFormHelper(self, submit_label="Envoyer le signalement")
        self.helper.layout = Layout(
            "qualite",
            "texte",
            "contact",
            # Hidden from people (display: none, so from screen readers too), left to robots.
            HTML(
                '<div class="fr-hidden" aria-hidden="true"><label for="id_site_web">Ne remplissez pas ce champ'
                '</label><input type="text" name="site_web" id="id_site_web" tabindex="-1" autocomplete="off">'
                "</div>"
            ),
        )

    def est_un_robot(self) -> bool:
        return bool(self.cleaned_data.get(CHAMP_PIEGE))


class SignalementForm(forms.ModelForm):
    """A signalement filed from the app: who files it is known from the account."""

    class Meta:
        model = Signalement
        fields = ["texte", "mentor", "binome"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "texte": "Décrivez les faits, avec précision : quand, où, qui. Seuls le chef d’établissement "
            "et le référent mentorat le liront.",
            "mentor": "Facultatif.",
            "binome": "Facultatif.",
        }

    def __init__(self, *args, mentors, binomes, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the filer already reads: a mentor sees themself and their own binômes.
        self.fields["mentor"].queryset = mentors
        self.fields["binome"].queryset = binomes
        self.helper = DsfrFormHelper(self, submit_label="Envoyer le signalement")


class SignalementTraiterForm(forms.ModelForm):
    class Meta:
        model = Signalement
        fields = ["statut", "mentor", "binome"]

    def __init__(self, *args, etablissement_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.filter(etablissement_id=etablissement_id)
        self.fields["binome"].queryset = Binome.objects.filter(
            dispositif__etablissement_id=etablissement_id
        ).select_related("mentor", "eleve")
        self.fields["statut"].choices = StatutSignalement.choices
        self.helper = DsfrFormHelper(self, submit_label="Enregistrer")
        self.helper.layout = Layout(Fieldset("Suivi du signalement", "statut", "mentor", "binome"))

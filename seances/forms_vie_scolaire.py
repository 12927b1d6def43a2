"""Forms of the vie scolaire's absences: the export upload, its column mapping, the daily list."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from binomes.tableur import TAILLE_MAX
from socle.forms import DsfrFormMixin

from .vie_scolaire import CHAMPS, LIBELLES, colonnes_manquantes

AIDES = {
    "ine": "L’élève est reconnu par son INE d’abord, sinon par son nom et son prénom.",
    "nom": "Si une seule colonne porte le nom et le prénom, choisissez-la pour les deux.",
    "date_naissance": "Facultative : distingue deux élèves de même nom.",
    "classe": "Facultative : distingue deux élèves de même nom.",
    "date": "JJ/MM/AAAA (une heure qui suit la date est lue aussi).",
    "heure_debut": "HH:MM. Sans heures, l’absence couvre toute la journée.",
    "heure_fin": "HH:MM. Sans heures, l’absence couvre toute la journée.",
    "justifiee": "Oui ou non (O/N, 1/0, X). Sans cette colonne, les absences sont non justifiées.",
}


class ImportAbsencesForm(DsfrFormMixin, forms.Form):
    submit_label = "Lire le fichier"
    fichier = forms.FileField(
        label="Export des absences",
        help_text=(
            "Fichier CSV exporté du logiciel de vie scolaire (Pronote, EcoleDirecte…), séparateur point-virgule, "
            f"virgule ou tabulation. {TAILLE_MAX // (1024 * 1024)} Mo au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        # The size is known from the upload handler before anything is read into memory.
        if fichier.size > TAILLE_MAX:
            raise ValidationError(f"Le fichier dépasse la taille maximale ({TAILLE_MAX // (1024 * 1024)} Mo).")
        return fichier


class CorrespondanceForm(forms.Form):
    """Which column of this file holds each field (offered: the LP's remembered choice)."""

    def __init__(self, *args, entetes: list, **kwargs):
        super().__init__(*args, **kwargs)
        choix = [("", "— Aucune colonne —")] + [
            (str(i), str(entete) or f"Colonne {i + 1}") for i, entete in enumerate(entetes)
        ]
        for champ in CHAMPS:
            self.fields[champ] = forms.TypedChoiceField(
                label=LIBELLES[champ],
                choices=choix,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=AIDES.get(champ, ""),
            )
        # The fields exist only now: the helper is built after them.
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", "Utiliser ces colonnes"))

    def clean(self):
        colonnes = {champ: self.cleaned_data.get(champ) for champ in CHAMPS}
        for champ, raison in colonnes_manquantes(colonnes).items():
            if champ not in self.errors:
                self.add_error(champ, raison)
        return self.cleaned_data


class AppelForm(forms.Form):
    """The daily list: the students ticked absent, and among them those whose absence is justified."""

    absents = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    justifiees = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        choix = [(str(p.pk), str(p.eleve)) for p in participations]
        self.fields["absents"].choices = choix
        self.fields["justifiees"].choices = choix

    def clean(self):
        absents = set(self.cleaned_data.get("absents") or [])
        if set(self.cleaned_data.get("justifiees") or []) - absents:
            self.add_error("justifiees", "Ne cochez « justifiée » que pour un élève coché absent.")
        elif not absents and not self.errors:
            raise ValidationError("Cochez au moins un élève absent.")
        return self.cleaned_data

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class ChoixModelesMultiples(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids outside the database's integer range.

    Django checks each submitted id by building (not running) a query, then runs
    `pk__in=[...]`: SQLite raises OverflowError on an integer beyond 64 bits, a 500 on a
    forged POST, whereas Django's other integer lookups already treat such values as
    matching nothing. Use it for every multiple choice of objects (`field_classes` on a
    ModelForm's many-to-many field).
    """

    def _check_values(self, value):
        modele = self.queryset.model
        champ = modele._meta.get_field(self.to_field_name) if self.to_field_name else modele._meta.pk
        if isinstance(champ, models.IntegerField):
            ops = connections[self.queryset.db].ops
            minimum, maximum = ops.integer_field_range(champ.get_internal_type())
            for valeur in value:
                try:
                    entier = int(valeur)
                except (TypeError, ValueError):
                    continue  # Django's own check refuses it
                if (minimum is not None and entier < minimum) or (maximum is not None and entier > maximum):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": valeur}
                    )
        return super()._check_values(value)


class DsfrFormMixin:
    """Gives a form its crispy helper: DSFR markup and a French submit button."""

    submit_label = "Enregistrer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))


class ConnexionForm(DsfrFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Se connecter"

    # max_length validates here (AuthenticationForm only sets it on the widget): an overlong
    # address never reaches authenticate(), whose failure axes records in a varchar(255).
    username = auth_forms.UsernameField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class MotDePasseOublieForm(DsfrFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Recevoir un lien"


class NouveauMotDePasseForm(DsfrFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Changer le mot de passe"


class CodeOTPForm(DsfrFormMixin, forms.Form):
    submit_label = "Valider"

    code = forms.CharField(
        label="Code à 6 chiffres",
        min_length=6,
        max_length=6,
        help_text="Le code affiché par votre application d’authentification.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("Le code ne contient que des chiffres.")
        return code

from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import Q
from django.utils import timezone

from socle.crispy_dsfr import DateInput, DsfrFormHelper, Fieldset
from socle.forms import ChoixModelesMultiples, DsfrFormMixin
from socle.models import User
from socle.roles import Role
from socle.validators import DatePlausible, valider_siret

from .models import (
    Affectation,
    Comite,
    Convention,
    Diagnostic,
    Entreprise,
    Etablissement,
    Formation,
    Jalon,
    LigneBudget,
    MembreEquipe,
    PagePublique,
    Partenaire,
    VersionCadrage,
)
from .models.budget import TypeLigneBudget
from .models.cadrage import ActivitePrevue, IndicateurSuivi
from .models.convention import POINTS_DE_VIGILANCE
from .models.diagnostic import SourceDiagnostic, TypeMentorat
from .models.etablissement import Label
from .models.jalon import StatutJalon
from .services import CHAMPS_CADRAGE, CHAMPS_CONVENTION


def _cases(label, choices, **kwargs):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class EtablissementForm(DsfrFormMixin, forms.ModelForm):
    labels = _cases("Labels", Label.choices)

    class Meta:
        model = Etablissement
        fields = ["nom", "uai", "adresse", "code_postal", "commune", "zone_vacances", "labels", "autre_label"]

    def clean_uai(self):
        return self.cleaned_data["uai"].strip().upper()


class FormationForm(forms.ModelForm):
    class Meta:
        model = Formation
        fields = ["diplome", "specialite", "secteur"]


FormationFormSet = forms.inlineformset_factory(
    Etablissement, Formation, form=FormationForm, extra=1, can_delete=True, max_num=60
)


def helper_formset():
    """Helper of a formset rendered inside the page's own <form>."""
    helper = DsfrFormHelper(submit_label=None)
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class DispositifCreerForm(DsfrFormMixin, forms.Form):
    submit_label = "Créer le dispositif"

    annee = forms.TypedChoiceField(label="Année scolaire", coerce=int)
    copier = forms.BooleanField(
        label="Reprendre l’équipe, le partenaire, la convention et le document de cadrage de l’année précédente",
        help_text="Ils sont repris comme brouillons : le cadrage est à valider à nouveau ; la convention est à "
        "signer, ou, si celle de l’année précédente est signée avec le même partenaire, à reconduire par avenant.",
        required=False,
    )

    def __init__(self, *args, annees, precedent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(a, f"{a}-{a + 1}") for a in annees]
        if precedent is None:
            del self.fields["copier"]
        else:
            self.fields["copier"].label += f" ({precedent.annee_scolaire})"
            self.fields["copier"].initial = True


class DiagnosticForm(DsfrFormMixin, forms.ModelForm):
    sources = _cases(
        "Sources utilisées", SourceDiagnostic.choices, help_text="Cochez tout ce qui a nourri la réflexion."
    )
    types_mentorat = _cases("Type de mentorat retenu", TypeMentorat.choices)

    class Meta:
        model = Diagnostic
        fields = [
            "date_reflexion",
            "participants",
            "sources",
            "autres_sources",
            "constats",
            "besoins",
            "types_mentorat",
            "type_mentorat_autre",
            "public_cible",
            "formations_ciblees",
        ]
        field_classes = {"formations_ciblees": ChoixModelesMultiples}
        widgets = {
            "date_reflexion": DateInput(),
            "formations_ciblees": forms.CheckboxSelectMultiple,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "constats": forms.Textarea(attrs={"rows": 4}),
            "besoins": forms.Textarea(attrs={"rows": 4}),
            "public_cible": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, etablissement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formations_ciblees"].queryset = Formation.objects.filter(etablissement=etablissement)
        self.helper.layout = Layout(
            Fieldset("La réflexion collective", "date_reflexion", "participants"),
            Fieldset("Les sources", "sources", "autres_sources", "constats"),
            Fieldset("Les besoins", "besoins"),
            Fieldset(
                "La décision",
                "types_mentorat",
                "type_mentorat_autre",
                "public_cible",
                "formations_ciblees",
            ),
        )


class PartenaireForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Partenaire
        fields = ["nom", "type", "plan_1j1m", "adresse", "email", "telephone"]


class PartenaireChoixForm(DsfrFormMixin, forms.Form):
    """The LP picks its partner from its académie's list, or describes a new one.

    The list is the académie's (the « 1 jeune, 1 mentor » laureates first, flagged in the
    label). Describing a new association stays possible, under a legend that says it is
    not on the list: an académie may not have drawn up its list yet, and an LP must not
    wait for it to start its dispositif. The new association is put on the académie's
    list, where the administrator sees it (and may take it off).
    """

    submit_label = "Enregistrer le partenaire et préparer la convention"

    partenaire = forms.ModelChoiceField(
        label="Association de la liste de l’académie",
        queryset=Partenaire.objects.none(),
        required=False,
        help_text="Les associations que l’académie a inscrites sur sa liste ; "
        "les lauréates du plan « 1 jeune, 1 mentor » en premier.",
    )
    nom = forms.CharField(label="Ou nouveau partenaire : nom", max_length=200, required=False)
    type = forms.ChoiceField(label="Type", choices=Partenaire._meta.get_field("type").choices, required=False)
    plan_1j1m = forms.BooleanField(label="Lauréat du plan « 1 jeune, 1 mentor »", required=False)
    email = forms.EmailField(label="Adresse électronique", required=False)
    telephone = forms.CharField(label="Téléphone", max_length=20, required=False)

    def __init__(self, *args, user, dispositif, **kwargs):
        super().__init__(*args, **kwargs)
        champ = self.fields["partenaire"]
        champ.queryset = (
            Partenaire.objects.filter(academies=dispositif.etablissement.academie_id)
            .exclude(conventions__dispositif=dispositif)
            .order_by("-plan_1j1m", "nom")
        )
        champ.label_from_instance = libelle_partenaire
        if not champ.queryset.exists():
            champ.help_text = (
                "L’académie n’a encore inscrit aucune association sur sa liste : décrivez la vôtre ci-dessous."
            )
        self.helper.layout = Layout(
            Fieldset("Une association de la liste de l’académie", "partenaire"),
            Fieldset(
                "Ou une association qui n’est pas sur la liste",
                "nom",
                "type",
                "plan_1j1m",
                "email",
                "telephone",
                hint="Elle sera ajoutée à la liste de l’académie.",
            ),
        )

    def clean(self):
        donnees = super().clean()
        if donnees.get("partenaire") and donnees.get("nom"):
            raise forms.ValidationError("Choisissez un partenaire connu ou décrivez-en un nouveau, pas les deux.")
        if not donnees.get("partenaire") and not (donnees.get("nom") or "").strip():
            raise forms.ValidationError("Choisissez un partenaire connu ou indiquez le nom du nouveau partenaire.")
        return donnees


def libelle_partenaire(partenaire) -> str:
    if partenaire.plan_1j1m:
        return f"{partenaire.nom} — lauréat « 1 jeune, 1 mentor »"
    return partenaire.nom


class LyceeCreerForm(DsfrFormMixin, forms.ModelForm):
    """A new LP of the académie, and optionally its chef, invited at once."""

    submit_label = "Créer le lycée"

    chef_email = forms.EmailField(
        label="Adresse électronique du chef d’établissement",
        max_length=254,
        required=False,
        help_text="Facultatif : il reçoit une invitation valable 7 jours.",
    )
    chef_prenom = forms.CharField(label="Prénom du chef d’établissement", max_length=150, required=False)
    chef_nom = forms.CharField(label="Nom du chef d’établissement", max_length=150, required=False)

    class Meta:
        model = Etablissement
        fields = ["nom", "uai", "adresse", "code_postal", "commune"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset("Le lycée", "nom", "uai", "adresse", "code_postal", "commune"),
            Fieldset("Son chef d’établissement", "chef_email", "chef_prenom", "chef_nom"),
        )

    def clean_uai(self):
        return self.cleaned_data["uai"].strip().upper()

    def validate_unique(self):
        # The service names the LP that already holds the UAI.
        pass


class PartenaireAcademieForm(PartenaireForm):
    """A new association of the académie's list."""

    submit_label = "Ajouter à la liste"


class PartenaireInscrireForm(DsfrFormMixin, forms.Form):
    """Put on the académie's list an association another académie already lists."""

    submit_label = "Ajouter à la liste"

    partenaire = forms.ModelChoiceField(label="Association", queryset=Partenaire.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partenaire"].queryset = queryset
        self.fields["partenaire"].label_from_instance = libelle_partenaire


class ConventionForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Convention
        fields = CHAMPS_CONVENTION
        widgets = {
            **{champ: DateInput() for champ in ("date_debut", "date_fin")},
            **{champ: forms.Textarea(attrs={"rows": 3}) for champ, _l, _a in POINTS_DE_VIGILANCE},
            "couts": forms.Textarea(attrs={"rows": 3}),
            "prise_en_charge": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*self.blocs())

    def blocs(self):
        return [
            Fieldset("Période", "date_debut", "date_fin"),
            Fieldset(
                "Points de vigilance",
                *[champ for champ, _l, _a in POINTS_DE_VIGILANCE],
                hint="Chaque point que la fiche demande de régler dans l’accord.",
            ),
            Fieldset("Coûts financiers et prise en charge", "cout_estime", "couts", "prise_en_charge"),
        ]


def _date_signee(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), validators=[DatePlausible()], **kwargs)


def _pas_dans_le_futur(jour):
    if jour and jour > timezone.localdate():
        raise forms.ValidationError("Une date de signature ne peut pas être dans le futur.")
    return jour


class AvenantForm(ConventionForm):
    """The convention's text as the avenant changes it, with the avenant's object and date."""

    submit_label = "Enregistrer l’avenant signé"

    objet = forms.CharField(label="Objet de l’avenant", max_length=255, help_text="Par exemple : prolongation d’un an.")
    date_signature = _date_signee("Date de signature de l’avenant", initial=timezone.localdate)

    def clean_date_signature(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date_signature"))

    def blocs(self):
        return [Fieldset("Avenant", "objet", "date_signature"), *super().blocs()]


class VersionCadrageForm(DsfrFormMixin, forms.ModelForm):
    indicateurs = _cases("Indicateurs de suivi retenus", IndicateurSuivi.choices)
    activites = _cases("Activités prévues", ActivitePrevue.choices)

    class Meta:
        model = VersionCadrage
        fields = CHAMPS_CADRAGE
        widgets = {
            "objectifs": forms.Textarea(attrs={"rows": 4}),
            "public_cible": forms.Textarea(attrs={"rows": 3}),
            "autres_indicateurs": forms.Textarea(attrs={"rows": 2}),
            "activites_precisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []
        self.helper.layout = Layout(
            Fieldset("Objectifs et public", "objectifs", "public_cible"),
            Fieldset("Durée du mentorat", "duree_mois", "duree_precisions"),
            Fieldset("Indicateurs de suivi", "indicateurs", "autres_indicateurs"),
            Fieldset("Activités", "activites", "activites_precisions"),
        )


class ComiteForm(forms.ModelForm):
    class Meta:
        model = Comite
        fields = ["nom", "membres", "frequence"]
        widgets = {"membres": forms.Textarea(attrs={"rows": 2})}


ComiteFormSet = forms.modelformset_factory(Comite, form=ComiteForm, extra=1, can_delete=True, max_num=20)


def comites_saisis(formset) -> list[dict]:
    """The committees of a valid formset, as values, without the deleted and empty rows."""
    return [
        {champ: f.cleaned_data[champ] for champ in ("nom", "membres", "frequence")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class MembreEquipeForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = MembreEquipe
        fields = ["role", "user", "prenom", "nom", "fonction", "email", "telephone", "mission_pacte"]

    def __init__(self, *args, dispositif, **kwargs):
        super().__init__(*args, **kwargs)
        # Accounts of people of this LP, and the coordinators of its partners.
        partenaires = dispositif.conventions.values("partenaire")
        comptes = Affectation.objects.filter(
            Q(etablissement=dispositif.etablissement_id) | Q(role=Role.COORDONNATEUR, partenaire__in=partenaires)
        ).values("user")
        self.fields["user"].queryset = User.objects.filter(pk__in=comptes, is_active=True).order_by("nom", "prenom")
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.email})"


class LigneBudgetForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = LigneBudget
        fields = ["type", "source", "nature", "libelle", "montant", "date"]
        widgets = {"type": forms.RadioSelect, "date": DateInput()}
        help_texts = {
            "source": "Pour une somme allouée : d’où vient l’argent.",
            "nature": "Pour une somme engagée : ce qu’elle paie.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].initial = TypeLigneBudget.ALLOCATION


class JalonForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Jalon
        fields = ["statut", "commentaire"]
        widgets = {"statut": forms.RadioSelect}

    def __init__(self, *args, derive: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        suivre = "Suivre les données de l’application"
        self.fields["statut"].choices = [("", f"{suivre} (aujourd’hui : {derive})" if derive else suivre)] + [
            (valeur, f"Fixer à la main : {libelle}") for valeur, libelle in StatutJalon.choices
        ]
        self.fields["statut"].required = False
        self.fields["statut"].label = "Statut"


class EntrepriseForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Entreprise
        fields = ["nom", "siret", "secteur", "contact_nom", "contact_email", "contact_telephone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Spaces are welcome in the input (« 732 829 320 00074 »); the model keeps 14 digits.
        self.fields["siret"].max_length = 20
        self.fields["siret"].widget.attrs["maxlength"] = 20
        self.fields["siret"].validators = []

    def clean_siret(self):
        siret = "".join(self.cleaned_data["siret"].split())
        if siret:
            valider_siret(siret)
        return siret


class InvitationForm(DsfrFormMixin, forms.Form):
    """An invitation to a role on one place; the roles offered are the ones the user hands out there."""

    submit_label = "Envoyer l’invitation"

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Son adresse professionnelle : le lien d’invitation y sera envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prenom = forms.CharField(label="Prénom", max_length=150, required=False)
    nom = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class AcceptationForm(DsfrFormMixin, auth_forms.SetPasswordForm):
    """The invited person's first password (and their name, as the inviter may not have typed it)."""

    submit_label = "Créer mon compte"
    field_order = ["prenom", "nom", "new_password1", "new_password2"]

    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choisissez un mot de passe"
        self.fields["new_password2"].label = "Confirmez le mot de passe"


class RenvoiForm(DsfrFormMixin, forms.Form):
    """The chef's reason for sending a document back to the référent."""

    submit_label = "Renvoyer pour modification"

    commentaire = forms.CharField(
        label="Ce qu’il faut modifier",
        help_text="Le référent lit ce commentaire avec le document renvoyé.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Dites au référent ce qu’il faut modifier : le commentaire est obligatoire."},
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = action


class SignatureForm(DsfrFormMixin, forms.Form):
    """The chef's signature; the partner's too when its responsable has not recorded it."""

    submit_label = "Signer la convention"

    date_signature = _date_signee("Date de signature pour l’établissement", initial=timezone.localdate)
    signataire_partenaire = forms.CharField(
        label="Signataire pour le partenaire", max_length=200, help_text="Nom et fonction, tels que sur la convention."
    )
    date_signature_partenaire = _date_signee("Date de signature du partenaire")

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        if convention.date_signature_partenaire:
            del self.fields["signataire_partenaire"], self.fields["date_signature_partenaire"]

    def clean_date_signature(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date_signature"))

    def clean_date_signature_partenaire(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date_signature_partenaire"))


class ReconductionForm(DsfrFormMixin, forms.Form):
    """The date the chef and the partner signed the avenant de reconduction."""

    submit_label = "Reconduire par avenant"

    date_signature = _date_signee("Date de signature de l’avenant de reconduction", initial=timezone.localdate)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = action

    def clean_date_signature(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date_signature"))


class SignaturePartenaireForm(DsfrFormMixin, forms.Form):
    submit_label = "Signer pour le partenaire"

    date_signature = _date_signee("Date de signature pour le partenaire", initial=timezone.localdate)

    def clean_date_signature(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date_signature"))


class PagePubliqueForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = PagePublique
        fields = ["publiee", "presentation", "participer_eleve", "devenir_mentor", "contact_email"]
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 5}),
            "participer_eleve": forms.Textarea(attrs={"rows": 3}),
            "devenir_mentor": forms.Textarea(attrs={"rows": 3}),
        }

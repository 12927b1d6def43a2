"""Tests of the crispy_dsfr template pack (socle/templates/crispy_dsfr/, socle/crispy_dsfr.py).

Every rendering is parsed into a small tree (html.parser) and checked for DSFR classes
and accessibility links: label ↔ input, aria-describedby ↔ existing ids, unique ids.
No database is needed.
"""

import datetime

import pytest
from crispy_forms.bootstrap import FormActions, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import (
    HTML,
    Button,
    ButtonHolder,
    Column,
    Div,
    Field,
    Fieldset,
    Hidden,
    Layout,
    Reset,
    Row,
    Submit,
)
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test.html import parse_html

from socle import crispy_dsfr
from tests.outils import LABELLED_CONTROLS, Node, dom, parse

# --- Renderings ------------------------------------------------------------------------


def render(form, helper=None):
    return dom(render_crispy_form(form, helper))


def render_tag(source, **context):
    return dom(Template("{% load crispy_forms_tags %}" + source).render(Context(context)))


def assert_no_error_markup(root):
    html_classes = {cls for node in root.iter() for cls in node.classes}
    assert not {cls for cls in html_classes if cls.endswith("--error")}
    assert "fr-error-text" not in html_classes
    assert "fr-messages-group" not in html_classes
    assert not root.find_all("div", "fr-alert")
    assert not [node for node in root.iter() if "aria-invalid" in node.attrs]


def described_error(root, control, error_class="fr-error-text"):
    """The error element that `control`'s aria-describedby points to."""
    refs = (control.attrs.get("aria-describedby") or "").split()
    errors = [root.by_id(ref) for ref in refs if ref.endswith("-desc-error")]
    assert len(errors) == 1, f"aria-describedby={refs} has no -desc-error id"
    assert set(error_class.split()) <= errors[0].classes
    return errors[0]


# --- Test forms ------------------------------------------------------------------------

NIVEAUX = [("", "Sélectionner un niveau"), ("seconde", "Seconde"), ("premiere", "Première"), ("terminale", "Terminale")]
JOURS = [("lundi", "Lundi"), ("mardi", "Mardi"), ("jeudi", "Jeudi")]
MODES = [("presentiel", "Présentiel"), ("distance", "À distance")]


class ToutesLesSortesForm(forms.Form):
    nom = forms.CharField(label="Nom", help_text="Nom de famille de l'élève")
    courriel = forms.EmailField(label="Courriel", required=False)
    nb_seances = forms.IntegerField(label="Nombre de séances", min_value=1)
    date_debut = forms.DateField(label="Date de début", widget=crispy_dsfr.DateInput())
    heure = forms.TimeField(label="Heure", widget=crispy_dsfr.TimeInput())
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    niveau = forms.ChoiceField(label="Niveau", choices=NIVEAUX)
    accord = forms.BooleanField(label="J'accepte la charte", help_text="Lecture obligatoire")
    jours = forms.MultipleChoiceField(label="Jours disponibles", choices=JOURS, widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label="Mode", choices=MODES, widget=forms.RadioSelect, help_text="Un seul choix")
    piece = forms.FileField(label="Convention signée", help_text="Format PDF, 2 Mo maximum")
    jeton = forms.CharField(widget=forms.HiddenInput)


VALIDE = {
    "nom": "Martin",
    "courriel": "martin@example.org",
    "nb_seances": "4",
    "date_debut": "2025-09-15",
    "heure": "14:30",
    "notes": "RAS",
    "niveau": "premiere",
    "accord": "on",
    "jours": ["lundi", "jeudi"],
    "mode": "distance",
    "jeton": "abc",
}

INVALIDE = {"nom": "", "courriel": "pas-un-courriel", "nb_seances": "0", "date_debut": "2025-13-45", "jeton": ""}


def fichiers_valides():
    return {"piece": SimpleUploadedFile("convention.pdf", b"%PDF-1.4", content_type="application/pdf")}


class PeriodeForm(forms.Form):
    debut = forms.DateField(label="Début", widget=crispy_dsfr.DateInput())
    fin = forms.DateField(label="Fin", widget=crispy_dsfr.DateInput())

    def clean(self):
        data = super().clean()
        if data.get("debut") and data.get("fin") and data["fin"] < data["debut"]:
            raise forms.ValidationError("La fin doit suivre le début.")
        return data


@pytest.fixture
def invalide():
    form = ToutesLesSortesForm(data=INVALIDE)
    assert not form.is_valid()
    return form


# --- Fields, unbound -----------------------------------------------------------------------


def test_formulaire_non_lie_n_a_aucune_marque_d_erreur():
    root = render(ToutesLesSortesForm())
    assert_no_error_markup(root)
    # A FileField makes the form multipart.
    assert root.find("form", method="post", enctype="multipart/form-data")


def test_formulaire_lie_valide_n_a_aucune_marque_d_erreur():
    form = ToutesLesSortesForm(data=VALIDE, files=fichiers_valides())
    assert form.is_valid(), form.errors
    root = render(form)
    assert_no_error_markup(root)
    assert "checked" in root.by_id("id_mode_1").attrs and "checked" not in root.by_id("id_mode_0").attrs
    assert "checked" in root.by_id("id_jours_0").attrs and "checked" not in root.by_id("id_jours_1").attrs


def test_champ_texte_label_marque_obligatoire_et_aide():
    root = render(ToutesLesSortesForm())
    control = root.by_id("id_nom")
    assert control.tag == "input" and control.attrs["type"] == "text"
    assert "fr-input" in control.classes
    group = control.parent
    assert group.tag == "div" and "fr-input-group" in group.classes
    label = group.find("label", "fr-label", **{"for": "id_nom"})
    assert label.text().startswith("Nom *")
    hint = label.find("span", "fr-hint-text")
    assert hint.text() == "Nom de famille de l'élève"
    # Django describes the input by its help text: the id must exist (checked by dom()).
    assert control.attrs["aria-describedby"] == hint.id
    # Optional field: no required marker.
    assert "*" not in root.find("label", **{"for": "id_courriel"}).text()


@pytest.mark.parametrize(
    ("name", "tag", "input_type"),
    [
        ("courriel", "input", "email"),
        ("nb_seances", "input", "number"),
        ("date_debut", "input", "date"),
        ("heure", "input", "time"),
        ("notes", "textarea", None),
    ],
)
def test_types_de_saisie(name, tag, input_type):
    root = render(ToutesLesSortesForm())
    control = root.by_id(f"id_{name}")
    assert control.tag == tag
    assert control.attrs.get("type") == input_type
    assert "fr-input" in control.classes
    assert "fr-input-group" in control.parent.classes
    assert control.parent.find("label", "fr-label", **{"for": f"id_{name}"})


def test_date_et_heure_au_format_iso_quelle_que_soit_la_langue():
    form = ToutesLesSortesForm(initial={"date_debut": datetime.date(2025, 3, 1), "heure": datetime.time(9, 5)})
    root = render(form)
    assert root.by_id("id_date_debut").attrs["value"] == "2025-03-01"
    assert root.by_id("id_heure").attrs["value"] == "09:05"


def test_liste_deroulante():
    root = render(ToutesLesSortesForm())
    select = root.by_id("id_niveau")
    assert select.tag == "select" and "fr-select" in select.classes
    group = select.parent
    assert "fr-select-group" in group.classes
    assert group.find("label", "fr-label", **{"for": "id_niveau"}).text() == "Niveau *"
    assert [option.text() for option in select.find_all("option")][1:] == ["Seconde", "Première", "Terminale"]


def test_case_a_cocher_seule():
    root = render(ToutesLesSortesForm())
    checkbox = root.by_id("id_accord")
    assert checkbox.attrs["type"] == "checkbox"
    group = checkbox.parent
    assert "fr-checkbox-group" in group.classes
    # DSFR order: the input, then its label.
    elements = [child for child in group.children if isinstance(child, Node)]
    assert elements[0] is checkbox and elements[1].tag == "label"
    assert elements[1].attrs["for"] == "id_accord" and "fr-label" in elements[1].classes
    assert elements[1].find("span", "fr-hint-text").text() == "Lecture obligatoire"


@pytest.mark.parametrize(
    ("name", "legend_text", "group_class", "input_type", "labels"),
    [
        ("mode", "Mode * Un seul choix", "fr-radio-group", "radio", ["Présentiel", "À distance"]),
        ("jours", "Jours disponibles *", "fr-checkbox-group", "checkbox", ["Lundi", "Mardi", "Jeudi"]),
    ],
)
def test_boutons_radio_et_cases_multiples_en_fieldset(name, legend_text, group_class, input_type, labels):
    root = render(ToutesLesSortesForm())
    fieldset = root.by_id(f"id_{name}")
    assert fieldset.tag == "fieldset" and "fr-fieldset" in fieldset.classes
    legend = fieldset.find("legend", "fr-fieldset__legend")
    assert legend.text() == legend_text and legend.id == f"id_{name}-legend"
    elements = fieldset.find_all("div", "fr-fieldset__element")
    assert len(elements) == len(labels)
    for index, (element, label_text) in enumerate(zip(elements, labels, strict=True)):
        group = element.find("div", group_class)
        control = group.find("input", type=input_type, name=name)
        assert control.id == f"id_{name}_{index}"
        assert group.find("label", "fr-label", **{"for": control.id}).text() == label_text
    if name == "mode":
        assert legend.find("span", "fr-hint-text").text() == "Un seul choix"
        assert all("required" in option.attrs for option in fieldset.find_all("input"))


def test_champ_fichier():
    root = render(ToutesLesSortesForm())
    upload = root.by_id("id_piece")
    assert upload.attrs["type"] == "file" and upload.classes == {"fr-upload"}
    group = upload.parent
    assert "fr-upload-group" in group.classes
    label = group.find("label", "fr-label", **{"for": "id_piece"})
    assert label.find("span", "fr-hint-text").text() == "Format PDF, 2 Mo maximum"


def test_champ_fichier_avec_fichier_actuel():
    class FichierActuel:
        url = "/media/conventions/c.pdf"

        def __str__(self):
            return "conventions/c.pdf"

    class ConventionForm(forms.Form):
        piece = forms.FileField(label="Convention", required=False)

    root = render(ConventionForm(initial={"piece": FichierActuel()}))
    group = root.find("div", "fr-upload-group")
    assert group.find("a", href="/media/conventions/c.pdf").text() == "conventions/c.pdf"
    assert "Fichier actuel" in group.text()
    clear = group.find("input", type="checkbox", name="piece-clear")
    assert group.find("label", **{"for": clear.id}).text() == "Supprimer le fichier actuel"
    assert group.find("input", type="file", name="piece").classes == {"fr-upload"}


def test_champ_cache_rendu_tel_quel():
    root = render(ToutesLesSortesForm())
    hidden = root.find("input", type="hidden", name="jeton")
    assert hidden.parent.tag == "form"
    assert not root.find_all("label", **{"for": "id_jeton"})


# --- Fields, bound with errors -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "group_class", "control_class", "message"),
    [
        ("nom", "fr-input-group--error", "fr-input--error", "Ce champ est obligatoire."),
        ("courriel", "fr-input-group--error", "fr-input--error", "Saisissez une adresse de courriel valide."),
        ("nb_seances", "fr-input-group--error", "fr-input--error", "supérieure ou égale à 1"),
        ("date_debut", "fr-input-group--error", "fr-input--error", "Saisissez une date valide."),
        ("heure", "fr-input-group--error", "fr-input--error", "Ce champ est obligatoire."),
        ("notes", "fr-input-group--error", "fr-input--error", "Ce champ est obligatoire."),
        ("niveau", "fr-select-group--error", "fr-select--error", "Ce champ est obligatoire."),
        ("piece", "fr-upload-group--error", None, "Ce champ est obligatoire."),
    ],
)
def test_champ_en_erreur(invalide, name, group_class, control_class, message):
    root = render(invalide)
    control = root.by_id(f"id_{name}")
    assert group_class in control.parent.classes
    if control_class:
        assert control_class in control.classes
    assert control.attrs["aria-invalid"] == "true"
    error = described_error(root, control)
    assert error.tag == "p" and error.id == f"id_{name}-desc-error"
    assert message in error.text()
    assert error.parent is control.parent


def test_aide_et_erreur_toutes_deux_dans_aria_describedby(invalide):
    root = render(invalide)
    refs = root.by_id("id_nom").attrs["aria-describedby"].split()
    assert refs == ["id_nom_helptext", "id_nom-desc-error"]


def test_case_a_cocher_seule_en_erreur(invalide):
    root = render(invalide)
    checkbox = root.by_id("id_accord")
    assert "fr-checkbox-group--error" in checkbox.parent.classes
    error = described_error(root, checkbox, "fr-message fr-message--error")
    assert error.text() == "Ce champ est obligatoire."
    assert "fr-messages-group" in error.parent.classes


@pytest.mark.parametrize("name", ["mode", "jours"])
def test_fieldset_en_erreur(invalide, name):
    root = render(invalide)
    fieldset = root.by_id(f"id_{name}")
    assert "fr-fieldset--error" in fieldset.classes
    error = described_error(root, fieldset, "fr-message fr-message--error")
    assert error.text() == "Ce champ est obligatoire."
    messages = error.parent
    assert "fr-messages-group" in messages.classes and messages.parent is fieldset
    for option in fieldset.find_all("input"):
        assert option.attrs["aria-invalid"] == "true"


class PariteForm(forms.Form):
    texte = forms.CharField(label="Texte", max_length=20, widget=forms.TextInput(attrs={"placeholder": "Ex. : Dupont"}))
    texte_libre = forms.CharField(label="Texte libre", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    nombre = forms.DecimalField(label="Nombre", max_digits=5, decimal_places=2)
    mot_de_passe = forms.CharField(label="Mot de passe", widget=forms.PasswordInput)
    desactive = forms.CharField(label="Désactivé", disabled=True, initial="fixe")
    choix_vide = forms.ChoiceField(label="Choix", choices=NIVEAUX)
    choix_plein = forms.ChoiceField(label="Choix plein", choices=MODES)
    groupes = forms.ChoiceField(label="Groupes", choices=[("Lycée", [("s", "Seconde")]), ("autre", "Autre")])
    # Values, labels and group names escaped as Django escapes them (the options are written in Python).
    echappes = forms.ChoiceField(
        label="Échappés", choices=[("a&b", "<Tom & Jerry>"), ('"G" & <H>', [('"q"', "Q'")])], required=False
    )
    plusieurs = forms.MultipleChoiceField(label="Plusieurs", choices=JOURS)
    oui_non = forms.NullBooleanField(label="Oui ou non")


def django_control(bound_field):
    """The control as Django renders it alone (its own template), parsed."""
    return next(node for node in parse(bound_field).iter() if node.tag in LABELLED_CONTROLS)


def comparable(node):
    attrs = {name: value for name, value in node.attrs.items() if name not in ("class", "aria-describedby")}
    options = [
        (option.attrs.get("value"), "selected" in option.attrs, option.text()) for option in node.find_all("option")
    ]
    return node.tag, attrs, options, node.text() if node.tag == "textarea" else None


@pytest.mark.parametrize(
    "data",
    [None, {"texte": "x" * 30, "nombre": "abc", "choix_vide": "", "plusieurs": ["lundi", "jeudi"], "oui_non": "true"}],
    ids=["non-lie", "lie-invalide"],
)
def test_controles_identiques_au_rendu_django(data):
    """Written by the pack or by Django, a control has the same attributes and options."""
    form = PariteForm(data=data)
    root = render(form)
    for bound_field in form:
        ours = root.by_id(bound_field.auto_id)
        assert comparable(ours) == comparable(django_control(bound_field)), bound_field.name
        if data is not None:
            assert ("aria-invalid" in ours.attrs) == bool(bound_field.errors)


def test_rendu_sans_effet_sur_les_widgets(invalide):
    """Rendering twice, with and without errors shown, leaves the widgets as they were."""
    before = {name: dict(field.widget.attrs) for name, field in invalide.fields.items()}
    render(invalide)
    helper = FormHelper()
    helper.form_show_errors = False
    root = render(invalide, helper)
    assert {name: dict(field.widget.attrs) for name, field in invalide.fields.items()} == before
    assert not root.find_all("p", "fr-error-text")
    assert "aria-describedby" not in root.by_id("id_courriel").attrs


def test_champ_multiple_date_et_heure():
    class RdvForm(forms.Form):
        quand = forms.SplitDateTimeField(label="Rendez-vous", help_text="Date puis heure")

    root = render(RdvForm())
    fieldset = root.by_id("id_quand")
    assert fieldset.tag == "fieldset" and "fr-fieldset" in fieldset.classes
    legend = fieldset.find("legend", "fr-fieldset__legend", id="id_quand-legend")
    assert legend.text().startswith("Rendez-vous *")
    for index in (0, 1):
        control = root.by_id(f"id_quand_{index}")
        assert "fr-input" in control.classes and control.attrs["aria-labelledby"] == legend.id
    root = render(RdvForm(data={"quand_0": "2025-01-01"}))
    fieldset = root.by_id("id_quand")
    assert "fr-fieldset--error" in fieldset.classes
    assert described_error(root, fieldset, "fr-message fr-message--error").text() == "Ce champ est obligatoire."
    assert root.find("div", "fr-alert").find("a", href="#id_quand_0")


def test_texte_long_conserve_tel_quel():
    form = PariteForm(data={"texte_libre": "Ligne 1\r\n  Ligne 2"})
    html = render_crispy_form(form)
    assert 'aria-invalid="true"' in html  # other fields are missing
    textarea = html.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert textarea.split(">", 1)[1] == "\nLigne 1\r\n  Ligne 2"


def test_valeurs_saisies_conservees_en_erreur(invalide):
    root = render(invalide)
    assert root.by_id("id_courriel").attrs["value"] == "pas-un-courriel"
    assert root.by_id("id_date_debut").attrs["value"] == "2025-13-45"


# --- Error summary -----------------------------------------------------------------------


def test_recapitulatif_des_erreurs_en_tete(invalide):
    root = render(invalide)
    form = root.find("form")
    alert = form.find("div", "fr-alert fr-alert--error", role="alert")
    first = next(child for child in form.children if isinstance(child, Node) and child.tag != "input")
    assert first is alert, "the summary comes before the fields"
    assert alert.find("h2", "fr-alert__title").text() == "Le formulaire contient des erreurs"
    links = {link.attrs["href"]: link.text() for link in alert.find_all("a")}
    assert links["#id_nom"] == "Nom : Ce champ est obligatoire."
    assert links["#id_courriel"] == "Courriel : Saisissez une adresse de courriel valide."
    assert links["#id_niveau"] == "Niveau : Ce champ est obligatoire."
    assert links["#id_piece"] == "Convention signée : Ce champ est obligatoire."
    # Option groups: the link goes to the first option.
    assert links["#id_mode_0"] == "Mode : Ce champ est obligatoire."
    assert links["#id_jours_0"] == "Jours disponibles : Ce champ est obligatoire."
    for href in links:
        assert root.by_id(href[1:]).tag in LABELLED_CONTROLS
    # A hidden field cannot be reached: plain text.
    items = [item.text() for item in alert.find_all("li") if not item.find_all("a")]
    assert items == ["Jeton : Ce champ est obligatoire."]


def test_erreurs_non_liees_a_un_champ():
    form = PeriodeForm(data={"debut": "2025-06-10", "fin": "2025-06-01"})
    assert not form.is_valid()
    root = render(form)
    alert = root.find("div", "fr-alert fr-alert--error")
    assert [item.text() for item in alert.find_all("li")] == ["La fin doit suivre le début."]
    assert not alert.find_all("a")
    for group in root.find_all("div", "fr-input-group"):
        assert_no_error_markup(group)


def test_recapitulatif_titre_personnalise_et_masquable(invalide):
    helper = FormHelper()
    helper.form_error_title = "Vérifiez votre saisie"
    assert render(invalide, helper).find("h2", "fr-alert__title").text() == "Vérifiez votre saisie"
    helper = FormHelper()
    helper.form_show_errors = False
    root = render(invalide, helper)
    assert not root.find_all("div", "fr-alert") and not root.find_all("p", "fr-error-text")


def test_champ_absent_de_la_mise_en_page_sans_lien(invalide):
    helper = FormHelper()
    helper.layout = Layout("nom", "courriel")
    root = render(invalide, helper)
    alert = root.find("div", "fr-alert")
    assert {link.attrs["href"] for link in alert.find_all("a")} == {"#id_nom", "#id_courriel"}
    assert "Niveau : Ce champ est obligatoire." in [item.text() for item in alert.find_all("li")]


# --- Layout objects ----------------------------------------------------------------------


class IdentiteForm(forms.Form):
    prenom = forms.CharField(label="Prénom")
    nom = forms.CharField(label="Nom")
    courriel = forms.EmailField(label="Courriel", required=False)
    telephone = forms.CharField(label="Téléphone", required=False)
    mode = forms.ChoiceField(label="Mode", choices=MODES, widget=forms.RadioSelect)


def test_mise_en_page_fieldset_row_column_submit():
    helper = FormHelper()
    helper.form_id = "identite"
    helper.form_action = "/identite/"
    helper.layout = Layout(
        Fieldset("Identité de l'élève", Row(Column("prenom"), Column("nom")), "courriel"),
        Div("telephone", css_class="fr-mt-2w", css_id="bloc-tel"),
        HTML("<p class='fr-text--sm'>Tous les champs marqués * sont obligatoires.</p>"),
        Submit("enregistrer", "Enregistrer"),
    )
    root = render(IdentiteForm(), helper)
    form = root.find("form", id="identite", action="/identite/", method="post")
    fieldset = form.find("fieldset", "fr-fieldset")
    assert fieldset.find("legend", "fr-fieldset__legend").text() == "Identité de l'élève"
    row = fieldset.find("div", "fr-grid-row fr-grid-row--gutters")
    columns = [child for child in row.children if isinstance(child, Node)]
    assert len(columns) == 2
    for column, name in zip(columns, ["prenom", "nom"], strict=True):
        assert any(cls.startswith("fr-col") for cls in column.classes)
        assert column.find("div", "fr-input-group").find("input", "fr-input", id=f"id_{name}")
    assert fieldset.find("input", id="id_courriel")
    bloc = form.by_id("bloc-tel")
    assert bloc.classes == {"fr-mt-2w"} and bloc.find("input", id="id_telephone")
    assert form.find("p", "fr-text--sm").text().startswith("Tous les champs")
    button = form.find("button", type="submit", name="enregistrer")
    assert button.classes == {"fr-btn"} and button.text() == "Enregistrer"
    # Fields left out of the layout are not rendered.
    assert not form.find_all(id="id_mode")


def test_column_avec_classe_fr_col_explicite():
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(Row(Column("prenom", css_class="fr-col-12 fr-col-md-4"), Column("nom")))
    root = render(IdentiteForm(), helper)
    columns = [child for child in root.find("div", "fr-grid-row").children if isinstance(child, Node)]
    assert columns[0].classes == {"fr-col-12", "fr-col-md-4"}
    assert {"fr-col-12", "fr-col-md"} <= columns[1].classes
    assert not root.find_all("form")


def test_boutons_et_groupes_de_boutons():
    helper = FormHelper()
    helper.layout = Layout(
        "prenom",
        ButtonHolder(
            Submit("enregistrer", "Enregistrer"),
            Button("apercu", "Aperçu"),
            Reset("effacer", "Effacer"),
            Submit("brouillon", "Brouillon", css_class="fr-btn--secondary"),
            css_class="fr-btns-group--right",
        ),
        FormActions(crispy_dsfr.Submit("valider", "Valider"), crispy_dsfr.LinkButton("Annuler", "/retour/")),
        Hidden("etape", "2"),
    )
    root = render(IdentiteForm(), helper)
    holders = root.find_all("div", "fr-btns-group fr-btns-group--inline-md")
    assert len(holders) == 2 and "fr-btns-group--right" in holders[0].classes
    classes = {button.attrs["name"]: button.classes for button in root.find_all("button")}
    assert classes["enregistrer"] == {"fr-btn"}
    assert classes["apercu"] == {"fr-btn", "fr-btn--secondary"}
    assert classes["effacer"] == {"fr-btn", "fr-btn--tertiary"}
    assert classes["brouillon"] == {"fr-btn", "fr-btn--secondary"}
    assert classes["valider"] == {"fr-btn"}
    assert root.find("button", name="apercu").attrs["type"] == "button"
    link = holders[1].find("a", href="/retour/")
    assert link.classes == {"fr-btn", "fr-btn--secondary"} and link.text() == "Annuler"
    hidden = root.find("input", type="hidden", name="etape")
    assert hidden.attrs["value"] == "2"


def test_boutons_ajoutes_au_helper():
    helper = FormHelper()
    helper.add_input(Submit("enregistrer", "Enregistrer"))
    helper.add_input(Button("annuler", "Annuler"))
    helper.add_input(Hidden("suivant", "/liste/"))
    root = render(IdentiteForm(), helper)
    group = root.find("ul", "fr-btns-group")
    items = group.find_all("li")
    assert [item.find("button").text() for item in items] == ["Enregistrer", "Annuler"]
    assert root.find("input", type="hidden", name="suivant").parent.tag == "form"


def test_fieldset_dsfr_avec_aide_et_elements():
    helper = FormHelper()
    helper.layout = Layout(
        crispy_dsfr.Fieldset("Contact", "courriel", "telephone", hint="Au moins un moyen de contact", css_id="contact")
    )
    root = render(IdentiteForm(), helper)
    fieldset = root.by_id("contact")
    legend = fieldset.find("legend", "fr-fieldset__legend", id="contact-legend")
    assert legend.find("span", "fr-hint-text").text() == "Au moins un moyen de contact"
    elements = [child for child in fieldset.children if isinstance(child, Node) and child.tag == "div"]
    assert all("fr-fieldset__element" in element.classes for element in elements)
    assert [element.find("input").id for element in elements] == ["id_courriel", "id_telephone"]


def test_boutons_radio_en_ligne():
    helper = FormHelper()
    helper.layout = Layout(InlineRadios("mode"))
    root = render(IdentiteForm(), helper)
    elements = root.by_id("id_mode").find_all("div", "fr-fieldset__element")
    assert elements and all("fr-fieldset__element--inline" in element.classes for element in elements)


def test_field_avec_attributs_et_classe_d_enveloppe():
    helper = FormHelper()
    helper.layout = Layout(Field("prenom", autocomplete="given-name", wrapper_class="fr-mb-4w"))
    root = render(IdentiteForm(), helper)
    control = root.by_id("id_prenom")
    assert control.attrs["autocomplete"] == "given-name"
    assert {"fr-input-group", "fr-mb-4w"} <= control.parent.classes


def test_form_helper_dsfr():
    helper = crispy_dsfr.DsfrFormHelper(IdentiteForm(), cancel_url="/binomes/")
    root = render(IdentiteForm(), helper)
    group = root.find("ul", "fr-btns-group")
    assert group.find("button", "fr-btn", type="submit").text() == "Enregistrer"
    assert group.find("a", "fr-btn fr-btn--secondary", href="/binomes/").text() == "Annuler"
    assert root.find("input", id="id_mode_0")  # the default layout lists every field
    helper = crispy_dsfr.DsfrFormHelper(submit_label=None)
    helper.form_tag = False
    root = render(IdentiteForm(), helper)
    assert not root.find_all("form") and not root.find_all("button")


# --- Other entry points --------------------------------------------------------------------


def test_balise_crispy_et_filtres(invalide):
    root = render_tag("{% crispy form %}", form=invalide)
    assert root.find("div", "fr-alert fr-alert--error")
    root = render_tag("<form>{{ form|crispy }}</form>", form=invalide)
    assert root.find("div", "fr-alert fr-alert--error")
    assert "fr-input--error" in root.by_id("id_nom").classes
    root = render_tag("{{ form.niveau|as_crispy_field }}", form=invalide)
    assert "fr-select-group--error" in root.by_id("id_niveau").parent.classes
    # The summary alone: its links point at fields rendered elsewhere in the page.
    root = parse(
        Template("{% load crispy_forms_tags %}{{ form|as_crispy_errors }}").render(Context({"form": invalide}))
    )
    alert = root.find("div", "fr-alert fr-alert--error")
    assert alert.find("a", href="#id_nom")


def test_erreur_rendue_une_seule_fois_et_echappee():
    class Form(forms.Form):
        nom = forms.CharField(label="Nom <b>")

        def clean_nom(self):
            raise forms.ValidationError("<script>alert(1)</script>")

    html = render_crispy_form(Form(data={"nom": "x"}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    expected = '<p id="id_nom-desc-error" class="fr-error-text">&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    assert parse_html(expected) in parse_html(html)
    dom(html)


# --- Formsets ------------------------------------------------------------------------------


class LigneForm(forms.Form):
    nom = forms.CharField(label="Nom")
    niveau = forms.ChoiceField(label="Niveau", choices=NIVEAUX)


LigneFormSet = forms.formset_factory(LigneForm, extra=0, min_num=1)


def test_formset_avec_helper():
    formset = LigneFormSet(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "1",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-nom": "Durand",
            "form-0-niveau": "seconde",
            "form-1-nom": "",
            "form-1-niveau": "terminale",
        }
    )
    assert not formset.is_valid()
    helper = FormHelper()
    helper.layout = Layout(Row(Column("nom"), Column("niveau")))
    helper.add_input(Submit("enregistrer", "Enregistrer"))
    root = render_tag("{% crispy formset helper %}", formset=formset, helper=helper)
    form = root.find("form", method="post")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        assert form.find("input", type="hidden", name=f"form-{name}")
    assert len(form.find_all("div", "fr-grid-row")) == 2
    assert "fr-input-group--error" not in root.by_id("id_form-0-nom").parent.classes
    control = root.by_id("id_form-1-nom")
    assert described_error(root, control).text() == "Ce champ est obligatoire."
    alerts = form.find_all("div", "fr-alert fr-alert--error")
    assert len(alerts) == 1, "one summary for the whole formset"
    links = {link.attrs["href"]: link.text() for link in alerts[0].find_all("a")}
    assert links == {"#id_form-1-nom": "Élément 2 – Nom : Ce champ est obligatoire."}
    assert form.find("ul", "fr-btns-group").find("button", "fr-btn", type="submit")


def test_formset_non_lie_et_erreurs_de_formset():
    root = render_tag("{% crispy formset %}", formset=LigneFormSet())
    assert_no_error_markup(root)
    assert root.by_id("id_form-0-nom")

    class AuMoinsDeux(forms.BaseFormSet):
        def clean(self):
            raise forms.ValidationError("Ajoutez au moins deux élèves.")

    formset = forms.formset_factory(LigneForm, formset=AuMoinsDeux, extra=0)(
        data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-nom": "A", "form-0-niveau": "seconde"}
    )
    root = render_tag("<form>{{ formset|crispy }}</form>", formset=formset)
    alert = root.find("div", "fr-alert fr-alert--error")
    assert [item.text() for item in alert.find_all("li")] == ["Ajoutez au moins deux élèves."]


def test_formset_sans_mise_en_page_liens_vers_les_champs():
    formset = LigneFormSet(
        data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-nom": "", "form-0-niveau": "seconde"}
    )
    for source in ("{% crispy formset %}", "<form>{{ formset|crispy }}</form>"):
        alert = render_tag(source, formset=formset).find("div", "fr-alert fr-alert--error")
        assert [link.attrs["href"] for link in alert.find_all("a")] == ["#id_form-0-nom"], source

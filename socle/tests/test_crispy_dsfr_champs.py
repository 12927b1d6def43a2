"""The fields written in Python (socle/crispy_dsfr_champs.py) are byte for byte what the templates wrote.

The reference is field.html as it was before the Python writer (``CHAMP_GABARIT`` below), which
includes layout/field_dispatch.html and the templates under it; those templates stay in the pack
as the fallback. ``comparaison()`` renders every field twice, through ``{% champ_dsfr %}`` and
through the reference, and keeps the differences; tests/test_crispy_dsfr_champs_pages.py runs it
over every form the project's pages render.
"""

import contextlib
import datetime

import pytest
from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, engines
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from socle import crispy_dsfr
from socle.crispy_dsfr_champs import field_html
from socle.templatetags import crispy_dsfr_tags

# field.html before the Python writer, as it was (git show 2ac3b6a:socle/templates/crispy_dsfr/field.html).
FIELD_HTML_AVANT = (
    "{% comment %} One form field in DSFR markup: dispatches on the widget kind.\n"
    "`show_errors` is true when the field has errors and the helper shows them. {% endcomment %}\n"
    "{% load crispy_forms_field %}\n"
    "{% if field.is_hidden %}\n"
    "  {{ field }}\n"
    "{% elif form_show_errors and field.errors %}\n"
    '  {% include "crispy_dsfr/layout/field_dispatch.html" with show_errors=True %}\n'
    "{% else %}\n"
    '  {% include "crispy_dsfr/layout/field_dispatch.html" with show_errors=False %}\n'
    "{% endif %}\n"
)
# Its `{% if %}`, what `{% champ_dsfr %}` replaces (the text around it is the same in both files).
CHAMP_GABARIT = FIELD_HTML_AVANT.split("{% endcomment %}\n", 1)[1].replace("%}\n{% if", "%}{% if")[:-1]


def _gabarit(source):
    return engines["django"].from_string(source).template


class Comparaison:
    """Fields rendered by `{% champ_dsfr %}` while active, each compared with the reference."""

    def __init__(self):
        self.reference = _gabarit(CHAMP_GABARIT)
        self.ecarts = []  # (form, field, ours, reference)
        self.par_python = []  # (widget class name, show_errors) of the fields written in Python
        self.par_gabarit = []  # widget class names of the fields left to the templates

    def champ(self, rendre, node, context):
        ours = rendre(node, context)
        reference = self.reference.render(context)
        field = context.get("field")
        if ours != reference:
            self.ecarts.append((type(field.form).__name__, field.html_name, ours, reference))
        return ours

    def field_html(self, context, field):
        html = field_html(context, field)
        nom = type(field.field.widget).__name__
        if html is None:
            self.par_gabarit.append(nom)
        else:
            self.par_python.append((nom, bool(context.get("form_show_errors") and field.errors)))
        return html

    def verifier(self):
        assert self.par_python, "no field was written in Python"
        for form, champ, ours, reference in self.ecarts[:3]:
            print(f"--- {form}.{champ}\n{reference!r}\n+++\n{ours!r}")
        assert not self.ecarts, f"{len(self.ecarts)} fields differ from the templates"


@contextlib.contextmanager
def comparaison():
    """Every field rendered inside is compared with the reference; yields the Comparaison."""
    comparer = Comparaison()
    rendre = crispy_dsfr_tags.ChampNode.render
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crispy_dsfr_tags.ChampNode, "render", lambda node, context: comparer.champ(rendre, node, context))
        patch.setattr(crispy_dsfr_tags, "field_html", comparer.field_html)
        yield comparer


# --- Forms with every widget kind and case ----------------------------------------------------------

MECHANT = '<b>"O\'Brien" & co</b>'
CHOIX = [("", "Choisir"), ("a&b", "<b>gras</b>"), ('"q"', 'Dit "oui"'), (MECHANT, MECHANT)]
GROUPES = [("", "—"), ("Groupe <1>", [("x", "X & Y"), ("y", "Y")]), ("z", "Z")]


class ToutForm(forms.Form):
    texte = forms.CharField(label="Texte <libellé>", help_text="Aide <i>HTML</i> gardée", max_length=10)
    facultatif = forms.CharField(label="Facultatif", required=False, initial=MECHANT)
    courriel = forms.EmailField(label="Courriel", required=False)
    nombre = forms.IntegerField(label="Nombre", min_value=1, widget=forms.NumberInput(attrs={"class": "petit"}))
    decimal = forms.DecimalField(label="Décimal", required=False, localize=True, initial=1.5)
    date = forms.DateField(label="Date", widget=crispy_dsfr.DateInput(), initial=datetime.date(2025, 9, 1))
    heure = forms.TimeField(label="Heure", widget=crispy_dsfr.TimeInput(), required=False)
    mot_de_passe = forms.CharField(label="Mot de passe", widget=forms.PasswordInput, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), help_text="Libre", initial="\nA")
    desactive = forms.CharField(label="Désactivé", disabled=True, initial="fixe", required=False)
    liste = forms.ChoiceField(label="Liste", choices=CHOIX)
    liste_sans_vide = forms.ChoiceField(label="Sans vide", choices=CHOIX[1:], help_text="Une aide")
    groupes = forms.ChoiceField(label="Groupes", choices=GROUPES, required=False)
    groupes_requis = forms.ChoiceField(label="Groupes requis", choices=GROUPES)
    plusieurs = forms.MultipleChoiceField(label="Plusieurs", choices=CHOIX[1:], initial=["a&b"])
    liste_desactivee = forms.ChoiceField(label="Liste désactivée", choices=CHOIX, disabled=True, required=False)
    oui_non = forms.NullBooleanField(label="Oui ou non", required=False)
    accord = forms.BooleanField(label="J'accepte <tout>", help_text="Lire d'abord")
    coche = forms.BooleanField(label="Coché", required=False, initial=True, disabled=True)
    radio = forms.ChoiceField(label="Radio", choices=CHOIX[1:], widget=forms.RadioSelect, help_text="Un seul")
    radio_libre = forms.ChoiceField(label="Radio libre", choices=CHOIX, widget=forms.RadioSelect, required=False)
    cases = forms.MultipleChoiceField(
        label="Cases", choices=CHOIX[1:], widget=forms.CheckboxSelectMultiple, initial=[MECHANT]
    )
    nombres = forms.TypedChoiceField(
        label="Nombres", choices=[(1, "Un"), (2, "Deux"), (1000, "Mille")], coerce=int, widget=forms.RadioSelect
    )
    fichier = forms.FileField(label="Fichier", help_text="PDF")
    fichier_libre = forms.FileField(label="Fichier libre", required=False, widget=forms.ClearableFileInput)
    cache = forms.CharField(widget=forms.HiddenInput, initial=MECHANT)
    cache_initial = forms.CharField(widget=forms.HiddenInput, required=False, show_hidden_initial=True)
    # Left to the templates: a MultiWidget and a widget with its own template.
    quand = forms.SplitDateTimeField(label="Quand", required=False)
    personnalise = forms.CharField(
        label="Personnalisé",
        required=False,
        widget=type("W", (forms.TextInput,), {"template_name": "django/forms/attrs.html"})(),
    )


class CourantFichier:
    """A stored file as a model's FileField gives it (the "current file" case)."""

    url = "/media/piece <1>.pdf"

    def __str__(self):
        return "piece <1>.pdf"


TOUT_INVALIDE = {
    "texte": MECHANT,
    "courriel": "pas <un> courriel",
    "nombre": "0",
    "decimal": "abc",
    "date": "2025-13-45",
    "heure": "25:99",
    "notes": "",
    "liste": "inconnu",
    "liste_sans_vide": "",
    "groupes": "nope",
    "plusieurs": ["a&b", "autre"],
    "oui_non": "peut-être",
    "radio": "<b>",
    "cases": ["inconnu"],
    "nombres": "3",
    "cache": "",
}
TOUT_VALIDE = {
    "texte": "court",
    "nombre": "4",
    "date": "2025-09-15",
    "notes": "Ligne 1\r\n  <Ligne 2>",
    "liste": "a&b",
    "liste_sans_vide": '"q"',
    "groupes_requis": "x",
    "plusieurs": ['"q"', MECHANT],
    "oui_non": "true",
    "accord": "on",
    "radio": MECHANT,
    "cases": ["a&b", '"q"'],
    "nombres": "1000",
    "cache": "c",
    "quand_0": "2025-01-01",
    "quand_1": "10:00",
}


def formulaires():
    """Unbound, bound with errors, bound and valid, with a current file, with another auto_id."""
    yield "non-lie", ToutForm()
    yield "erreurs", ToutForm(data=TOUT_INVALIDE)
    yield "vide", ToutForm(data={})
    fichiers = {"fichier": SimpleUploadedFile("a.pdf", b"%PDF"), "fichier_libre": SimpleUploadedFile("b.pdf", b"1")}
    valide = ToutForm(data=TOUT_VALIDE, files=fichiers)
    assert valide.is_valid(), valide.errors
    yield "valide", valide
    courant = ToutForm(initial={"fichier": CourantFichier(), "fichier_libre": CourantFichier()})
    yield "fichier-actuel", courant
    yield "sans-id", ToutForm(data=TOUT_INVALIDE, auto_id=False)
    yield "id-prefixe", ToutForm(data=TOUT_INVALIDE, auto_id="champ-%s", prefix="p")
    desactive = ToutForm(initial={"fichier_libre": CourantFichier()})
    desactive.fields["fichier_libre"].disabled = True
    yield "fichier-desactive", desactive


def helpers():
    """The helpers' options the field templates read."""
    yield "defaut", None
    cache = FormHelper()
    cache.form_show_errors = False
    cache.form_show_labels = False
    yield "sans-erreurs-ni-labels", cache
    classes = FormHelper()
    classes.label_class = "lab <x>"
    classes.layout = Layout(
        Field("texte", wrapper_class="env <w>"),
        InlineRadios("radio"),
        InlineCheckboxes("cases"),
        Field("liste", wrapper_class="large"),
        Field("accord", wrapper_class="a"),
        Field("fichier", wrapper_class="f"),
        "notes",
        "radio_libre",
        "cache",
    )
    yield "classes-et-en-ligne", classes
    css = FormHelper()
    css.layout = Layout(*[Field(nom, css_class="ajoutee", data_x="<1>") for nom in ("texte", "nombre", "liste")])
    yield "attributs-de-layout", css


class FormCss(ToutForm):
    error_css_class = "en-erreur"
    required_css_class = "requis"


@pytest.mark.parametrize("nom_helper,helper", list(helpers()), ids=[nom for nom, _ in helpers()])
@pytest.mark.parametrize("nom_form,form", list(formulaires()), ids=[nom for nom, _ in formulaires()])
def test_chaque_sorte_de_champ_comme_les_gabarits(nom_form, form, nom_helper, helper):
    with comparaison() as comparer:
        render_crispy_form(form, helper)
    comparer.verifier()
    ecrits = {nom for nom, _erreurs in comparer.par_python}
    if nom_helper in ("defaut", "sans-erreurs-ni-labels"):
        attendus = {type(field.widget).__name__ for field in form.fields.values() if not field.widget.is_hidden}
        assert ecrits == attendus - {"SplitDateTimeWidget", "W"}
        assert sorted(comparer.par_gabarit) == ["SplitDateTimeWidget", "W"]
        assert any(erreurs for _nom, erreurs in comparer.par_python) == (bool(form.errors) and nom_helper == "defaut")


def test_classes_css_du_formulaire_et_filtre_as_crispy_field():
    form = FormCss(data=TOUT_INVALIDE)
    with comparaison() as comparer:
        render_crispy_form(form)
        for field in form:
            engines["django"].from_string("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(
                {"field": field}
            )
    comparer.verifier()
    assert len(comparer.par_python) == 2 * 25


def test_filtre_crispy_sans_helper():
    """`|crispy` includes field.html from uni_form.html, not through crispy's render_field."""
    with comparaison() as comparer:
        engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}").render(
            {"form": ToutForm(data=TOUT_INVALIDE)}
        )
    comparer.verifier()
    assert len(comparer.par_python) == 25


def test_field_html_entier_identique_a_l_ancien():
    """The new field.html, text around its tag included, writes what the old one did."""
    avant = engines["django"].from_string(FIELD_HTML_AVANT)
    apres = get_template("crispy_dsfr/field.html")
    for form in (ToutForm(), ToutForm(data=TOUT_INVALIDE)):
        for field in form:
            contexte = {"field": field, "form_show_errors": True, "form_show_labels": True}
            assert apres.render(contexte) == avant.render(contexte), field.name


def test_libelle_sur_et_valeurs_non_chaines():
    """Safe labels stay unescaped, numbers and lazy texts are written as the templates do."""
    from django.utils.translation import gettext_lazy

    class Form(forms.Form):
        sur = forms.ChoiceField(label=mark_safe("<em>Sûr</em>"), choices=[(1, mark_safe("<i>1</i>")), (2.5, 2.5)])
        paresseux = forms.CharField(label=gettext_lazy("Nom"), help_text=gettext_lazy("Aide"))
        radios = forms.ChoiceField(
            choices=[(mark_safe("<v>"), mark_safe("<l>")), (3, datetime.date(2025, 1, 2))], widget=forms.RadioSelect
        )

    with comparaison() as comparer:
        render_crispy_form(Form())
        render_crispy_form(Form(data={"sur": "x", "radios": "y"}))
    comparer.verifier()
    assert len(comparer.par_python) == 6


def test_field_html_ecrit_le_champ_lui_meme():
    """Not only equal to the templates: the control, its label and its error are there."""
    form = ToutForm(data=TOUT_INVALIDE)
    contexte = Context({"form_show_errors": True, "form_show_labels": True})
    html = field_html(contexte, form["texte"])
    assert '<label class="fr-label" for="id_texte">' in html
    assert '<p id="id_texte-desc-error"\n     class="fr-error-text">' in html
    assert 'value="&lt;b&gt;&quot;O&#x27;Brien&quot; &amp; co&lt;/b&gt;"' in html
    assert 'aria-describedby="id_texte_helptext id_texte-desc-error"' in html
    # The options' writer is shared with the templates' {% options_select %}: checked here, not by comparison.
    assert '<option value="a&amp;b" selected>&lt;b&gt;gras&lt;/b&gt;</option>' in field_html(
        contexte, form["plusieurs"]
    )
    assert 'value="&quot;q&quot;">Dit &quot;oui&quot;</option>' in field_html(contexte, form["liste"])
    assert '<label class="fr-label" for="id_radio_0">&lt;b&gt;gras&lt;/b&gt;</label>' in field_html(
        contexte, form["radio"]
    )
    assert field_html(contexte, form["quand"]) is None
    assert field_html(contexte, form["personnalise"]) is None


def test_fichier_actuel_ecrit_avec_son_lien():
    field = ToutForm(initial={"fichier_libre": CourantFichier()})["fichier_libre"]
    html = field_html(Context({"form_show_errors": True}), field)
    assert 'Fichier actuel : <a href="/media/piece &lt;1&gt;.pdf">piece &lt;1&gt;.pdf</a>' in html
    assert 'name="fichier_libre-clear"' in html

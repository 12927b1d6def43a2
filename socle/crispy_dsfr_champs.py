"""One crispy field in DSFR markup, written in Python: what ``crispy_dsfr/field.html`` draws.

Why: every form of the project draws its fields through the pack's templates, and a field went
through five to eight of them (field.html, the dispatch, the widget's template, the label, its
content, the error text, the aria-describedby...), each include costing a template context,
a lookup and a dozen variable resolutions. A list's filter form of seven fields spent some
15 ms of CPU there per page (issue 18); the same HTML joined from strings costs a tenth.

What it covers: the widgets the project uses, as the templates under ``crispy_dsfr/layout/``
write them, byte for byte (``socle/tests/test_crispy_dsfr_champs.py`` compares both on every
form a page renders, and by widget kind):

- hidden fields (``{{ field }}``, Django's own rendering);
- Django's text-like inputs (text, number, email, date, time, password, url...) and textarea
  (``field_input.html``);
- select, select multiple and NullBooleanSelect (``field_select.html``);
- a single checkbox (``field_checkbox.html``);
- radio buttons and checkbox lists, inline or not (``field_choices.html``);
- file inputs, with the current file and its "delete" box (``field_file.html``);

each with its label (or hidden label), required marker, hint, errors and aria-describedby.

The fallback: ``field_html`` answers None for anything else, a MultiWidget (``field_multi.html``)
or a widget with its own template (written by crispy's ``crispy_field`` tag), and the
``{% champ_dsfr %}`` tag of field.html then renders ``crispy_dsfr/layout/field_dispatch.html``
as field.html used to, so those fields go through the templates unchanged. A change to one of the
templates above must be made here too: the comparison test fails until both agree.
"""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

__all__ = ["attributs_html", "field_html", "options_html", "sans_describedby"]

# The template field.html falls back to, for what field_html does not write.
GABARIT_DISPATCH = "crispy_dsfr/layout/field_dispatch.html"

_DJANGO_WIDGETS = "django/forms/widgets/"
_TEXTAREA = "django/forms/widgets/textarea.html"
_SELECT = "django/forms/widgets/select.html"

# Attributes the select's writer computes itself (`skip_managed` of `{% attributs %}`).
_GERES = frozenset({"required", "disabled", "multiple", "aria-invalid"})


# --- Values and attributes, as the templates write them ------------------------------------------


def _texte(valeur) -> str:
    """`{{ valeur }}` with autoescape on, for the values met here (text, lazy text, numbers, files)."""
    if isinstance(valeur, str):
        return conditional_escape(valeur)
    return conditional_escape(str(localize(valeur)))


def _valeur(valeur) -> str:
    """`{{ valeur|stringformat:"s" }}`: the value as text, escaped unless marked safe."""
    texte = str(valeur)
    return texte if isinstance(valeur, SafeData) else escape(texte)


def _sans_localisation(valeur) -> str:
    """`{{ valeur|unlocalize }}` (and `|unlocalize|stringformat:"s"`, which writes the same)."""
    return conditional_escape(str(localize(valeur, use_l10n=False)))


def sans_describedby(field) -> bool:
    """A field with errors gets its aria-describedby from describedby.html, not from its widget."""
    return bool(field is not None and field.errors and field.auto_id)


def attributs_html(attrs, sans_describedby_, skip_managed=False) -> str:
    """`{% attributs attrs %}`: ` name="value"` each except `class` (` name` alone for True; False and
    None left out), values escaped; aria-describedby left out when `sans_describedby_`."""
    morceaux = []
    for nom, valeur in attrs.items():
        if valeur is False or valeur is None or nom == "class":
            continue
        if nom == "aria-describedby" and sans_describedby_:
            continue
        if skip_managed and nom in _GERES:
            continue
        if valeur is True:
            morceaux.append(f" {escape(nom)}")
        else:
            morceaux.append(f' {escape(nom)}="{_valeur(valeur)}"')
    return "".join(morceaux)


def options_html(groups, sans_describedby_) -> str:
    """`{% options_select groups %}`: the `<option>`s of a select, in their `<optgroup>`s if any."""
    lignes = []
    for nom_groupe, options, _index in groups:
        if nom_groupe:
            lignes.append(f'<optgroup label="{conditional_escape(nom_groupe)}">')
        for option in options:
            attrs = option["attrs"]
            classe = f' class="{conditional_escape(attrs["class"])}"' if attrs.get("class") else ""
            lignes.append(
                f'<option value="{_valeur(option["value"])}"{classe}{attributs_html(attrs, sans_describedby_)}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if nom_groupe:
            lignes.append("</optgroup>")
    return "\n".join(lignes)


def _classe(attrs, avant=" ") -> str:
    """`{% if attrs.class %} {{ attrs.class }}{% endif %}`."""
    classe = attrs.get("class")
    return f"{avant}{_texte(classe)}" if classe else ""


# --- Pieces shared by the widget kinds ------------------------------------------------------------


class _Champ:
    """What the templates read from the context for one field, read once."""

    __slots__ = ("field", "show_errors", "show_labels", "label_class", "wrapper_class", "inline_class")

    def __init__(self, context, field):
        self.field = field
        self.show_errors = bool(context.get("form_show_errors") and field.errors)
        self.show_labels = context.get("form_show_labels")
        self.label_class = context.get("label_class")
        self.wrapper_class = context.get("wrapper_class")
        self.inline_class = context.get("inline_class")

    def enveloppe(self, base, erreur, desactive=None) -> str:
        """The group's classes: base, error, disabled, wrapper_class, the form's css classes."""
        field = self.field
        classes = base
        if self.show_errors:
            classes += f" {erreur}"
        if desactive and field.field.disabled:
            classes += f" {desactive}"
        if self.wrapper_class:
            classes += f" {_texte(self.wrapper_class)}"
        css = field.css_classes()
        if css:
            classes += f" {_texte(css)}"
        return classes

    def contenu_label(self) -> str:
        """label_content.html: text, required marker, hint."""
        field = self.field
        marque = '<span class="fr-required-marker" aria-hidden="true"> *</span>' if field.field.required else ""
        aide = ""
        if field.help_text:
            ident = f' id="{_texte(field.auto_id)}_helptext"' if field.auto_id else ""
            aide = f'<span class="fr-hint-text"{ident}>{field.help_text}</span>'
        return f"\n{_texte(field.label)}{marque}\n{aide}\n"

    def label(self) -> str:
        """label.html."""
        field = self.field
        sr = "" if self.show_labels else " fr-sr-only"
        classe = f" {_texte(self.label_class)}" if self.label_class else ""
        pour = f' for="{_texte(field.id_for_label)}"' if field.id_for_label else ""
        return f'<label class="fr-label{sr}{classe}"{pour}>\n  {self.contenu_label()}\n</label>\n'

    def describedby(self) -> str:
        """`{% if field.errors %}{% include describedby.html %}{% endif %}`."""
        field = self.field
        if not field.errors:
            return ""
        if not field.auto_id or not (self.show_errors or field.help_text):
            return "\n"
        ids = "".join(
            f"{_texte(valeur)} " for nom, valeur in field.field.widget.attrs.items() if nom == "aria-describedby"
        )
        if field.help_text:
            ids += f"{_texte(field.auto_id)}_helptext"
        if self.show_errors:
            if field.help_text:
                ids += " "
            ids += f"{_texte(field.auto_id)}-desc-error"
        return f' aria-describedby="{ids}"\n'

    def erreurs(self) -> str:
        """`{{ field.errors|join:" " }}`."""
        return " ".join(conditional_escape(erreur) for erreur in self.field.errors)

    def texte_erreur(self, retrait) -> str:
        """`{% if show_errors %}{% include field_errors.html %}{% endif %}`, indented by `retrait`."""
        if not self.show_errors:
            return ""
        ident = f' id="{_texte(self.field.auto_id)}-desc-error"' if self.field.auto_id else ""
        return f'\n{retrait}  \n\n  <p{ident}\n     class="fr-error-text">{self.erreurs()}</p>\n\n\n{retrait}'

    def messages(self, retrait) -> str:
        """`{% if show_errors %}{% include field_messages.html %}{% endif %}`, indented by `retrait`."""
        if not self.show_errors:
            return ""
        auto_id = _texte(self.field.auto_id) if self.field.auto_id else ""
        ident = f' id="{auto_id}-messages"' if auto_id else ""
        ident_p = f' id="{auto_id}-desc-error"' if auto_id else ""
        return (
            f'\n{retrait}  \n\n  <div class="fr-messages-group"{ident}\n       aria-live="polite">\n'
            f'    <p{ident_p}\n       class="fr-message fr-message--error">{self.erreurs()}</p>\n  </div>\n\n\n'
            f"{retrait}"
        )


# --- The widget kinds ---------------------------------------------------------------------------------


def _input(champ):
    """field_input.html, for Django's own inputs and textarea; None for a widget with its own template."""
    field = champ.field
    widget = field.subwidgets[0].data
    gabarit = widget["template_name"]
    attrs = widget["attrs"]
    erreur = " fr-input--error" if champ.show_errors else ""
    autres = attributs_html(attrs, sans_describedby(field))
    if gabarit == _TEXTAREA:
        valeur = _texte(widget["value"]) if widget["value"] else ""
        controle = (
            f'\n      <textarea name="{_texte(widget["name"])}" class="fr-input{erreur}{_classe(attrs)}"'
            f"{autres}{champ.describedby()}>\n{valeur}</textarea>\n    "
        )
    elif widget["type"] and gabarit[:21] == _DJANGO_WIDGETS:
        valeur = widget["value"]
        valeur = "" if valeur is None else f' value="{_valeur(valeur)}"'
        controle = (
            f'\n      <input type="{_texte(widget["type"])}"\n             name="{_texte(widget["name"])}"{valeur}\n'
            f'             class="fr-input{erreur}{_classe(attrs)}"{autres}{champ.describedby()}>\n    '
        )
    else:
        return None
    groupe = champ.enveloppe("fr-input-group", "fr-input-group--error", "fr-input-group--disabled")
    return (
        f'\n\n\n  <div class="{groupe}">\n    {champ.label()}\n    {controle}\n    {champ.texte_erreur("    ")}\n'
        f"  </div>\n\n"
    )


def _select(champ):
    """field_select.html, for Django's select template; None for a widget with its own template."""
    field = champ.field
    widget = field.field.widget
    if widget.template_name != _SELECT:
        return None
    groups = optgroups(field)
    attrs = widget.attrs
    sans = sans_describedby(field)
    morceaux = [f'<select name="{_texte(field.html_name)}" class="fr-select']
    if champ.show_errors:
        morceaux.append(" fr-select--error")
    morceaux.append(f'{_classe(attrs)}"')
    if field.auto_id and not attrs.get("id"):
        morceaux.append(f' id="{_texte(field.auto_id)}"')
    morceaux.append(attributs_html(attrs, sans, skip_managed=True))
    multiple = widget.allow_multiple_selected
    if multiple:
        morceaux.append(" multiple")
    if field.field.required and field.form.use_required_attribute:
        if multiple:
            morceaux.append(" required")
        elif groups and groups[0][0] is None:
            premiere = groups[0][1][0]["value"] if groups[0][1] else None
            if premiere is None or premiere == "":
                morceaux.append(" required")
    if field.field.disabled:
        morceaux.append(" disabled")
    if field.errors:
        morceaux.append(f' aria-invalid="true"{champ.describedby()}')
    elif field.aria_describedby:
        morceaux.append(f' aria-describedby="{_texte(field.aria_describedby)}"')
    morceaux.append(f">\n        {options_html(groups, sans)}\n      </select>\n    ")
    groupe = champ.enveloppe("fr-select-group", "fr-select-group--error", "fr-select-group--disabled")
    return (
        f'\n\n<div class="{groupe}">\n  {champ.label()}\n  \n    \n      {"".join(morceaux)}\n  \n'
        f"  {champ.texte_erreur('  ')}\n</div>\n"
    )


def _checkbox(champ):
    """field_checkbox.html: a single boolean checkbox."""
    field = champ.field
    widget = field.subwidgets[0].data
    attrs = widget["attrs"]
    valeur = "" if widget["value"] is None else f' value="{_valeur(widget["value"])}"'
    classe = f' class="{_texte(attrs["class"])}"' if attrs.get("class") else ""
    groupe = champ.enveloppe("fr-checkbox-group", "fr-checkbox-group--error")
    label_classe = f" {_texte(champ.label_class)}" if champ.label_class else ""
    pour = f' for="{_texte(field.id_for_label)}"' if field.id_for_label else ""
    return (
        f'\n\n\n  <div class="{groupe}">\n    <input type="{_texte(widget["type"])}"\n'
        f'           name="{_texte(widget["name"])}"{valeur}{classe}'
        f"{attributs_html(attrs, sans_describedby(field))}{champ.describedby()}>\n"
        f'    <label class="fr-label{label_classe}"{pour}>\n      {champ.contenu_label()}\n    </label>\n'
        f"    {champ.messages('    ')}\n  </div>\n\n"
    )


def _choix(champ):
    """field_choices.html: radio buttons or a list of checkboxes in a DSFR fieldset."""
    field = champ.field
    auto_id = _texte(field.auto_id) if field.auto_id else ""
    classes = champ.enveloppe("fr-fieldset", "fr-fieldset--error")
    ident = f' id="{auto_id}"' if auto_id else ""
    decrit = f' aria-describedby="{auto_id}-desc-error"' if champ.show_errors and auto_id else ""
    sr = "" if champ.show_labels else " fr-sr-only"
    label_classe = f" {_texte(champ.label_class)}" if champ.label_class else ""
    legende_id = f' id="{auto_id}-legend"' if auto_id else ""
    en_ligne = " fr-fieldset__element--inline" if champ.inline_class else ""
    sans = sans_describedby(field)
    options = []
    for choix in field.subwidgets:
        option = choix.data
        attrs = option["attrs"]
        boite = "fr-radio-group" if option["type"] == "radio" else "fr-checkbox-group"
        classe = f' class="{_texte(attrs["class"])}"' if attrs.get("class") else ""
        pour = f' for="{_texte(attrs["id"])}"' if attrs.get("id") else ""
        options.append(
            f'\n    \n      <div class="fr-fieldset__element{en_ligne}">\n        <div class="{boite}">\n'
            f'          <input type="{_texte(option["type"])}"\n                 name="{_texte(option["name"])}"\n'
            f'                 value="{_sans_localisation(option["value"])}"{classe}{attributs_html(attrs, sans)}>\n'
            f'          <label class="fr-label"{pour}>{_sans_localisation(option["label"])}</label>\n'
            f"        </div>\n      </div>\n    \n  "
        )
    return (
        f'\n\n<fieldset class="{classes}"{ident}{decrit}>\n'
        f'  <legend class="fr-fieldset__legend fr-fieldset__legend--regular{sr}{label_classe}"{legende_id}>\n'
        f"    {champ.contenu_label()}\n  </legend>\n  {''.join(options)}\n  {champ.messages('  ')}\n</fieldset>\n"
    )


def _fichier(champ):
    """field_file.html: a file input, with the current file and its "delete" box when there is one."""
    field = champ.field
    widget = field.subwidgets[0].data
    attrs = widget["attrs"]
    groupe = champ.enveloppe("fr-upload-group", "fr-upload-group--error", "fr-upload-group--disabled")
    actuel = ""
    if widget.get("is_initial"):
        case = ""
        if not widget.get("required"):
            desactive = " disabled" if field.field.disabled else ""
            case_id = _texte(widget["checkbox_id"])
            case = (
                f'\n        <div class="fr-checkbox-group fr-checkbox-group--sm">\n'
                f'          <input type="checkbox"\n                 name="{_texte(widget["checkbox_name"])}"\n'
                f'                 id="{case_id}"{desactive}>\n'
                f'          <label class="fr-label" for="{case_id}">Supprimer le fichier actuel</label>\n'
                f"        </div>\n      "
            )
        valeur = widget["value"]
        actuel = (
            f'\n      <p class="fr-text--sm fr-mt-1w fr-mb-1w">Fichier actuel : <a href="{_texte(valeur.url)}">'
            f"{_texte(valeur)}</a></p>\n      {case}\n    "
        )
    return (
        f'\n\n\n  <div class="{groupe}">\n    {champ.label()}\n    <input type="{_texte(widget["type"])}"\n'
        f'           name="{_texte(widget["name"])}"\n'
        f'           class="fr-upload{_classe(attrs)}"{attributs_html(attrs, sans_describedby(field))}'
        f"{champ.describedby()}>\n    {actuel}\n    {champ.texte_erreur('    ')}\n  </div>\n\n"
    )


def field_html(context, field):
    """What field_dispatch.html writes for `field` (a visible BoundField), or None when it is left to it.

    `context` is the template context field.html is rendered with (form_show_errors,
    form_show_labels, label_class, wrapper_class, inline_class are read from it).
    """
    widget = field.field.widget
    champ = _Champ(context, field)
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        html = _choix(champ)
    elif isinstance(widget, forms.MultiWidget):
        return None
    elif isinstance(widget, forms.CheckboxInput):
        html = _checkbox(champ)
    elif isinstance(widget, forms.FileInput):
        html = _fichier(champ)
    elif isinstance(widget, forms.Select):
        html = _select(champ)
    else:
        html = _input(champ)
    if html is None:
        return None
    return mark_safe(f"\n\n  {html}\n\n")  # every value above is escaped

"""Python side of the ``crispy_dsfr`` template pack (templates in templates/crispy_dsfr/).

The pack renders any crispy form in DSFR markup; these helpers only add French
defaults and DSFR-specific options:

- ``DsfrFormHelper``: a FormHelper with an "Enregistrer" button and an optional
  "Annuler" link;
- ``Submit`` / ``Button`` / ``Reset``: buttons with DSFR classes (``secondary=True``);
  the stock crispy buttons work too, the pack maps their classes;
- ``LinkButton``: a link styled as a button (e.g. back to the list);
- ``Fieldset``: a DSFR fieldset with an optional hint under the legend, each child in
  its own ``fr-fieldset__element``;
- ``DateInput`` / ``TimeInput``: native date and time pickers (ISO value format, which
  the browser requires whatever the locale);

A grid of rows of large radio buttons (the attendance of a séance) is not drawn by the pack:
it is one form drawn by Python, ``socle.grille.GrilleChoix``.
"""

from crispy_forms import layout
from crispy_forms.helper import FormHelper
from crispy_forms.utils import TEMPLATE_PACK, flatatt, render_field
from django import forms
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.text import slugify

__all__ = [
    "Button",
    "DateInput",
    "DsfrFormHelper",
    "Fieldset",
    "LinkButton",
    "Reset",
    "Submit",
    "TimeInput",
]


def _dsfr_classes(base, secondary, css_class):
    classes = base
    if secondary:
        classes += " fr-btn--secondary"
    if css_class:
        classes += f" {css_class}"
    return classes


class Submit(layout.Submit):
    """Submit button: ``fr-btn`` (``fr-btn fr-btn--secondary`` with ``secondary=True``)."""

    def __init__(self, name, value, *, secondary=False, css_class=None, **kwargs):
        self.field_classes = _dsfr_classes("fr-btn", secondary, css_class)
        super().__init__(name, value, **kwargs)


class Button(layout.Button):
    """Plain button (``type="button"``), secondary by default."""

    def __init__(self, name, value, *, secondary=True, css_class=None, **kwargs):
        self.field_classes = _dsfr_classes("fr-btn", secondary, css_class)
        super().__init__(name, value, **kwargs)


class Reset(layout.Reset):
    """Reset button, tertiary style."""

    def __init__(self, name, value, *, css_class=None, **kwargs):
        self.field_classes = _dsfr_classes("fr-btn fr-btn--tertiary", False, css_class)
        super().__init__(name, value, **kwargs)


class LinkButton(layout.TemplateNameMixin):
    """A link that looks like a DSFR button, usable in a layout or in ``helper.add_input``.

    ``url`` is a URL or a URL name without arguments (reversed at render time).
    """

    template = "%s/layout/link_button.html"
    is_link = True
    input_type = "link"

    def __init__(self, label, url, *, secondary=True, css_class=None, css_id=None, **kwargs):
        self.label = label
        self._url = url
        self.field_classes = _dsfr_classes("fr-btn", secondary, css_class)
        self.id = css_id
        self.flat_attrs = flatatt(kwargs)

    @property
    def url(self):
        try:
            return reverse(self._url)
        except NoReverseMatch:
            return self._url

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.get_template_name(template_pack), {"link": self})


class Fieldset(layout.Fieldset):
    """DSFR fieldset: ``Fieldset("Légende", "champ1", "champ2", hint="Texte d'aide")``.

    Each child is wrapped in its own ``fr-fieldset__element`` (the stock crispy
    Fieldset gets a single wrapper around all its children).
    """

    wraps_elements = True

    def __init__(self, legend, *fields, hint=None, **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.hint = hint

    def get_rendered_fields(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        rendered = (render_field(field, form, context, template_pack=template_pack, **kwargs) for field in self.fields)
        return format_html_join(
            "", '<div class="fr-fieldset__element">{}</div>', ((html,) for html in rendered if html.strip())
        )


class DsfrFormHelper(FormHelper):
    """FormHelper with French defaults.

    ``DsfrFormHelper(form)`` renders every field of ``form`` followed by an
    "Enregistrer" button; ``submit_label=None`` removes the button, ``cancel_url``
    adds an "Annuler" link (URL or URL name). Layout, form_tag, form_action… are set
    as on any FormHelper.
    """

    def __init__(self, form=None, *, submit_label="Enregistrer", cancel_url=None, cancel_label="Annuler"):
        super().__init__(form)
        if submit_label:
            self.add_input(Submit(slugify(submit_label) or "enregistrer", submit_label))
        if cancel_url:
            self.add_input(LinkButton(cancel_label, cancel_url))


class DateInput(forms.DateInput):
    """``<input type="date">``; the value is always written as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class TimeInput(forms.TimeInput):
    """``<input type="time">``; the value is always written as HH:MM."""

    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):
        super().__init__(attrs, format=format)

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
- ``GrilleChoix``: a formset helper drawing the whole formset as rows of large radio
  buttons, optionally in groups (template ``grille_choix.html``), fast enough for a grid
  of several hundred rows; ``ChampPartage`` lets the rows share their fields.
"""

from html import escape

from crispy_forms import layout
from crispy_forms.helper import FormHelper
from crispy_forms.utils import TEMPLATE_PACK, flatatt, render_field
from django import forms
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify

__all__ = [
    "Button",
    "ChampPartage",
    "DateInput",
    "DsfrFormHelper",
    "Fieldset",
    "GrilleChoix",
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


class GrilleChoix(FormHelper):
    """Formset helper: each form a row of large radio buttons, rows optionally in groups.

    ``formset.helper = GrilleChoix(formset, champ="presence", groupe=lambda form: "…")``

    Each form has one choice field, ``champ``: its label is the legend of the row's fieldset
    and each of its choices a native ``<input type="radio">`` whose label is drawn as a button
    at least 44 px high (a finger's size: the grid is filled in on a phone), the buttons
    wrapping to the screen's width. The radios of a row share their name, so the arrow keys
    move along the row and Tab goes to the next row. Each radio is labelled "<choice>" with
    " — <row label>" visually hidden. ``groupe(form)`` names the group of consecutive rows the
    form belongs to (a heading over them; "" for none); ``libelle(form)``, when given, names the
    row instead of the field's label (forms sharing one field object, see ``ChampPartage``). The
    form's hidden fields go in the row, its errors under its legend; non-form errors and a summary
    linking to the rows in error come first.

    The rows are written by Python (``_Grille.html``), not by the template engine: a grid of
    230 rows has 1,150 radios, and even one template loop over them cost some 30 ms of CPU per
    page (issue 18) where joining strings costs about 2. The price is that only the hidden fields
    and the choice field of each form are drawn (no layout, no other visible field), and that
    choices are flat (no option groups). ``form_tag`` and ``disable_csrf`` work as on any helper.
    """

    template = "crispy_dsfr/grille_choix.html"

    def __init__(self, formset, *, champ, groupe=None, libelle=None, vide="Aucune ligne à afficher."):
        super().__init__()
        self.grille = _Grille(self, formset, champ, groupe=groupe, libelle=libelle, vide=vide)


class ChampPartage:
    """Mixin of a form field shared by every form of a formset instead of copied into each.

    A form deep-copies its fields when it is built; a grid of a few hundred rows built a few
    hundred copies of the same fields, choices and widgets. A field that no form changes after
    it is declared can be shared: the row's varying label then comes from ``GrilleChoix``'s
    ``libelle``, not from the field.
    """

    def __deepcopy__(self, memo):
        return self


class _Grille:
    """What grille_choix.html draws, read from the formset at render time (after validation)."""

    def __init__(self, helper, formset, champ, *, groupe, libelle, vide):
        self.helper = helper
        self.formset = formset
        self.champ = champ
        self.groupe = groupe
        self.libelle = libelle
        self.vide = vide

    @cached_property
    def colonnes(self):
        """(value, label) of each choice, as strings."""
        forms_ = self.formset.forms
        field = forms_[0].fields[self.champ] if forms_ else self.formset.form.base_fields[self.champ]
        return [(str(valeur), str(libelle)) for valeur, libelle in field.choices]

    @cached_property
    def _colonnes_html(self):
        """(value, value escaped, label escaped) of each choice: escaped once, not once per row."""
        return [(valeur, escape(valeur), escape(libelle)) for valeur, libelle in self.colonnes]

    @cached_property
    def lignes(self):
        return [self._ligne(form) for form in self.formset.forms]

    @cached_property
    def groupes(self):
        """The rows in runs of the same group: [{"titre": …, "id": …, "lignes": [...]}]."""
        groupes = []
        for ligne in self.lignes:
            if not groupes or groupes[-1]["titre"] != ligne["groupe"]:
                groupes.append({"titre": ligne["groupe"], "id": f"{ligne['id']}-groupe", "lignes": []})
            groupes[-1]["lignes"].append(ligne)
        return groupes

    @property
    def erreurs(self):
        """(anchor, row label, message) of every row's error, for the summary at the top."""
        return [(ligne["ancre"], ligne["libelle"], erreur) for ligne in self.lignes for erreur in ligne["erreurs"]]

    def _ligne(self, form):
        champ = form[self.champ]
        identifiant = champ.auto_id or f"id_{champ.html_name}"
        # Same rule as Django's RadioSelect: no value at all checks the "" choice.
        valeur = champ.value()
        valeur = "" if valeur is None else str(valeur)
        erreurs = []
        if form.is_bound and self.helper.form_show_errors:
            erreurs.extend(form.non_field_errors())
            for nom in form.fields:
                erreurs.extend(form.errors.get(nom, ()))
        caches = []
        for bound_field in form.hidden_fields():
            cachee = bound_field.value()
            caches.append((bound_field.html_name, bound_field.auto_id, "" if cachee is None else str(cachee)))
        return {
            "libelle": str(self.libelle(form) if self.libelle else champ.label),
            "groupe": str(self.groupe(form)) if self.groupe else "",
            "id": identifiant,
            "ancre": f"{identifiant}_0" if self.colonnes else identifiant,
            "nom": champ.html_name,
            "valeur": valeur,
            "caches": caches,
            "erreurs": [str(erreur) for erreur in erreurs],
        }

    @property
    def html(self):
        """The grid's rows, grouped: one fieldset per row, one radio and its label per choice."""
        morceaux = ['<div class="grille-choix">']
        for groupe in self.groupes:
            if groupe["titre"]:
                titre = escape(groupe["titre"])
                morceaux.append(
                    f'<div class="grille-choix__groupe" role="group" aria-labelledby="{groupe["id"]}">'
                    f'<p class="grille-choix__titre" id="{groupe["id"]}">{titre}</p>'
                )
            else:
                morceaux.append('<div class="grille-choix__groupe">')
            morceaux.extend(self._html_ligne(ligne) for ligne in groupe["lignes"])
            morceaux.append("</div>")
        morceaux.append("</div>")
        return mark_safe("\n".join(morceaux))  # every value above is escaped

    def _html_ligne(self, ligne):
        libelle = escape(ligne["libelle"])
        identifiant = escape(ligne["id"])
        nom = escape(ligne["nom"])
        morceaux = [f'<fieldset class="grille-choix__ligne"><legend class="grille-choix__legende">{libelle}</legend>']
        for nom_cache, id_cache, valeur_cache in ligne["caches"]:
            attribut_id = f' id="{escape(id_cache)}"' if id_cache else ""
            morceaux.append(
                f'<input type="hidden" name="{escape(nom_cache)}" value="{escape(valeur_cache)}"{attribut_id}>'
            )
        decrit_par = ""
        if ligne["erreurs"]:
            # The error text under the row's legend describes each radio of the row.
            erreur_id = f"{identifiant}-desc-error"
            decrit_par = f' aria-describedby="{erreur_id}"'
            texte = escape(" ".join(ligne["erreurs"]))
            morceaux.append(f'<p class="fr-error-text fr-mt-0 fr-mb-1w" id="{erreur_id}">{texte}</p>')
        morceaux.append('<div class="grille-choix__boutons">')
        for index, (valeur, valeur_html, libelle_choix_html) in enumerate(self._colonnes_html):
            coche = " checked" if valeur == ligne["valeur"] else ""
            morceaux.append(
                f'<span class="grille-choix__choix"><input type="radio" class="grille-choix__radio"'
                f' id="{identifiant}_{index}" name="{nom}" value="{valeur_html}"{coche}{decrit_par}>'
                f'<label class="grille-choix__bouton" for="{identifiant}_{index}">{libelle_choix_html}'
                f'<span class="fr-sr-only"> — {libelle}</span></label></span>'
            )
        morceaux.append("</div></fieldset>")
        return "".join(morceaux)

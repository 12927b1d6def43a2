"""A crispy form's HTML, drawn once per process for the same inputs (issue 18).

The forms of the pages seen all day are drawn again and again the same: a list's filter form on
every page of the list, the séance entry form blank for each new séance. Through crispy's templates,
drawing one cost a quarter of a list page's CPU on the slow machines of the load test. `dessiner(form)`
returns what `{% crispy form %}` draws, kept per process and keyed by everything it is drawn from
(`cle_du_dessin`): the form's class and settings, its helper's settings and layout, and for each field
its name, kinds, label, help, widget attributes, state, value and choices.

Never kept: a bound form with errors (its messages are the user's own), a form whose drawing holds a
CSRF token (a helper for POST that does not disable it: the token is the request's own), and a form
whose layout holds `HTML` pieces (they read the page's context). Such forms are drawn as
`{% crispy form %}` draws them, with the page's context when it is given.
"""

import threading
from collections import OrderedDict

from crispy_forms.layout import HTML
from crispy_forms.utils import render_crispy_form
from django.utils.safestring import SafeString

__all__ = ["DessinsGardes", "cle_du_dessin", "dessiner", "oublier_les_dessins"]


class DessinsGardes:
    """Drawings kept by key in this process, the most recently used last, at most `maximum` of them
    (the oldest forgotten first); shared by the threads of a worker."""

    _tous: "list[DessinsGardes]" = []

    def __init__(self, maximum: int):
        self.maximum = maximum
        self._dessins: OrderedDict = OrderedDict()
        self._verrou = threading.Lock()
        DessinsGardes._tous.append(self)

    def lire(self, cle) -> SafeString | None:
        with self._verrou:
            html = self._dessins.get(cle)
            if html is not None:
                self._dessins.move_to_end(cle)
            return html

    def garder(self, cle, html: SafeString) -> None:
        with self._verrou:
            self._dessins[cle] = html
            while len(self._dessins) > self.maximum:
                self._dessins.popitem(last=False)

    def __len__(self):
        return len(self._dessins)

    def oublier(self) -> None:
        with self._verrou:
            self._dessins.clear()


# Forms' drawings: a few kilobytes each.
_DESSINS = DessinsGardes(256)


def oublier_les_dessins():
    """Forget every drawing kept, forms' and others' (for tests that compare drawings)."""
    for dessins in DessinsGardes._tous:
        dessins.oublier()


def _fige(valeur, profondeur=0):
    """`valeur` (choices, attributes, a value, a layout object) as a hashable key of text."""
    if profondeur > 20:
        raise ValueError("Structure trop profonde pour une clé de dessin.")
    if valeur is None or isinstance(valeur, (bool, int, str)):
        return valeur
    if isinstance(valeur, (list, tuple)):
        return tuple(_fige(v, profondeur + 1) for v in valeur)
    if isinstance(valeur, dict):
        return tuple(sorted((str(k), _fige(v, profondeur + 1)) for k, v in valeur.items()))
    if type(valeur).__module__.startswith("crispy_forms") or type(valeur).__module__.startswith("socle."):
        # A layout object or a helper's input: its class and attributes.
        return (type(valeur).__module__, type(valeur).__qualname__, _fige(vars(valeur), profondeur + 1))
    return str(valeur)


def _lit_la_page(helper) -> bool:
    """Whether the drawing reads the page's context: a CSRF token, or `HTML` pieces in the layout."""
    if (helper.form_method or "").lower() == "post" and not helper.disable_csrf:
        return True
    a_voir = [helper.layout] if helper.layout is not None else []
    while a_voir:
        objet = a_voir.pop()
        if isinstance(objet, HTML):
            return True
        a_voir.extend(getattr(objet, "fields", ()))
    return False


def cle_du_dessin(form) -> tuple:
    """What `form`'s HTML is drawn from (see the module's docstring)."""
    helper = form.helper
    champs = []
    for champ in form:
        field, widget = champ.field, champ.field.widget
        champs.append(
            (
                champ.html_name, type(field), type(widget), str(champ.label), str(champ.help_text),
                _fige(widget.attrs), field.required, field.disabled, field.show_hidden_initial,
                _fige(champ.value()), _fige(getattr(widget, "choices", None)),
            )
        )  # fmt: skip
    reglages_form = (
        type(form).__module__, type(form).__qualname__, form.prefix, form.is_bound, form.auto_id,
        str(form.label_suffix), form.use_required_attribute, getattr(form, "error_css_class", None),
        getattr(form, "required_css_class", None),
    )  # fmt: skip
    reglages_helper = (
        helper.form_method, helper.form_action, helper.form_id, helper.form_class, helper.form_tag,
        helper.disable_csrf, helper.form_show_errors, helper.form_show_labels, helper.label_class,
        helper.field_class, helper.include_media, helper.template, _fige(helper.attrs), _fige(helper.inputs),
        _fige(helper.layout),
    )  # fmt: skip
    return (reglages_form, reglages_helper, tuple(champs))


def dessiner(form, contexte: dict | None = None) -> SafeString:
    """`{% crispy form %}` with the form's own helper, kept per process for the same inputs; `contexte`:
    the page's context (flattened), for the forms drawn every time."""
    for champ in form.fields.values():
        choix = getattr(champ.widget, "choices", None)
        if choix is not None and not isinstance(choix, list):
            # Read once (a query for a list from the database), for the key and the drawing both;
            # through iter(): list() would first ask a ModelChoiceIterator its length (a COUNT query).
            champ.widget.choices = list(iter(choix))
    if (form.is_bound and form.errors) or _lit_la_page(form.helper):
        return render_crispy_form(form, form.helper, contexte)
    try:
        cle = cle_du_dessin(form)
    except (ValueError, TypeError):
        # A layout whose objects cannot be made a key (too deep, a cycle, values that do not compare):
        # drawn every time rather than kept under a key that might not say everything.
        return render_crispy_form(form, form.helper, contexte)
    html = _DESSINS.lire(cle)
    if html is None:
        html = render_crispy_form(form, form.helper)
        _DESSINS.garder(cle, html)
    return html

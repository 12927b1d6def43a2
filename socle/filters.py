import threading
from collections import OrderedDict

import django_filters
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.safestring import SafeString
from django_filters.fields import ModelChoiceIterator as ModelChoiceIteratorFiltre

from .crispy_dsfr import DateInput, DsfrFormHelper
from .models import ActionJournal, JournalAcces


class _OptionsEnUneRequete(forms.models.ModelChoiceIterator):
    """A choice list's options read by one plain query.

    Django reads them with `queryset.iterator()`, which on PostgreSQL opens a server-side cursor:
    outside a transaction, a cursor WITH HOLD whose rows the server materialises, then a FETCH and a
    CLOSE — three round trips and twice the server's CPU (0.19 against 0.10 ms on the slow machines of
    the load test) for the few dozen companies or formations of an LP (issue 18). Every row becomes an
    <option>: reading them at once holds nothing more in memory.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # A new reading each time, as iterator() read the rows again: the field's own reading of its
        # options when its filter set gives one (`DsfrFilterSet.lectures_des_options`), else its queryset.
        lire = getattr(self.field, "lire_options", None)
        for obj in lire() if lire is not None else self.queryset.all():
            yield self.choice(obj)


class OptionsDuFiltre(ModelChoiceIteratorFiltre, _OptionsEnUneRequete):
    """django-filter's iterator (its « null » choice after the empty one) over the plain reading above."""


# The filter forms already drawn, by everything their HTML depends on (`DsfrFilterSet._cle_du_rendu`),
# most recently drawn last. Per process; a few kilobytes each.
_RENDUS: OrderedDict = OrderedDict()
_RENDUS_MAX = 256
_RENDUS_VERROU = threading.Lock()


def oublier_les_rendus():
    """Forget the filter forms drawn (for tests that compare renderings)."""
    with _RENDUS_VERROU:
        _RENDUS.clear()


def _fige(valeur):
    """`valeur` (choices, attributes, a field's value) as a hashable key of text."""
    if isinstance(valeur, (list, tuple)):
        return tuple(_fige(v) for v in valeur)
    if isinstance(valeur, dict):
        return tuple(sorted((str(k), _fige(v)) for k, v in valeur.items()))
    return valeur if valeur is None or isinstance(valeur, (bool, int)) else str(valeur)


class DsfrFilterSet(django_filters.FilterSet):
    """The base of every list's filters: a DSFR form sent by GET, with one « Filtrer » button.

    The helper is set on the form django-filter builds, and templates draw it with `{{ filtre.html }}`
    (the same HTML as `{% crispy filtre.form %}`, drawn once per process for the same inputs). Lists
    from the database (formations, companies, LPs) read their options in one query (`OptionsDuFiltre`),
    or by the filter set's own reading of them (`lectures_des_options`).
    """

    def lectures_des_options(self) -> dict:
        """{filter name: a function returning the objects of its choice list}, for lists read otherwise
        than by their queryset (a compiled query, socle.requetes): the same objects, in the same order."""
        return {}

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = DsfrFormHelper(form, submit_label="Filtrer")
            form.helper.form_method = "get"
            form.helper.disable_csrf = True
            lectures = self.lectures_des_options()
            for nom, champ in form.fields.items():
                if isinstance(champ, forms.ModelChoiceField):
                    champ.iterator = OptionsDuFiltre if hasattr(champ, "null_label") else _OptionsEnUneRequete
                    if nom in lectures:
                        champ.lire_options = lectures[nom]
                    # The widget keeps the choices it was given with the queryset: give them again.
                    champ.widget.choices = champ.choices
        return form

    @property
    def html(self) -> SafeString:
        """The filter form in DSFR markup, as `{% crispy filtre.form %}` draws it.

        A list's filter form is drawn on every page of the list, nearly always the same: the same
        fields, options and values. Drawing it through crispy's templates cost a quarter of a list
        page's CPU on the slow machines of the load test (issue 18); the HTML is kept per process,
        keyed by everything it is drawn from (`_cle_du_rendu`): a form with errors is always drawn.
        """
        form = self.form
        for champ in form.fields.values():
            choix = getattr(champ.widget, "choices", None)
            if choix is not None and not isinstance(choix, list):
                # Read once (a query for a list from the database), for the key and the drawing both;
                # through iter(): list() would first ask a ModelChoiceIterator its length (a COUNT query).
                champ.widget.choices = list(iter(choix))
        if form.is_bound and form.errors:
            return render_crispy_form(form, form.helper)
        cle = self._cle_du_rendu(form)
        with _RENDUS_VERROU:
            html = _RENDUS.get(cle)
            if html is not None:
                _RENDUS.move_to_end(cle)
                return html
        html = render_crispy_form(form, form.helper)
        with _RENDUS_VERROU:
            _RENDUS[cle] = html
            while len(_RENDUS) > _RENDUS_MAX:
                _RENDUS.popitem(last=False)
        return html

    @staticmethod
    def _cle_du_rendu(form) -> tuple:
        """What the form's HTML is drawn from: its class, its prefix, its helper's settings, and for each
        field its name, kind, label, help, widget attributes, state, value and choices."""
        helper = form.helper
        champs = []
        for champ in form:
            field, widget = champ.field, champ.field.widget
            champs.append(
                (
                    champ.html_name, type(field), type(widget), str(champ.label), str(champ.help_text),
                    _fige(widget.attrs), field.required, field.disabled, _fige(champ.value()),
                    _fige(getattr(widget, "choices", None)),
                )
            )  # fmt: skip
        reglages = (
            helper.form_method, helper.form_action, helper.form_id, helper.form_class, helper.form_tag,
            helper.disable_csrf, _fige(helper.attrs), tuple((type(i), _fige(vars(i))) for i in helper.inputs),
        )  # fmt: skip
        return (type(form).__module__, type(form).__qualname__, form.prefix, form.is_bound, reglages, tuple(champs))


class JournalFiltre(DsfrFilterSet):
    action = django_filters.ChoiceFilter(label="Action", choices=ActionJournal.choices, empty_label="Toutes")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="date__gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = JournalAcces
        fields = ["action", "depuis"]

import django_filters
from django import forms
from django.utils.safestring import SafeString
from django_filters.fields import ModelChoiceIterator as ModelChoiceIteratorFiltre

from .crispy_dsfr import DateInput, DsfrFormHelper
from .dessins import dessiner
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
        """The filter form in DSFR markup, as `{% crispy filtre.form %}` draws it, drawn once per process
        for the same inputs (`socle.dessins`): a list's filter form is drawn on every page of the list."""
        return dessiner(self.form)


class JournalFiltre(DsfrFilterSet):
    action = django_filters.ChoiceFilter(label="Action", choices=ActionJournal.choices, empty_label="Toutes")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="date__gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = JournalAcces
        fields = ["action", "depuis"]

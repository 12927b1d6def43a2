import django_filters
from django import forms
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
        # A new queryset at each reading, as iterator() read the rows again.
        for obj in self.queryset.all():
            yield self.choice(obj)


class OptionsDuFiltre(ModelChoiceIteratorFiltre, _OptionsEnUneRequete):
    """django-filter's iterator (its « null » choice after the empty one) over the plain reading above."""


class DsfrFilterSet(django_filters.FilterSet):
    """The base of every list's filters: a DSFR form sent by GET, with one « Filtrer » button.

    The helper is set on the form django-filter builds, so templates render it with a plain
    `{% crispy filtre.form %}` and no view has to hand a helper of its own. Lists from the database
    (formations, companies, LPs) read their options in one query (`OptionsDuFiltre`).
    """

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = DsfrFormHelper(form, submit_label="Filtrer")
            form.helper.form_method = "get"
            form.helper.disable_csrf = True
            for champ in form.fields.values():
                if isinstance(champ, forms.ModelChoiceField):
                    champ.iterator = OptionsDuFiltre if hasattr(champ, "null_label") else _OptionsEnUneRequete
                    # The widget keeps the choices it was given with the queryset: give them again.
                    champ.widget.choices = champ.choices
        return form


class JournalFiltre(DsfrFilterSet):
    action = django_filters.ChoiceFilter(label="Action", choices=ActionJournal.choices, empty_label="Toutes")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="date__gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = JournalAcces
        fields = ["action", "depuis"]

import django_filters

from .crispy_dsfr import DateInput, DsfrFormHelper
from .models import ActionJournal, JournalAcces


class DsfrFilterSet(django_filters.FilterSet):
    """The base of every list's filters: a DSFR form sent by GET, with one « Filtrer » button.

    The helper is set on the form django-filter builds, so templates render it with a plain
    `{% crispy filtre.form %}` and no view has to hand a helper of its own.
    """

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = DsfrFormHelper(form, submit_label="Filtrer")
            form.helper.form_method = "get"
            form.helper.disable_csrf = True
        return form


class JournalFiltre(DsfrFilterSet):
    action = django_filters.ChoiceFilter(label="Action", choices=ActionJournal.choices, empty_label="Toutes")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="date__gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = JournalAcces
        fields = ["action", "depuis"]

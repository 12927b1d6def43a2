import sys

import django_filters
from axes.helpers import get_client_ip_address
from django import db
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from .crispy_dsfr import DateInput, DsfrFormHelper
from .decorators import role_required, sans_double_authentification
from .forms import ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm
from .models import ActionJournal, JournalAcces
from .roles import Role
from .services import reinitialisation_autoriser, verrouillage_lever


@login_not_required
def accessibilite(request):
    return render(request, "socle/accessibilite.html")


@login_not_required
def mentions_legales(request):
    return render(request, "socle/mentions_legales.html")


@login_not_required
def donnees_personnelles(request):
    return render(request, "socle/donnees_personnelles.html")


connexion = auth_views.LoginView.as_view(authentication_form=ConnexionForm, redirect_authenticated_user=True)
deconnexion = sans_double_authentification(auth_views.LogoutView.as_view())


class MotDePasseOublieView(auth_views.PasswordResetView):
    """Sends the reset link, within the limits per address and per IP.

    A request over the limit gets the very same redirect to the "email sent" page, only
    no email: neither the limit nor the existence of an account shows.
    """

    form_class = MotDePasseOublieForm
    email_template_name = "registration/email_reinitialisation.txt"
    subject_template_name = "registration/sujet_reinitialisation.txt"

    def form_valid(self, form):
        if reinitialisation_autoriser(email=form.cleaned_data["email"], ip=get_client_ip_address(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class NouveauMotDePasseView(auth_views.PasswordResetConfirmView):
    """Sets the new password from the emailed link, and lifts a lockout of the account."""

    form_class = NouveauMotDePasseForm

    def form_valid(self, form):
        reponse = super().form_valid(form)
        verrouillage_lever(user=form.user)
        return reponse


mot_de_passe_oublie = MotDePasseOublieView.as_view()
mot_de_passe_envoye = auth_views.PasswordResetDoneView.as_view()
mot_de_passe_nouveau = NouveauMotDePasseView.as_view()
mot_de_passe_change = auth_views.PasswordResetCompleteView.as_view()


def erreur_serveur(request):
    """handler500: a database outage gets a French 503 page, other errors a plain 500 page.

    Neither page touches the database or the request's user: both must render while
    PostgreSQL is down.
    """
    _type, erreur, _tb = sys.exc_info()
    # django.db.Error, not DatabaseError: a persistent connection found closed raises
    # InterfaceError ("connection already closed"), which is not a DatabaseError.
    if isinstance(erreur, db.Error):
        reponse = HttpResponse(render_to_string("503.html"), status=503)
        reponse["Retry-After"] = "120"
        return reponse
    return HttpResponseServerError(render_to_string("500.html"))


class JournalFiltre(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label="Action", choices=ActionJournal.choices, empty_label="Toutes")
    depuis = django_filters.DateFilter(field_name="date", lookup_expr="date__gte", label="Depuis le", widget=DateInput)

    class Meta:
        model = JournalAcces
        fields = ["action", "depuis"]

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = DsfrFormHelper(form, submit_label="Filtrer")
            form.helper.form_method = "get"
        return form


@role_required({Role.CHEF})
def journal(request):
    """The access log of the current LP, for its chef d'établissement (responsable de traitement)."""
    filtre = JournalFiltre(
        request.GET or None, queryset=JournalAcces.objects.filter(etablissement_id=request.etablissement.pk)
    )
    page = Paginator(filtre.qs, 50).get_page(request.GET.get("page"))
    return render(request, "socle/journal.html", {"filtre": filtre, "page": page})

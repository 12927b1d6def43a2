"""Signing in and out, and resetting a forgotten password."""

from axes.helpers import get_client_ip_address
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from ..decorators import sans_double_authentification
from ..forms import ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm
from ..services import reinitialisation_autoriser, verrouillage_lever

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

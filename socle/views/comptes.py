"""Signing in and out, and resetting a forgotten password."""

import secrets

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from ..decorators import sans_double_authentification
from ..forms import ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm
from ..middleware import CLE_FIN_DE_SESSION
from ..reseau import ip_client
from ..services import reinitialisation_autoriser, verrouillage_lever

connexion = auth_views.LoginView.as_view(authentication_form=ConnexionForm, redirect_authenticated_user=True)


class DeconnexionView(auth_views.LogoutView):
    """Signs out; a session opened at an identity provider (ProConnect) is ended there too.

    The provider's end of session (OpenID Connect RP-initiated logout) gets the ID token,
    a fresh `state` and the way back: the login page, as registered with the provider.
    """

    def post(self, request, *args, **kwargs):
        fin = request.session.get(CLE_FIN_DE_SESSION) or {}
        reponse = super().post(request, *args, **kwargs)
        if not (fin.get("url") and fin.get("id_token")):
            return reponse
        parametres = {
            "id_token_hint": fin["id_token"],
            "state": secrets.token_urlsafe(32),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        return HttpResponseRedirect(f"{fin['url']}?{urlencode(parametres)}")


deconnexion = sans_double_authentification(DeconnexionView.as_view())


class MotDePasseOublieView(auth_views.PasswordResetView):
    """Sends the reset link, within the limits per address and per IP.

    A request over the limit gets the very same redirect to the "email sent" page, only
    no email: neither the limit nor the existence of an account shows.
    """

    form_class = MotDePasseOublieForm
    email_template_name = "registration/email_reinitialisation.txt"
    subject_template_name = "registration/sujet_reinitialisation.txt"

    def form_valid(self, form):
        if reinitialisation_autoriser(email=form.cleaned_data["email"], ip=ip_client(self.request)):
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

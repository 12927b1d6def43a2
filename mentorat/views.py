from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from .forms import ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm


@login_not_required
def accessibilite(request):
    return render(request, "mentorat/accessibilite.html")


@login_not_required
def mentions_legales(request):
    return render(request, "mentorat/mentions_legales.html")


@login_not_required
def donnees_personnelles(request):
    return render(request, "mentorat/donnees_personnelles.html")


connexion = auth_views.LoginView.as_view(authentication_form=ConnexionForm, redirect_authenticated_user=True)
deconnexion = auth_views.LogoutView.as_view()
mot_de_passe_oublie = auth_views.PasswordResetView.as_view(
    form_class=MotDePasseOublieForm,
    email_template_name="registration/email_reinitialisation.txt",
    subject_template_name="registration/sujet_reinitialisation.txt",
)
mot_de_passe_envoye = auth_views.PasswordResetDoneView.as_view()
mot_de_passe_nouveau = auth_views.PasswordResetConfirmView.as_view(form_class=NouveauMotDePasseForm)
mot_de_passe_change = auth_views.PasswordResetCompleteView.as_view()

from django.contrib import admin
from django.urls import include, path

from bilans.views import tableau_de_bord
from etablissements import proconnect
from etablissements.views import acces, communication
from socle import sante
from socle.views import comptes, journal, pages, securite

# Every error page of the project, in one place. Django's own handlers render our French
# templates (templates/400.html without the request, 403.html and 404.html with it); a CSRF
# failure renders templates/403_csrf.html (settings.CSRF_FAILURE_VIEW).
handler400 = "django.views.defaults.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "socle.views.pages.erreur_serveur"

urlpatterns = [
    path("", tableau_de_bord.accueil, name="accueil"),
    path("connexion/", comptes.connexion, name="login"),
    path("deconnexion/", comptes.deconnexion, name="logout"),
    path("mot-de-passe/oublie/", comptes.mot_de_passe_oublie, name="password_reset"),
    path("mot-de-passe/envoye/", comptes.mot_de_passe_envoye, name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", comptes.mot_de_passe_nouveau, name="password_reset_confirm"),
    path("mot-de-passe/change/", comptes.mot_de_passe_change, name="password_reset_complete"),
    path("invitation/<str:jeton>/", acces.invitation, name="invitation"),
    path("proconnect/connexion/", proconnect.connexion, name="proconnect_connexion"),
    path("proconnect/callback/", proconnect.retour, name="proconnect_callback"),
    path("connexion/code/", securite.code_otp, name="code_otp"),
    path("compte/securite/", securite.securite, name="securite"),
    path("accessibilite/", pages.accessibilite, name="accessibilite"),
    path("mentions-legales/", pages.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", pages.donnees_personnelles, name="donnees_personnelles"),
    # The public page of an LP's mentoring programme and its poster, published by the LP.
    path("mentorat/<str:uai>/", communication.page_publique, name="page_publique"),
    path("mentorat/<str:uai>/affiche.pdf", communication.affiche, name="page_publique_affiche"),
    path("etablissements/", include("etablissements.urls")),
    path("binomes/", include("binomes.urls")),
    path("bilans/", include("bilans.urls")),
    path("", include("seances.urls")),
    path("rgpd/", include("rgpd.urls")),
    path("sante/", sante.vivant, name="sante"),
    path("sante/detail/", sante.detail, name="sante_detail"),
    path("journal-des-acces/", journal.journal, name="journal"),
    path("admin/", admin.site.urls),
]

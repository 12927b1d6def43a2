from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SocleConfig(AppConfig):
    """The bottom layer: accounts, roles, DSFR forms, PDF, access log, task helpers.

    Its label stays "mentorat", the name it had when the project package and the core were one:
    tables (mentorat_user…), migration history, content types and AUTH_USER_MODEL keep it, so
    an existing base needs no migration. Renaming the label of the app holding the swappable
    user model would rewrite all of these by hand, for no change anyone sees.
    """

    name = "socle"
    label = "mentorat"
    verbose_name = "Comptes et socle"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import horodater_la_connexion

        # Session bookkeeping only: the clock of the session's maximum lifetime starts at login.
        user_logged_in.connect(horodater_la_connexion, dispatch_uid="mentorat-horodater-connexion")


class AdministrationConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that requires the second factor (socle.admin_site).

    `default = False`: "socle" in INSTALLED_APPS still means SocleConfig.
    """

    default = False
    default_site = "socle.admin_site.SiteAdministration"

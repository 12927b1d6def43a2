from django.apps import AppConfig


class MentoratConfig(AppConfig):
    name = "mentorat"
    verbose_name = "Comptes et socle"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import horodater_la_connexion

        # Session bookkeeping only: the clock of the session's maximum lifetime starts at login.
        user_logged_in.connect(horodater_la_connexion, dispatch_uid="mentorat-horodater-connexion")

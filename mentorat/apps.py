from django.apps import AppConfig


class MentoratConfig(AppConfig):
    name = "mentorat"
    verbose_name = "Comptes et socle"

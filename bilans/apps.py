from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "bilans"
    verbose_name = "Bilans et indicateurs"

    def ready(self):
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, deriver

        enregistrer_derivation(CODES, deriver)

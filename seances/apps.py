from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances et suivi"

    def ready(self):
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, deriver

        enregistrer_derivation(CODES, deriver)

        from binomes.encarts import enregistrer_encart

        from .voix import encart_binome

        enregistrer_encart(encart_binome)

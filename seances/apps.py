from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances et suivi"

    def ready(self):
        from binomes.objectifs import enregistrer_historique
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, deriver
        from .objectifs import historique

        enregistrer_derivation(CODES, deriver)
        enregistrer_historique(historique)

from django.apps import AppConfig

from binomes.encarts import enregistrer_encart


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances et suivi"

    def ready(self):
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, deriver
        from .voix import encart_binome

        enregistrer_derivation(CODES, deriver)
        # The binôme page shows the mentor's notes, without binomes importing séances.
        enregistrer_encart(encart_binome)

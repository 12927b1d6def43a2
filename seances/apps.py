from django.apps import AppConfig

from binomes.encarts import enregistrer_encart


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances et suivi"

    def ready(self):
        from binomes.objectifs import enregistrer_historique
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, annotations, deriver
        from .objectifs import historique
        from .sante import encart_sante
        from .sante_en_cache import connecter as connecter_sante_en_cache
        from .voix import encart_binome

        enregistrer_derivation(CODES, deriver, annotations)
        # The binôme page shows the pair's health with the student's answers, the mentor's notes and
        # the objectives' progress noted at séances,
        # without binomes importing séances.
        enregistrer_encart(encart_sante)
        enregistrer_encart(encart_binome)
        enregistrer_historique(historique)
        # The référent's dashboard keeps its health summary in the cache until a write it reads.
        connecter_sante_en_cache()

from django.apps import AppConfig


class BinomesConfig(AppConfig):
    name = "binomes"
    verbose_name = "Mentors, élèves et binômes"

    def ready(self):
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, deriver

        enregistrer_derivation(CODES, deriver)

from django.apps import AppConfig


class BinomesConfig(AppConfig):
    name = "binomes"
    verbose_name = "Mentors, élèves et binômes"

    def ready(self):
        from etablissements.frise import enregistrer_derivation

        from . import signaux as _signaux  # noqa: F401  (connects the receivers)
        from .frise import CODES, annotations, deriver

        enregistrer_derivation(CODES, deriver, annotations)

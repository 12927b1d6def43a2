from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances et suivi"

    def ready(self):
        from binomes.fiche import enregistrer_section
        from etablissements.frise import enregistrer_derivation

        from .frise import CODES, deriver
        from .views.sante import section_binome

        enregistrer_derivation(CODES, deriver)
        # The pair's health and the student's answers on the binôme page, which binomes cannot import.
        enregistrer_section("sante", section_binome)

from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "bilans"
    verbose_name = "Bilans et indicateurs"

    def ready(self):
        from etablissements.annee_suivante import enregistrer_source_ameliorations
        from etablissements.frise import enregistrer_derivation

        from .ameliorations import ameliorations
        from .frise import CODES, RELATIONS, annotations, deriver

        enregistrer_derivation(CODES, deriver, annotations, RELATIONS)
        enregistrer_source_ameliorations(ameliorations)

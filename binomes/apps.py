from django.apps import AppConfig


class BinomesConfig(AppConfig):
    name = "binomes"
    verbose_name = "Mentors, élèves et binômes"

from django.core.management.base import BaseCommand

from rgpd.retention import appliquer
from socle.formats import compte, pluriel


class Command(BaseCommand):
    help = "Anonymise les élèves et mentors dont le délai de conservation est échu (RGPD)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="essai",
            help="Affiche ce qui serait anonymisé, sans rien modifier.",
        )

    def handle(self, *args, essai=False, **options):
        bilan = appliquer(essai=essai)
        verbe = "serait anonymisé" if essai else "anonymisé"
        for decision in bilan.eleves + bilan.mentors:
            self.stdout.write(f"{decision} : {verbe}")
        total = f"{compte(len(bilan.eleves), 'élève')} et {compte(len(bilan.mentors), 'mentor')}"
        if essai:
            self.stdout.write(f"Essai : {total} à anonymiser, rien n’a été modifié.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{total} {pluriel(len(bilan.eleves) + len(bilan.mentors), 'anonymisé')}.")
            )

"""Start an académie: create it if missing and invite its first administrator (operators only).

    manage.py inviter_administrateur --academie "Lyon" --email prenom.nom@ac-lyon.fr [--prenom … --nom …]

The invitation goes through the same service as in the app (a single-use link valid 7
days, in the access log, with no author); the link itself is never printed: it is in the
email only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from socle.roles import Role

from ... import invitations
from ...models import Academie


class Command(BaseCommand):
    help = "Crée l’académie si besoin et invite son administrateur académique (lien valable 7 jours)."

    def add_arguments(self, parser):
        parser.add_argument("--academie", required=True, help="Nom de l’académie, par exemple « Lyon ».")
        parser.add_argument("--email", required=True, help="Adresse électronique de l’administrateur.")
        parser.add_argument("--prenom", default="")
        parser.add_argument("--nom", default="")

    def handle(self, *args, academie, email, prenom, nom, **options):
        nom_academie = " ".join(academie.split())
        if not nom_academie:
            raise CommandError("Indiquez le nom de l’académie (--academie « Lyon »).")
        try:
            validate_email(email.strip())
        except ValidationError as erreur:
            raise CommandError(f"Adresse électronique invalide : « {email} ».") from erreur
        try:
            with transaction.atomic():
                lieu = Academie.objects.filter(nom__iexact=nom_academie).first()
                creee = lieu is None
                if creee:
                    lieu = Academie.objects.create(nom=nom_academie)
                invitation = invitations.inviter(
                    par=None,
                    email=email,
                    role=Role.ADMIN_ACADEMIQUE,
                    lieu=lieu,
                    prenom=prenom,
                    nom=nom,
                    verifier=False,
                )
        except ValidationError as erreur:
            raise CommandError(" ".join(erreur.messages)) from erreur
        if creee:
            self.stdout.write(f"{lieu} créée.")
        else:
            self.stdout.write(f"{lieu} : elle existait déjà.")
        expire = timezone.localtime(invitation.expire_le)
        self.stdout.write(
            self.style.SUCCESS(
                f"Invitation envoyée par courriel à {invitation.email} (administrateur académique, {lieu}). "
                f"Le lien, à usage unique, est valable 7 jours : jusqu’au {expire:%d/%m/%Y à %H:%M}."
            )
        )
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"(Serveur de développement : le courriel est écrit dans {settings.EMAIL_FILE_PATH}.)")

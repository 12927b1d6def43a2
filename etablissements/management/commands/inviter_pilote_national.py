"""Invite a national pilot: the country's aggregates per académie, no LP (operators only).

    manage.py inviter_pilote_national --email prenom.nom@education.gouv.fr [--prenom … --nom …]

The same invitation service as in the app and as `inviter_administrateur` (a single-use link
valid 7 days, in the access log, with no author); the link itself is never printed. Nobody
hands out this role in the app: the operators do, here or in the Django admin.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from socle.roles import Role

from ... import invitations
from ...models.affectation import NATIONAL


class Command(BaseCommand):
    help = "Invite une personne au pilotage national (indicateurs agrégés par académie ; lien valable 7 jours)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="Adresse électronique de la personne invitée.")
        parser.add_argument("--prenom", default="")
        parser.add_argument("--nom", default="")

    def handle(self, *args, email, prenom, nom, **options):
        try:
            validate_email(email.strip())
        except ValidationError as erreur:
            raise CommandError(f"Adresse électronique invalide : « {email} ».") from erreur
        try:
            invitation = invitations.inviter(
                par=None,
                email=email,
                role=Role.PILOTAGE_NATIONAL,
                lieu=NATIONAL,
                prenom=prenom,
                nom=nom,
                verifier=False,
            )
        except ValidationError as erreur:
            raise CommandError(" ".join(erreur.messages)) from erreur
        expire = timezone.localtime(invitation.expire_le)
        self.stdout.write(
            self.style.SUCCESS(
                f"Invitation envoyée par courriel à {invitation.email} (pilotage national). "
                f"Le lien, à usage unique, est valable 7 jours : jusqu’au {expire:%d/%m/%Y à %H:%M}."
            )
        )
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"(Serveur de développement : le courriel est écrit dans {settings.EMAIL_FILE_PATH}.)")

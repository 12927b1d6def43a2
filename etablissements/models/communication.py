"""The LP's public page presenting its mentoring programme (the sheet: « communiquer le plus largement
possible »): published by the LP when it chooses, reachable without an account, printed as a poster."""

from django.db import models
from django.urls import reverse

from socle import roles as R
from socle.roles import Role

from ..scoping import ScopedQuerySet
from .etablissement import Etablissement


class PagePublique(models.Model):
    etablissement = models.OneToOneField(Etablissement, on_delete=models.CASCADE, related_name="page_publique")
    publiee = models.BooleanField(
        "page publiée", default=False, help_text="Tant qu’elle n’est pas publiée, la page n’existe pas pour le public."
    )
    presentation = models.TextField(
        "le mentorat au lycée",
        max_length=3000,
        blank=True,
        help_text="Ce que le mentorat apporte aux élèves du lycée, en quelques phrases.",
    )
    participer_eleve = models.TextField(
        "élèves : comment participer",
        max_length=1500,
        blank=True,
        help_text="À qui s’adresser pour être volontaire (fonctions, pas de nom ni d’adresse personnelle).",
    )
    devenir_mentor = models.TextField(
        "devenir mentor",
        max_length=1500,
        blank=True,
        help_text="Pour les salariés et les entreprises : l’association, la démarche, le temps demandé.",
    )
    contact_email = models.EmailField(
        "courriel de contact",
        blank=True,
        help_text="Une adresse fonctionnelle (lycée ou association), jamais une adresse personnelle.",
    )
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    CHEMIN_ETABLISSEMENT = "etablissement"
    ROLES_LECTURE = R.LECTURE_PROGRAMME
    ROLES_ECRITURE = frozenset({Role.REFERENT, Role.CHEF})

    class Meta:
        verbose_name = "page publique du mentorat"
        verbose_name_plural = "pages publiques du mentorat"

    def __str__(self):
        return f"Page publique — {self.etablissement}"

    def get_absolute_url(self):
        return reverse("page_publique", args=[self.etablissement.uai])

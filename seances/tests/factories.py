import datetime

import factory

from binomes.tests.factories import BinomeFactory
from etablissements.tests.factories import DispositifFactory
from seances.models import Participation, Presence, Seance, StatutSeance


class SeanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seance

    dispositif = factory.SubFactory(DispositifFactory)
    date = datetime.date(2026, 11, 2)
    heure = datetime.time(14, 0)
    statut = StatutSeance.TENUE

    @factory.post_generation
    def binome(self, create, binome, **kwargs):
        """SeanceFactory(binome=b) expects b's mentor and student at the séance."""
        if create and binome:
            Participation.objects.create(seance=self, mentor=binome.mentor, presence=Presence.PRESENT)
            Participation.objects.create(seance=self, eleve=binome.eleve, presence=Presence.PRESENT)


__all__ = ["BinomeFactory", "SeanceFactory"]

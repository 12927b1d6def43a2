"""The benchmark (bench/bench_pages.py, run by hand) must keep posting valid séances as the page changes."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes.tests.factories import BinomeFactory
from seances.models import Participation, Presence, Seance

pytestmark = pytest.mark.django_db

CHEMIN = Path(__file__).resolve().parent.parent / "bench" / "bench_pages.py"
spec = importlib.util.spec_from_file_location("bench_pages", CHEMIN)
bench_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_pages)


def test_le_formulaire_lu_par_le_banc_enregistre_une_seance(client, cast):
    binome = BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.coordonnateur_a)
    url = reverse("seances:nouvelle") + f"?dispositif={cast.dispositif_a.pk}"

    donnees = bench_pages.donnees_seance(client.get(url).content.decode(), timezone.localdate())
    reponse = client.post(url, donnees)

    assert reponse.status_code == 302, reponse.context["form"].errors if reponse.context else reponse
    seance = Seance.objects.get()
    presents = Participation.objects.filter(seance=seance, presence=Presence.PRESENT)
    assert {(p.mentor_id, p.eleve_id) for p in presents} == {(binome.mentor_id, None), (None, binome.eleve_id)}

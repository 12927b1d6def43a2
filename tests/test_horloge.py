"""The tests' fixed clock (tests/horloge.py): every test on the same day, whatever the machine's."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from etablissements.models.dispositif import annee_scolaire_courante
from tests import horloge


def test_chaque_test_commence_au_meme_instant_quel_que_soit_le_jour_de_la_machine():
    assert abs(timezone.now() - horloge.HORLOGE) < datetime.timedelta(minutes=1)
    assert timezone.localtime().hour == 10
    assert (timezone.localdate(), annee_scolaire_courante()) == (datetime.date(2026, 11, 30), 2026)


@pytest.mark.horloge_reelle
def test_un_test_marque_garde_l_horloge_de_la_machine():
    assert not time_machine.escape_hatch.is_travelling()

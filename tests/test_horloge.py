"""The tests' fixed clock (tests/horloge.py): every test, the processes it starts and the pages of its
browser on the same day, whatever the machine's."""

import datetime
import subprocess

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from conftest import contexte_navigateur
from etablissements.models.dispositif import annee_scolaire_courante
from tests import horloge


def test_chaque_test_commence_au_meme_instant_quel_que_soit_le_jour_de_la_machine():
    assert abs(timezone.now() - horloge.HORLOGE) < datetime.timedelta(minutes=1)
    assert timezone.localtime().hour == 10
    assert (timezone.localdate(), annee_scolaire_courante()) == (datetime.date(2026, 11, 30), 2026)


@pytest.mark.horloge_reelle
def test_un_test_marque_garde_l_horloge_de_la_machine():
    assert not time_machine.escape_hatch.is_travelling()


def test_un_sous_processus_lance_par_commande_suit_l_horloge_du_test():
    # A year the machine will never see: the child can only print it by travelling to it too.
    # `python -m calendar` prints the calendar of today's year.
    with time_machine.travel(datetime.datetime(2001, 5, 2, 12, tzinfo=datetime.UTC)):
        sortie = subprocess.run(
            horloge.commande("calendar"), cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=60
        ).stdout
    assert sortie.split()[0] == "2001"


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_chromium_date_ses_pages_a_l_horloge_du_test_et_garde_les_cookies_de_django(browser, live_server, cast):
    # Chromium keeps the machine's clock, years after this one: a cookie it counted by its
    # Expires (the CSRF cookie's is a year after the test's now) would be gone at once.
    with time_machine.travel(datetime.datetime(2001, 5, 2, 12, tzinfo=datetime.UTC)):
        contexte = contexte_navigateur(browser, live_server)
        try:
            page = contexte.new_page()
            page.goto("/connexion/")
            assert page.evaluate("new Date().getFullYear()") == 2001
            page.get_by_label("Adresse électronique").fill("referent.a@exemple.fr")
            page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
        finally:
            contexte.close()

"""In Chromium: the mentor answers their reminder without signing in; the référent sees the impediment."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from seances import rappels
from seances.tests.factories import SeanceFactory
from seances.tests.test_navigateur_seances import connexion
from tests.outils import cocher

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_le_mentor_annonce_un_empechement_depuis_son_rappel(page, live_server, cast, binome_a, mailoutbox):
    seance = SeanceFactory(
        dispositif=cast.dispositif_a, binome=binome_a, prevue=True, heure=datetime.time(14, 0), lieu_precision="B12"
    )
    rappels.rappels_envoyer(maintenant=datetime.datetime(2026, 12, 8, 7, 5, tzinfo=ZoneInfo("Europe/Paris")))
    message = next(m for m in mailoutbox if m.to == ["nadia@entreprise.fr"])
    ligne = next(ligne for ligne in message.body.splitlines() if "/rappels/reponse/" in ligne)
    lien = urlsplit(ligne.rsplit(" ", 1)[-1]).path
    mailoutbox.clear()

    page.goto(lien)
    page.get_by_role("heading", name="Votre prochaine séance de mentorat").wait_for()
    contenu = page.content()
    assert "jeudi 10 décembre 2026" in contenu and "B12" in contenu
    assert binome_a.eleve.prenom not in contenu and binome_a.mentor.nom not in contenu
    cocher(page.get_by_label("J’ai un empêchement"))  # DSFR draws the radio on its label
    page.get_by_label("Motif de l’empêchement").fill("Déplacement professionnel")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.get_by_text("sont prévenus de votre empêchement").wait_for()
    assert sorted(m.to[0] for m in mailoutbox) == ["coordonnateur.a@exemple.fr", "referent.a@exemple.fr"]
    # The link served once.
    page.goto(lien)
    page.get_by_role("heading", name="Ce lien ne peut plus servir").wait_for()

    connexion(page, "referent.a@exemple.fr")
    page.goto(seance.get_absolute_url())
    page.get_by_text("Empêchement annoncé").wait_for()
    assert "Déplacement professionnel" in page.content()

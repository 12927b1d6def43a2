"""Issue 15, acceptance 1, in Chromium: the coordinator logs a séance, the mentor writes their note on a
phone with a need flagged, the référent sees it on the dashboard; another mentor of the LP gets a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes.tests.factories import MentorFactory
from etablissements.tests.factories import AffectationFactory
from seances.models import Alerte, NoteMentor, Seance, TypeAlerte
from socle.roles import Role
from socle.tests.factories import UserFactory
from tests.outils import cocher

from .test_navigateur_seances import connexion, deconnexion

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_note_du_mentor_avec_un_besoin_jusqu_au_referent(page, live_server, cast, binome_a):
    jour = timezone.localdate() - timedelta(days=2)
    autre = UserFactory(email="autre.mentor@exemple.fr")
    AffectationFactory(user=autre, role=Role.MENTOR, etablissement=cast.lp_a)
    MentorFactory(etablissement=cast.lp_a, user=autre, verifie=True)

    # The coordinator logs the held séance of the binôme.
    connexion(page, "coordonnateur.a@exemple.fr")
    page.goto("/seances/nouvelle/")
    page.locator("#id_date").fill(jour.isoformat())
    page.get_by_label("Heure").fill("14:00")
    cocher(page.get_by_role("group", name="Statut").get_by_label("Tenue"))
    page.get_by_label(f"Présent — {binome_a.mentor} — mentor", exact=True).check()
    page.get_by_label(f"Présent — {binome_a.eleve} — 1MELEC", exact=True).check()
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_text("La séance et les présences sont enregistrées.").wait_for()
    seance = Seance.objects.get()
    deconnexion(page)

    # The mentor, on a phone: the home page asks for the note.
    page.set_viewport_size({"width": 390, "height": 844})
    connexion(page, "mentor.a@exemple.fr")
    page.get_by_role("link", name="Écrire ma note").click()
    page.wait_for_url(f"**{reverse('seances:note_mentor', args=[seance.pk])}")
    assert page.get_by_role("radio", name="Oui").is_checked()
    page.get_by_label("Ce que nous avons fait").fill("Relu son CV, préparé l’appel au garage.")
    page.get_by_label("La suite prévue").fill("Appel au garage mardi.")
    cocher(page.get_by_label("Difficulté avec l’élève"))  # DSFR draws the box on its label
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Enregistrer ma note").click()
    page.get_by_text("Votre note est enregistrée.").wait_for()
    assert not page.get_by_role("link", name="Écrire ma note").count()
    note = NoteMentor.objects.get()
    assert note.difficulte_eleve and not note.besoin_aide_referent and note.suite == "Appel au garage mardi."
    assert set(Alerte.objects.filter(type=TypeAlerte.BESOIN_MENTOR).values_list("destinataire", flat=True)) == {
        cast.referent_a.pk,
        cast.coordonnateur_a.pk,
    }
    page.set_viewport_size({"width": 1280, "height": 900})  # the header's logout button, outside the phone menu
    deconnexion(page)

    # The référent sees the need on the dashboard, reads the note, and marks it handled.
    connexion(page, "referent.a@exemple.fr")
    bloc = page.get_by_role("table", name="Besoins signalés par les mentors, à traiter")
    page.get_by_role("heading", name="Besoins signalés par les mentors").wait_for()
    assert bloc.get_by_role("rowheader", name=str(binome_a.mentor), exact=True).is_visible()
    bloc.get_by_role("link", name=str(seance)).click()
    page.get_by_text("Relu son CV, préparé l’appel au garage.").wait_for()
    page.go_back()
    page.get_by_role("button", name="Marquer comme traité").click()
    page.get_by_text("est marqué comme traité").wait_for()
    assert page.get_by_text("Aucun besoin en attente.").is_visible()
    deconnexion(page)

    # Another mentor of the same LP: no note to read, 404.
    connexion(page, "autre.mentor@exemple.fr")
    reponse = page.goto(reverse("seances:note_mentor", args=[seance.pk]))
    assert reponse.status == 404
    assert page.get_by_text("Relu son CV").count() == 0

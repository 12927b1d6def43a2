"""Acceptance 6, in Chromium: the coordinator logs a collective séance, the CPE follows up."""

import pytest

from binomes.models import Eleve
from binomes.tests.factories import BinomeFactory, EleveFactory
from seances.models import EntretienAbsence, Presence, Seance, TypeSeance
from seances.tests.factories import SeanceFactory
from tests.outils import cocher

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def connexion(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def deconnexion(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")


def test_seance_collective_entretien_puis_absence_declaree(page, live_server, cast, binome_a, mailoutbox):
    eleves = [
        EleveFactory(etablissement=cast.lp_a, prenom=prenom, nom=nom, classe="1MELEC")
        for prenom, nom in (("Lina", "Moreau"), ("Yanis", "Bouzid"), ("Emma", "Petit"))
    ]
    prevue = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True)
    Eleve.objects.filter(pk=binome_a.eleve_id).update(sexe="M")  # « Absent prévu » below

    connexion(page, "coordonnateur.a@exemple.fr")
    page.get_by_role("link", name="Séances", exact=True).first.click()
    page.get_by_role("link", name="Saisir une séance").click()
    # The grid lists the dispositif's binômes; a collective séance reaches the rest of the LP.
    page.get_by_label(f"Présent — {binome_a.eleve} — 1MELEC", exact=True).wait_for()
    assert not page.get_by_label(f"Présent — {eleves[0]} — 1MELEC", exact=True).count()
    page.get_by_role("link", name="Afficher tous les élèves et mentors du LP").click()
    page.get_by_role("link", name="N’afficher que les binômes du dispositif").wait_for()
    page.get_by_label("Type de séance").select_option(label="Séance collective")
    page.locator("#id_date").fill("2026-11-20")
    page.get_by_label("Heure").fill("10:00")
    page.get_by_role("group", name="Statut").get_by_label("Tenue").check(
        force=True
    )  # DSFR draws the radio on its label
    page.get_by_label("Compte rendu").fill("Atelier sur les codes de l’entreprise.")
    # One native radio per cell, named "<presence> — <row>"; a row is one radio group.
    page.get_by_label(f"Présent — {binome_a.mentor} — mentor", exact=True).check()
    page.get_by_label(f"Présent — {eleves[0]} — 1MELEC", exact=True).check()
    attendu = page.get_by_label(f"Attendu — {eleves[1]} — 1MELEC", exact=True)
    attendu.check()
    attendu.press("ArrowRight")  # the arrow keys move along the row
    assert page.get_by_label(f"Présent — {eleves[1]} — 1MELEC", exact=True).is_checked()
    page.get_by_label(f"Absent non excusé — {eleves[2]} — 1MELEC", exact=True).check()
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_text("La séance et les présences sont enregistrées.").wait_for()

    seance = Seance.objects.get(type=TypeSeance.COLLECTIVE)
    assert seance.participations.filter(eleve__isnull=False).count() == 3
    assert seance.participations.get(eleve=eleves[2]).presence == Presence.ABSENT_NON_EXCUSE
    assert EntretienAbsence.objects.get().eleve == eleves[2]
    deconnexion(page)

    connexion(page, "cpe.a@exemple.fr")
    page.get_by_role("link", name="Absences et entretiens").click()
    assert page.get_by_role("link", name=str(eleves[2])).is_visible()
    assert page.get_by_text("À traiter : 1 entretien").is_visible()

    page.goto(prevue.get_absolute_url())
    page.get_by_role("link", name="Déclarer une absence").click()
    page.get_by_label("Qui sera absent ?").select_option(label=str(binome_a.eleve))
    page.get_by_label("Motif").fill("Rendez-vous administratif")
    page.get_by_role("button", name="Déclarer l’absence").click()
    page.get_by_text("L’absence est déclarée").wait_for()
    assert page.get_by_text("Absent prévu").is_visible()
    assert [m.to for m in mailoutbox] == [["nadia@entreprise.fr"]]
    assert "Rendez-vous administratif" in mailoutbox[0].body


def test_saisie_sur_telephone_tous_presents_puis_un_absent(page, live_server, cast, binome_a):
    """On a phone, the coordinator marks everyone present in one tap, then the one student who is absent."""
    autre = BinomeFactory(dispositif=cast.dispositif_a)
    page.set_viewport_size({"width": 390, "height": 844})
    connexion(page, "coordonnateur.a@exemple.fr")
    page.goto("/seances/nouvelle/")
    # One group per binôme: its mentor and its student together.
    groupe = page.get_by_role("group", name=f"Binôme : {binome_a.eleve} avec {binome_a.mentor}")
    assert groupe.get_by_role("group", name=f"{binome_a.mentor} — mentor").is_visible()
    present = groupe.get_by_role("group", name=f"{binome_a.eleve} — 1MELEC").get_by_role("radio", name="Présent")
    # A button a finger can hit.
    assert present.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#id_date").fill("2026-11-20")
    page.get_by_label("Heure").fill("10:00")
    cocher(page.get_by_role("group", name="Statut").get_by_label("Tenue"))
    page.get_by_role("button", name="Tous présents").click()
    assert page.get_by_role("status").filter(has_text="4 personnes marquées présentes.").count() == 1
    for personne in (binome_a.mentor, autre.mentor):
        assert page.get_by_label(f"Présent — {personne} — mentor", exact=True).is_checked()
    page.get_by_label(f"Absent excusé — {autre.eleve} — 1MELEC", exact=True).check()
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_text("La séance et les présences sont enregistrées.").wait_for()
    presences = dict(Seance.objects.get().participations.values_list("eleve_id", "presence"))
    assert presences[binome_a.eleve.pk] == Presence.PRESENT
    assert presences[autre.eleve.pk] == Presence.ABSENT_EXCUSE
    assert presences[None] == Presence.PRESENT  # the mentors

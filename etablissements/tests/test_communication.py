"""The LP's public page on its mentoring programme: published by the référent or the chef, read
without an account, printed as a tagged PDF poster whose QR code leads to it."""

import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from etablissements.models import PagePublique
from etablissements.tests.factories import VersionCadrageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publiee(cast):
    VersionCadrageFactory(
        dispositif=cast.dispositif_a, validee=True, objectifs="- Réduire le décrochage en 2de\n- Trouver un stage"
    )
    VersionCadrageFactory(dispositif=cast.dispositif_a, objectifs="Brouillon à ne pas montrer")
    return PagePublique.objects.create(
        etablissement=cast.lp_a,
        publiee=True,
        devenir_mentor="Écrivez à l’association : une heure par mois.",
        contact_email="mentorat@lycee-alpha.fr",
    )


def test_le_public_lit_la_page_publiee_sans_compte(client, cast, publiee):
    reponse = client.get(reverse("page_publique", args=[cast.lp_a.uai]))
    texte = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Réduire le décrochage en 2de" in texte and "Trouver un stage" in texte
    assert "Brouillon à ne pas montrer" not in texte  # only the validated cadrage speaks for the LP
    assert "Association Alpha Mentorat" in texte
    assert "une heure par mois" in texte and "mentorat@lycee-alpha.fr" in texte
    # The safeguarding channel is one click away, through the LP's public code.
    assert reverse("seances:signalement_public", args=[cast.lp_a.code_public]) in texte


def test_une_page_non_publiee_ou_un_uai_inconnu_n_existe_pas(client, cast, publiee):
    publiee.publiee = False
    publiee.save()
    assert client.get(reverse("page_publique", args=[cast.lp_a.uai])).status_code == 404
    assert client.get(reverse("page_publique_affiche", args=[cast.lp_a.uai])).status_code == 404
    assert client.get(reverse("page_publique", args=[cast.lp_b.uai])).status_code == 404
    assert client.get(reverse("page_publique", args=["0000000Z"])).status_code == 404


def test_l_affiche_est_un_pdf_balise_avec_le_code_qr_de_la_page(client, cast, publiee, tmp_path, settings):
    settings.SITE_URL = "https://mentorat.exemple.gouv.fr"
    reponse = client.get(reverse("page_publique_affiche", args=[cast.lp_a.uai]))
    assert reponse["Content-Type"] == "application/pdf"
    chemin = tmp_path / "affiche.pdf"
    chemin.write_bytes(reponse.content)
    assert "Tagged:          yes" in subprocess.run(["pdfinfo", str(chemin)], capture_output=True, text=True).stdout
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(reponse.content)).pages)
    assert f"https://mentorat.exemple.gouv.fr/mentorat/{cast.lp_a.uai}/" in texte
    assert "Réduire le décrochage en 2de" in texte


def test_le_referent_redige_et_publie_la_page(client, cast):
    client.force_login(cast.referent_a)
    url = reverse("etablissements:communication", args=[cast.lp_a.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"publiee": "on", "presentation": "Quinze binômes cette année.", "contact_email": ""})
    assert reponse.status_code == 302
    page = PagePublique.objects.get(etablissement=cast.lp_a)
    assert page.publiee and page.presentation == "Quinze binômes cette année."
    assert "Quinze binômes" in client.get(reverse("page_publique", args=[cast.lp_a.uai])).content.decode()


def test_une_adresse_de_contact_invalide_est_refusee_a_cote_du_champ(client, cast):
    client.force_login(cast.chef_a)
    reponse = client.post(
        reverse("etablissements:communication", args=[cast.lp_a.pk]), {"contact_email": "pas-un-courriel"}
    )
    assert reponse.status_code == 200
    assert "Saisissez une adresse de courriel valide" in reponse.content.decode()
    assert not PagePublique.objects.exists()


def test_le_ddfpt_lit_sans_modifier(client, cast):
    client.force_login(cast.ddfpt_a)
    url = reverse("etablissements:communication", args=[cast.lp_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"publiee": "on"}).status_code == 403
    assert not PagePublique.objects.exists()


def test_un_autre_lp_recoit_404(client, cast):
    client.force_login(cast.referent_b)
    url = reverse("etablissements:communication", args=[cast.lp_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"publiee": "on"}).status_code == 404

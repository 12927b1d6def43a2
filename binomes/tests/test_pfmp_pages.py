"""The PFMP pages: the référent and the DDFPT manage the periods, the LP's staff read them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binomes.tests.factories import EleveFactory
from etablissements.models import PeriodePFMP


def periode(lp, classe="2MELEC", debut=datetime.date(2026, 11, 16), fin=datetime.date(2026, 12, 11), **kw):
    return PeriodePFMP.objects.create(etablissement=lp, classe=classe, debut=debut, fin=fin, **kw)


def test_le_ddfpt_saisit_une_periode_avec_les_classes_proposees(client, cast):
    EleveFactory(etablissement=cast.lp_a, classe="2MELEC")
    client.force_login(cast.ddfpt_a)
    page = client.get(reverse("binomes:pfmp_ajouter")).content.decode()
    assert '<option value="2MELEC"></option>' in page
    reponse = client.post(
        reverse("binomes:pfmp_ajouter"),
        {"classe": " 2MELEC ", "debut": "2026-11-16", "fin": "2026-12-11", "libelle": "PFMP 1"},
    )
    assert reponse.status_code == 302
    p = PeriodePFMP.objects.get()
    assert (p.etablissement, p.classe, p.annee, p.libelle) == (cast.lp_a, "2MELEC", 2026, "PFMP 1")


def test_une_periode_qui_en_chevauche_une_autre_est_refusee_avec_un_message(client, cast):
    periode(cast.lp_a)
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("binomes:pfmp_ajouter"), {"classe": "2MELEC", "debut": "2026-12-07", "fin": "2026-12-18"}
    )
    assert reponse.status_code == 200
    assert "Cette période chevauche une autre PFMP de la classe" in reponse.content.decode()
    assert PeriodePFMP.objects.count() == 1
    reponse = client.post(
        reverse("binomes:pfmp_ajouter"), {"classe": "2MELEC", "debut": "2026-12-18", "fin": "2026-12-07"}
    )
    assert "Le dernier jour doit suivre le premier." in reponse.content.decode()


def test_modifier_et_supprimer(client, cast):
    p = periode(cast.lp_a)
    client.force_login(cast.referent_a)
    client.post(
        reverse("binomes:pfmp_modifier", args=[p.pk]),
        {"classe": "2MELEC", "debut": "2026-11-16", "fin": "2026-12-18", "libelle": ""},
    )
    p.refresh_from_db()
    assert p.fin == datetime.date(2026, 12, 18)
    assert client.get(reverse("binomes:pfmp_supprimer", args=[p.pk])).status_code == 405
    client.post(reverse("binomes:pfmp_supprimer", args=[p.pk]))
    assert not PeriodePFMP.objects.exists()


def test_import_par_la_page(client, cast):
    client.force_login(cast.referent_a)
    contenu = "Classe;Début;Fin;Libellé\r\n2MELEC;16/11/2026;11/12/2026;PFMP 1\r\n".encode("cp1252")
    reponse = client.post(
        reverse("binomes:pfmp_import"), {"fichier": SimpleUploadedFile("pfmp.csv", contenu)}, follow=True
    )
    assert "Import terminé : 1 période créée." in reponse.content.decode()
    faux = b"Classe;Debut;Fin\r\n2MELEC;32/01/2027;05/02/2027\r\n3A;01/02/2027;05/02/2027\r\n"
    reponse = client.post(reverse("binomes:pfmp_import"), {"fichier": SimpleUploadedFile("pfmp.csv", faux)})
    page = reponse.content.decode()
    assert "1 erreur : rien n’a été importé. Corrigez le fichier." in page and "ligne 2" in page
    assert PeriodePFMP.objects.count() == 1


def test_le_cpe_lit_sans_modifier(client, cast):
    p = periode(cast.lp_a)
    client.force_login(cast.cpe_a)
    page = client.get(reverse("binomes:pfmp")).content.decode()
    assert "16/11/2026" in page and "Ajouter une période" not in page
    assert client.get(reverse("binomes:pfmp_ajouter")).status_code == 403
    assert client.get(reverse("binomes:pfmp_import")).status_code == 403
    assert client.get(reverse("binomes:pfmp_modifier", args=[p.pk])).status_code == 403
    assert client.post(reverse("binomes:pfmp_supprimer", args=[p.pk])).status_code == 403


@pytest.mark.parametrize("nom", ["binomes:pfmp_modifier", "binomes:pfmp_supprimer"])
def test_un_autre_lp_recoit_404(client, cast, nom):
    p = periode(cast.lp_a)
    client.force_login(cast.referent_b)
    assert client.post(reverse(nom, args=[p.pk])).status_code == 404
    assert PeriodePFMP.objects.filter(pk=p.pk, fin=datetime.date(2026, 12, 11)).exists()


def test_la_liste_ne_montre_que_le_lp_courant_et_l_annee(client, cast):
    periode(cast.lp_a, libelle="De A")
    periode(
        cast.lp_a, classe="3X", debut=datetime.date(2025, 11, 3), fin=datetime.date(2025, 11, 28), libelle="Ancienne"
    )
    periode(cast.lp_b, libelle="De B")
    client.force_login(cast.referent_a)
    page = client.get(reverse("binomes:pfmp"), {"annee": "2026"}).content.decode()
    assert "De A" in page and "De B" not in page and "Ancienne" not in page
    assert "Ancienne" in client.get(reverse("binomes:pfmp"), {"annee": "2025"}).content.decode()


@pytest.mark.parametrize("nombre", [1, 8])
def test_liste_en_requetes_constantes(client, cast, django_assert_num_queries, nombre):
    for i in range(nombre):
        periode(cast.lp_a, classe=f"C{i}", libelle=f"P{i}")
    client.force_login(cast.referent_a)
    client.get(reverse("binomes:pfmp"), {"annee": "2026"})  # warm the session
    with django_assert_num_queries(5):
        assert client.get(reverse("binomes:pfmp"), {"annee": "2026"}).status_code == 200

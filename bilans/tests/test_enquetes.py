"""Satisfaction surveys: personal links that work once without an account, aggregated results."""

import pytest
from django.urls import reverse

from bilans import services
from bilans.enquetes import Population
from bilans.models import Enquete, Invitation, Note, Reponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquete_eleves(cast):
    return Enquete.objects.create(dispositif=cast.dispositif_a, population=Population.ELEVES)


def _reponses_valides(enquete, note=3):
    donnees = {f"q_{q.code}": str(note) for q in enquete.questions}
    donnees["commentaire"] = "Très utile pour trouver mon stage."
    return donnees


def test_un_lien_sert_une_fois_sans_compte(client, enquete_eleves):
    (invitation,) = services.invitations_creer(enquete=enquete_eleves, nombre=1)
    url = reverse("bilans:repondre", args=[invitation.jeton])
    assert client.get(url).status_code == 200
    reponse = client.post(url, _reponses_valides(enquete_eleves))
    assert reponse.status_code == 200
    assert "Merci pour vos réponses" in reponse.content.decode()
    deuxieme = client.post(url, _reponses_valides(enquete_eleves, note=1))
    assert deuxieme.status_code == 410
    assert "Ce lien a déjà servi" in deuxieme.content.decode()
    assert client.get(url).status_code == 410
    assert Reponse.objects.count() == 1
    assert set(Note.objects.values_list("valeur", flat=True)) == {3}


def test_jeton_inconnu_404(client, enquete_eleves):
    assert client.get(reverse("bilans:repondre", args=["inexistant"])).status_code == 404


def test_reponse_incomplete_refusee_sans_rien_ecrire(client, enquete_eleves):
    (invitation,) = services.invitations_creer(enquete=enquete_eleves, nombre=1)
    url = reverse("bilans:repondre", args=[invitation.jeton])
    donnees = _reponses_valides(enquete_eleves)
    del donnees["q_global"]
    donnees["q_mentor"] = "9"
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Ce champ est obligatoire." in contenu
    assert "Sélectionnez un choix valide" in contenu
    assert Reponse.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.utilisee_le is None


def test_resultats_agreges_avec_le_nombre_de_reponses(client, cast, enquete_eleves):
    jetons = [i.jeton for i in services.invitations_creer(enquete=enquete_eleves, nombre=3)]
    for jeton, note in zip(jetons[:2], (2, 4), strict=True):
        services.reponse_enregistrer(jeton=jeton, notes={q.code: note for q in enquete_eleves.questions})
    resultats = services.resultats(enquete_eleves)
    assert resultats["reponses"] == 2
    globale = next(q for q in resultats["questions"] if q["question"].code == "global")
    assert globale["reponses"] == 2
    assert globale["moyenne"] == 3
    assert globale["repartition"] == [0, 1, 0, 1]
    client.force_login(cast.chef_a)
    contenu = client.get(reverse("bilans:enquete", args=[enquete_eleves.pk])).content.decode()
    assert "Résultats (2 réponses)" in contenu
    # The chef reads the results but gets no link to hand out.
    assert jetons[2] not in contenu


def test_aucune_reponse_affiche_un_tiret(client, cast, enquete_eleves):
    client.force_login(cast.referent_a)
    contenu = client.get(reverse("bilans:enquete", args=[enquete_eleves.pk])).content.decode()
    assert "Résultats (0 réponse)" in contenu
    assert "—" in contenu


def test_reponse_intracable(enquete_eleves):
    champs = {f.name for f in Reponse._meta.get_fields()} | {f.name for f in Note._meta.get_fields()}
    assert not any("invitation" in nom or "jeton" in nom for nom in champs)
    assert Reponse._meta.get_field("date").get_internal_type() == "DateField"


def test_le_referent_cree_des_liens(client, cast, enquete_eleves):
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("bilans:inviter", args=[enquete_eleves.pk]), {"nombre": "4"})
    assert reponse.status_code == 302
    assert Invitation.objects.filter(enquete=enquete_eleves).count() == 4
    contenu = client.get(reverse("bilans:enquete", args=[enquete_eleves.pk])).content.decode()
    for invitation in Invitation.objects.all():
        assert invitation.jeton in contenu


@pytest.mark.parametrize("qui", ["chef_a", "cpe_a"])
def test_lecture_seule_403(client, cast, enquete_eleves, qui):
    client.force_login(getattr(cast, qui))
    reponse = client.post(reverse("bilans:inviter", args=[enquete_eleves.pk]), {"nombre": "4"})
    assert reponse.status_code == (403 if qui == "chef_a" else 404)
    assert not Invitation.objects.exists()


def test_nombre_de_liens_invalide(client, cast, enquete_eleves):
    client.force_login(cast.referent_a)
    client.post(reverse("bilans:inviter", args=[enquete_eleves.pk]), {"nombre": "100000"})
    assert not Invitation.objects.exists()


def test_le_referent_cree_les_cinq_enquetes_par_le_bouton(client, cast, django_assert_max_num_queries):
    client.force_login(cast.referent_a)
    # Opening the page writes nothing: it offers the button.
    with django_assert_max_num_queries(15):
        contenu = client.get(reverse("bilans:enquetes")).content.decode()
    assert "Créer les enquêtes de l’année" in contenu
    assert not Enquete.objects.exists()
    assert client.get(reverse("bilans:enquetes_creer")).status_code == 405
    reponse = client.post(reverse("bilans:enquetes_creer"), follow=True)
    assert Enquete.objects.filter(dispositif=cast.dispositif_a).count() == len(Population.values)
    contenu = reponse.content.decode()
    assert "5 enquêtes créées." in contenu and "Créer les enquêtes de l’année" not in contenu
    for population in Population:
        assert population.label in contenu
    # A second click (another tab) adds nothing.
    client.post(reverse("bilans:enquetes_creer"))
    assert Enquete.objects.count() == len(Population.values)


@pytest.mark.parametrize("qui", ["chef_a", "coordonnateur_a", "cpe_a"])
def test_seul_le_referent_cree_les_enquetes(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.post(reverse("bilans:enquetes_creer")).status_code == 403
    assert not Enquete.objects.exists()


def test_nombre_de_requetes_independant_des_reponses(
    client, cast, enquete_eleves, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(cast.referent_a)
    url = reverse("bilans:enquete", args=[enquete_eleves.pk])
    client.get(url)
    with django_assert_max_num_queries(15) as avant:
        client.get(url)
    for invitation in services.invitations_creer(enquete=enquete_eleves, nombre=5):
        services.reponse_enregistrer(jeton=invitation.jeton, notes={q.code: 4 for q in enquete_eleves.questions})
    with django_assert_num_queries(len(avant.captured_queries)):
        client.get(url)

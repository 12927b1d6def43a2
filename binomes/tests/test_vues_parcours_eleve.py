"""A student's path into the programme, page by page: found and proposed by any staff, retained,
interviewed (needs, agreement, parents' agreement), then offered to the pairing meeting (issue 14)."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import Binome, Eleve, StatutEleve, StatutProposition

from .factories import EleveFactory, MentorFactory, PropositionFactory, ReunionAppariementFactory

pytestmark = pytest.mark.django_db
NOUVEAU = reverse("binomes:eleve_nouveau")


@pytest.fixture(autouse=True)
def aujourd_hui(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False)


def test_un_enseignant_retrouve_et_propose_un_eleve_importe(client, cast):
    importe = EleveFactory(etablissement=cast.lp_a, nom="Dupré", prenom="Léa", classe="2MELEC", inscrit=True, sexe="F")
    deja = EleveFactory(etablissement=cast.lp_a, nom="Dupond", statut=StatutEleve.PROPOSE)
    EleveFactory(etablissement=cast.lp_b, nom="Duprat", inscrit=True)
    client.force_login(cast.personnel_a)
    assert client.get(reverse("binomes:eleve", args=[importe.pk])).status_code == 404

    contenu = client.get(NOUVEAU, {"recherche": "dup"}).content.decode()
    assert "Léa Dupré — 2MELEC" in contenu
    assert "Dupond" not in contenu and "Duprat" not in contenu
    assert importe.ine not in contenu and "2009" not in contenu  # name and class only
    assert client.get(NOUVEAU, {"recherche": importe.ine}).context["trouves"][0] == importe

    url = reverse("binomes:eleve_proposer", args=[importe.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"identifie_par": "enseignant", "cadre_identification": "ap_cap"}, follow=True)
    assert "Léa Dupré est proposée pour le mentorat : le référent va confirmer" in reponse.content.decode()
    importe.refresh_from_db()
    assert (importe.statut, importe.propose_par, importe.cadre_identification) == (
        StatutEleve.PROPOSE,
        cast.personnel_a,
        "ap_cap",
    )
    # Now theirs to see; a second proposal, or one of a student already proposed, finds nothing.
    assert client.get(reverse("binomes:eleve", args=[importe.pk])).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get(reverse("binomes:eleve_proposer", args=[deja.pk])).status_code == 404


def test_saisir_l_ine_d_un_eleve_importe_renvoie_vers_la_recherche(client, cast):
    importe = EleveFactory(etablissement=cast.lp_a, inscrit=True)
    client.force_login(cast.personnel_a)
    donnees = {"nom": "X", "prenom": "Y", "sexe": "F", "date_naissance": "2009-05-04", "ine": importe.ine}
    contenu = client.post(NOUVEAU, donnees).content.decode()
    assert "Rechercher un élève déjà inscrit" in contenu and "pour le proposer" in contenu


def test_tout_personnel_du_lp_propose_mais_pas_le_partenaire(client, cast):
    for user in (cast.cpe_a, cast.chef_a, cast.ddfpt_a):
        eleve = EleveFactory(etablissement=cast.lp_a, inscrit=True)
        client.force_login(user)
        page = client.get(reverse("binomes:eleve", args=[eleve.pk])).content.decode()
        assert "Proposer pour le mentorat" in page, user
        client.post(reverse("binomes:eleve_proposer", args=[eleve.pk]), {"identifie_par": "cpe"})
        eleve.refresh_from_db()
        assert eleve.statut == StatutEleve.PROPOSE and eleve.propose_par == user
    eleve = EleveFactory(etablissement=cast.lp_a, inscrit=True)
    for user in (cast.coordonnateur_a, cast.mentor_a, cast.referent_b):
        client.force_login(user)
        assert (
            client.post(reverse("binomes:eleve_proposer", args=[eleve.pk]), {"identifie_par": "cpe"}).status_code == 404
        )
    eleve.refresh_from_db()
    assert eleve.statut == StatutEleve.INSCRIT


def test_le_referent_retient_directement(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a, inscrit=True)
    client.force_login(cast.referent_a)
    client.post(reverse("binomes:eleve_proposer", args=[eleve.pk]), {"identifie_par": "aed"})
    eleve.refresh_from_db()
    assert eleve.statut == StatutEleve.RETENU and eleve.identifie_par == "aed"


def entretien(**autres):
    return {
        "date_entretien": "2026-11-02",
        "besoin_stage": "on",
        "besoins_note": "Cherche un stage en électricité.",
        "disponibilites": "mercredi après-midi",
        "volontaire": "on",
        "date_volontariat": "2026-11-02",
        "parents_informes_le": "2026-11-03",
        "consentement_parental": "",
        **autres,
    }


def test_entretien_volontariat_et_accord_parental(client, cast):
    eleve = EleveFactory(
        etablissement=cast.lp_a, statut=StatutEleve.RETENU, inscrit=False, sans_accord_parental=True, sexe="M"
    )
    eleve.volontaire, eleve.date_volontariat = False, None
    eleve.save()
    client.force_login(cast.referent_a)
    url = reverse("binomes:eleve_entretien", args=[eleve.pk])

    contenu = client.post(url, entretien(date_volontariat="", consentement_parental="oui")).content.decode()
    assert "Indiquez la date de l’accord de l’élève." in contenu
    assert "Indiquez la date de la réponse des responsables légaux." in contenu

    reponse = client.post(url, entretien(), follow=True)
    assert "est mineur sans accord daté de ses responsables légaux" in reponse.content.decode()
    assert not Eleve.objects.eligibles().filter(pk=eleve.pk).exists()

    reponse = client.post(
        url, entretien(consentement_parental="oui", consentement_parental_le="2026-11-09"), follow=True
    )
    assert "est éligible à l’appariement" in reponse.content.decode()
    eleve.refresh_from_db()
    assert eleve.besoins == ["stage"] and eleve.consentement_parental_le == datetime.date(2026, 11, 9)
    assert "Éligible à l’appariement" in client.get(reverse("binomes:eleve", args=[eleve.pk])).content.decode()

    for user in (cast.personnel_a, cast.cpe_a, cast.coordonnateur_a):
        client.force_login(user)
        assert client.post(url, entretien()).status_code in (403, 404), user


def test_la_reunion_n_offre_que_les_eleves_eligibles_avec_classe_et_besoins(client, cast):
    reunion = ReunionAppariementFactory(dispositif=cast.dispositif_a)
    eligible = EleveFactory(
        etablissement=cast.lp_a, prenom="Léa", nom="Dupré", classe="2MELEC", besoin_stage=True, disponibilites="jeudi"
    )
    autre_classe = EleveFactory(etablissement=cast.lp_a, nom="Martin", classe="1MCV")
    ecartes = [
        EleveFactory(etablissement=cast.lp_a, nom="Importé", inscrit=True),
        EleveFactory(etablissement=cast.lp_a, nom="Proposé", statut=StatutEleve.PROPOSE),
        EleveFactory(etablissement=cast.lp_a, nom="Réticent", non_volontaire=True),
        EleveFactory(etablissement=cast.lp_a, nom="Sansaccord", sans_accord_parental=True),
    ]
    client.force_login(cast.referent_a)
    url = reverse("binomes:reunion", args=[reunion.pk])
    reponse = client.get(url)
    contenu = reponse.content.decode()
    assert "Léa Dupré — 2MELEC — besoins : Recherche de stage / PFMP — disponibilités : jeudi" in contenu
    for eleve in ecartes:
        assert eleve.nom not in contenu
    assert set(reponse.context["form"].fields["eleves"].queryset) == {eligible, autre_classe}
    assert list(client.get(url, {"classe": "1MCV"}).context["form"].fields["eleves"].queryset) == [autre_classe]

    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    calcul = reverse("binomes:reunion_calculer", args=[reunion.pk])
    reponse = client.post(calcul, {"eleves": [eligible.pk, ecartes[3].pk], "mentors": [mentor.pk]}, follow=True)
    assert "Choisissez au moins un élève et un mentor." in reponse.content.decode()
    assert not reunion.propositions.exists()
    client.post(calcul, {"eleves": [eligible.pk], "mentors": [mentor.pk]})
    contenu = client.get(url).content.decode()
    assert "<td>2MELEC</td>" in contenu and "<td>Recherche de stage / PFMP</td>" in contenu


def test_formulaire_de_binome_et_acceptation_refusent_un_eleve_non_eligible(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    eleve = EleveFactory(etablissement=cast.lp_a, nom="Sansaccord", sans_accord_parental=True, sexe="M")
    client.force_login(cast.referent_a)
    url = reverse("binomes:binome_nouveau")
    assert "Sansaccord" not in client.get(url).content.decode()
    contenu = client.post(url, {"mentor": mentor.pk, "eleve": eleve.pk}).content.decode()
    assert "Sélectionnez un choix valide" in contenu
    assert not Binome.objects.exists()

    proposition = PropositionFactory(reunion__dispositif=cast.dispositif_a, eleve=eleve, mentor=mentor)
    reponse = client.post(reverse("binomes:proposition_accepter", args=[proposition.pk]), follow=True)
    assert f"{eleve} n’est pas éligible à l’appariement : est mineur sans accord daté" in reponse.content.decode()
    proposition.refresh_from_db()
    assert proposition.statut == StatutProposition.PROPOSEE and not Binome.objects.exists()


def test_la_liste_filtre_les_eleves_eligibles(client, cast):
    EleveFactory(etablissement=cast.lp_a, nom="Alpha")
    EleveFactory(etablissement=cast.lp_a, nom="Bravo", sans_accord_parental=True)
    EleveFactory(etablissement=cast.lp_a, nom="Charlie", inscrit=True)
    client.force_login(cast.referent_a)

    def noms(**filtres):
        return [e.nom for e in client.get(reverse("binomes:eleves"), filtres).context["page"]]

    assert noms(eligibles="true") == ["Alpha"]
    assert noms(eligibles="false") == ["Bravo", "Charlie"]

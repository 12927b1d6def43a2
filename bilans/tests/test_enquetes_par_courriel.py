"""Satisfaction surveys emailed from the app to mentors, staff and partners: one personal link per
person, never twice, and nothing that ties an answer to an address."""

import re

import pytest
from django.urls import reverse

from bilans.enquetes import Population
from bilans.models import Enquete, EnvoiEnquete, Invitation
from binomes.tests.factories import BinomeFactory
from etablissements.tests.factories import EntrepriseFactory

pytestmark = pytest.mark.django_db


def _enquete(cast, population):
    return Enquete.objects.create(dispositif=cast.dispositif_a, population=population)


def _envoyer(client, enquete, capture):
    with capture(execute=True):
        return client.post(reverse("bilans:envoyer", args=[enquete.pk]))


def test_les_mentors_recoivent_chacun_un_lien_une_seule_fois(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    BinomeFactory(dispositif=cast.dispositif_a, mentor__email="nadia@entreprise.fr")
    BinomeFactory(dispositif=cast.dispositif_a, mentor__email="paul@atelier.fr")
    BinomeFactory(dispositif=cast.dispositif_b, mentor__email="autre.lp@exemple.fr")
    enquete = _enquete(cast, Population.MENTORS)
    client.force_login(cast.referent_a)

    reponse = _envoyer(client, enquete, django_capture_on_commit_callbacks)

    assert reponse.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["nadia@entreprise.fr", "paul@atelier.fr"]
    jetons = {re.search(r"/bilans/repondre/([\w-]+)/", m.body).group(1) for m in mailoutbox}
    assert jetons == set(Invitation.objects.filter(enquete=enquete).values_list("jeton", flat=True))
    # The emailed links are not offered on the page among the links to hand out.
    page = client.get(reverse("bilans:enquete", args=[enquete.pk])).content.decode()
    assert not any(jeton in page for jeton in jetons)
    # What is kept of the addresses: keyed hashes, with no tie to the links.
    assert not any("nadia" in e for e in EnvoiEnquete.objects.values_list("empreinte", flat=True))
    assert {f.name for f in EnvoiEnquete._meta.concrete_fields} == {"id", "enquete", "empreinte", "envoye_le"}

    mailoutbox.clear()
    BinomeFactory(dispositif=cast.dispositif_a, mentor__email="NOUVEAU@atelier.fr")
    _envoyer(client, enquete, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mailoutbox] == ["NOUVEAU@atelier.fr"]


def test_les_partenaires_sont_l_association_et_les_entreprises_du_reseau(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    EntrepriseFactory(etablissement=cast.lp_a, contact_email="rh@garage-martin.fr")
    EntrepriseFactory(etablissement=cast.lp_b, contact_email="rh@ailleurs.fr")
    client.force_login(cast.referent_a)
    _envoyer(client, _enquete(cast, Population.PARTENAIRES), django_capture_on_commit_callbacks)
    adresses = {m.to[0] for m in mailoutbox}
    assert adresses >= {"rh@garage-martin.fr", "coordonnateur.a@exemple.fr"}
    assert "rh@ailleurs.fr" not in adresses


def test_les_eleves_et_les_parents_ne_sont_pas_ecrits(client, cast, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(cast.referent_a)
    enquete = _enquete(cast, Population.ELEVES)
    reponse = _envoyer(client, enquete, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302 and mailoutbox == []
    assert "de la main à la main" in client.get(reponse.url).content.decode()


def test_un_autre_lp_et_le_chef_n_envoient_pas(client, cast):
    enquete = _enquete(cast, Population.MENTORS)
    client.force_login(cast.referent_b)
    assert client.post(reverse("bilans:envoyer", args=[enquete.pk])).status_code == 404
    client.force_login(cast.chef_a)
    assert client.post(reverse("bilans:envoyer", args=[enquete.pk])).status_code == 403
    assert not EnvoiEnquete.objects.exists()

"""The improvements decided at the year-end meeting become next year's objectives to follow."""

import pytest
import time_machine
from django.urls import reverse

from bilans.models import BilanQualitatif
from etablissements.models import Dispositif
from etablissements.tests.factories import VersionCadrageFactory

pytestmark = pytest.mark.django_db


def _annee_2026(cast):
    cast.dispositif_a.annee = 2026
    cast.dispositif_a.save(update_fields=["annee"])
    return cast.dispositif_a


@time_machine.travel("2027-06-20 10:00 +0200", tick=False)
def test_les_ameliorations_du_bilan_entrent_dans_le_brouillon_de_cadrage(client, cast):
    precedent = _annee_2026(cast)
    VersionCadrageFactory(dispositif=precedent, validee=True, objectifs="Lutter contre le décrochage.")
    BilanQualitatif.objects.create(
        dispositif=precedent,
        ameliorations="- Former les mentors à l’écoute active\n\n• Deux séances collectives par trimestre\n",
    )
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("etablissements:dispositif_creer"), {"annee": "2027", "copier": "on"})
    nouveau = Dispositif.objects.get(etablissement=cast.lp_a, annee=2027)
    assert reponse["Location"] == nouveau.get_absolute_url()
    brouillon = nouveau.versions_cadrage.get()
    assert brouillon.objectifs == (
        "Lutter contre le décrochage.\n\n"
        "Améliorations décidées au bilan 2026-2027, objectifs à suivre :\n"
        "- Former les mentors à l’écoute active\n"
        "- Deux séances collectives par trimestre"
    )
    trace = brouillon.modifications.get()
    assert "Améliorations reprises" in [c["champ"] for c in trace.changements]
    page = client.get(reverse("etablissements:cadrage_version", args=[brouillon.pk])).content.decode()
    assert "Former les mentors à l’écoute active" in page


@time_machine.travel("2027-06-20 10:00 +0200", tick=False)
def test_sans_cadrage_l_an_dernier_les_ameliorations_ouvrent_un_brouillon(client, cast):
    precedent = _annee_2026(cast)
    BilanQualitatif.objects.create(dispositif=precedent, ameliorations="Associer les parents au lancement")
    client.force_login(cast.referent_a)
    client.post(reverse("etablissements:dispositif_creer"), {"annee": "2027", "copier": "on"})
    brouillon = Dispositif.objects.get(etablissement=cast.lp_a, annee=2027).versions_cadrage.get()
    assert brouillon.objectifs.endswith("- Associer les parents au lancement")


@time_machine.travel("2027-05-31 10:00 +0200", tick=False)
def test_l_annee_suivante_ne_s_ouvre_qu_en_juin(client, cast):
    _annee_2026(cast)
    client.force_login(cast.referent_a)
    reponse = client.get(reverse("etablissements:dispositif_creer"))
    assert reponse["Location"] == reverse("etablissements:etablissement")
    client.post(reverse("etablissements:dispositif_creer"), {"annee": "2027"})
    assert not Dispositif.objects.filter(etablissement=cast.lp_a, annee=2027).exists()
    with time_machine.travel("2027-06-01 08:00 +0200", tick=False):
        client.force_login(cast.referent_a)
        assert "2027-2028" in client.get(reverse("etablissements:dispositif_creer")).content.decode()

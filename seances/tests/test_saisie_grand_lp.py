"""The séance entry page of a large LP: queries pinned for GET and POST, whatever the number of rows.

The grid of a real LP has a few hundred rows (issue 18: 230 at the bench's LP); here 3 binômes,
then 60, with the same counts.
"""

import pytest
from django import forms
from django.urls import reverse

from binomes.tests.factories import BinomeFactory
from seances.models import EntretienAbsence, Participation, Presence, Seance
from seances.tests.conftest import donnees
from seances.tests.factories import SeanceFactory

URL = reverse("seances:nouvelle")
# Session, user, roles (with the LPs of the coordinator's association, in the same query), LP of
# the header, dispositifs, people (mentors, students), active binômes, PFMP of the calendar
# warnings…: the same with 2 rows or 120.
REQUETES_GET = 8
# The POST also reads the chosen participants' records once the grid is valid (mentors with their
# running suspension, issue 15; students: two queries; the grid itself reads only their names). The
# séance's CHECK constraints are validated in Python (socle.contraintes), not by a query each inside a
# savepoint (12 statements fewer); its dispositif, read through the user's scope, is not read again.
REQUETES_POST = 17


@pytest.fixture(params=[3, 60])
def grand_lp(cast, request):
    """LP A with 3 binômes, then 60: the pinned counts hold for both."""
    return BinomeFactory.create_batch(request.param, dispositif=cast.dispositif_a, mentor__verifie=True)


def rangs(binomes):
    cles = [(f"m{b.mentor_id}", f"e{b.eleve_id}") for b in binomes]
    return [(cle, Presence.PRESENT) for paire in cles for cle in paire]


def test_formulaire_d_un_grand_lp(client, cast, grand_lp, django_assert_num_queries):
    client.force_login(cast.coordonnateur_a)
    client.get(URL)  # warms the session's cache (LP of the header)
    with django_assert_num_queries(REQUETES_GET):
        reponse = client.get(URL)
    assert reponse.content.decode().count('class="grille-choix__ligne"') == 2 * len(grand_lp)


def test_saisie_d_un_grand_lp(client, cast, grand_lp, django_assert_num_queries):
    client.force_login(cast.coordonnateur_a)
    client.get(URL)
    lignes = rangs(grand_lp)
    # The last student absent without notice: one interview opened, in the same bounded queries.
    lignes[-1] = (lignes[-1][0], Presence.ABSENT_NON_EXCUSE)
    with django_assert_num_queries(REQUETES_POST):
        reponse = client.post(URL, donnees(lignes))
    seance = Seance.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == seance.get_absolute_url()
    assert seance.participations.count() == 2 * len(grand_lp)
    assert EntretienAbsence.objects.count() == 1


def test_modification_d_un_grand_lp(client, cast, grand_lp, django_assert_num_queries):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=grand_lp[0])
    url = reverse("seances:modifier", args=[seance.pk])
    client.force_login(cast.coordonnateur_a)
    client.get(url)
    with django_assert_num_queries(REQUETES_GET + 2):  # the séance, and its participations (grid, calendar warnings)
        assert client.get(url).status_code == 200
    with django_assert_num_queries(REQUETES_POST + 1):  # the séance, its participations read once
        reponse = client.post(url, donnees(rangs(grand_lp)))
    assert reponse.status_code == 302
    assert Participation.objects.filter(seance=seance).count() == 2 * len(grand_lp)


def test_pas_un_formulaire_par_ligne(client, cast, grand_lp, monkeypatch):
    """The grid is one form (issue 18): as many Django forms built for 60 more rows as for none."""
    client.force_login(cast.coordonnateur_a)
    construits = []
    init = forms.BaseForm.__init__

    def compter(self, *args, **kwargs):
        construits.append(type(self).__name__)
        init(self, *args, **kwargs)

    monkeypatch.setattr(forms.BaseForm, "__init__", compter)

    def formulaires():
        construits.clear()
        reponse = client.get(URL)
        return sorted(construits), reponse.context["grille"].lignes

    avant, lignes = formulaires()
    assert "GrillePresences" in avant and len(lignes) == 2 * len(grand_lp)
    BinomeFactory.create_batch(30, dispositif=cast.dispositif_a, mentor__verifie=True)
    apres, lignes = formulaires()
    assert apres == avant
    # One row per person, each named after them (two people may share a name: keys are compared).
    assert len(lignes) == 2 * (len(grand_lp) + 30) == len({ligne.cle for ligne in lignes})
    assert all(ligne.libelle and ligne.libelle != "Participant non reconnu" for ligne in lignes)

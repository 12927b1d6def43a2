"""The séance list read dispositif by dispositif (socle.pagination.TranchesParGroupe, issue 18).

Every page must hold exactly the rows the plain sorted queryset gives, ties on date and time
included, for each kind of reader: on PostgreSQL through the LATERAL join, elsewhere by slicing.
"""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.tests.factories import ConventionFactory, DispositifFactory, EtablissementFactory
from seances.models import Participation, Presence, Seance
from seances.tests.factories import SeanceFactory
from seances.views.seances import PAR_PAGE
from socle.pagination import TranchesParGroupe

URL = reverse("seances:liste")


@pytest.fixture
def seances(cast):
    """Séances in four dispositifs of LP A (this year, the two before) and of a second LP the
    coordinator serves, with many ties on the day and the hour; and LP B's, which nobody here reads."""
    hasard = random.Random(18)
    lp_c = EtablissementFactory(nom="Lycée professionnel Gamma")
    servi = DispositifFactory(etablissement=lp_c, partenaire=cast.partenaire_a)
    ConventionFactory(dispositif=servi)
    dispositifs = [
        cast.dispositif_a,
        DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee - 1),
        DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee - 2),
        servi,
        cast.dispositif_b,
    ]
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    for _ in range(130):
        seance = SeanceFactory(
            dispositif=hasard.choice(dispositifs),
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=hasard.randrange(12)),
            heure=datetime.time(hasard.choice([9, 14])),
        )
        if seance.dispositif.etablissement_id == cast.lp_a.pk and hasard.random() < 0.8:
            Participation.objects.create(seance=seance, mentor=mentor, presence=Presence.PRESENT)
    BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    return dispositifs


def pages(client, parametres=None):
    cles, numero = [], 1
    while True:
        reponse = client.get(URL, {**(parametres or {}), "page": numero})
        page = reponse.context["page"]
        cles += [ligne[0] for ligne in page.object_list]  # rows as values, the id first
        if not page.has_next():
            return cles, page.paginator.count
        numero += 1


@pytest.mark.parametrize("qui", ["coordonnateur_a", "referent_a", "mentor_a"])
def test_chaque_page_suit_l_ordre_de_la_liste(client, cast, seances, qui):
    """Every year, the current one (the list's default) and a past one: each the plain list's order."""
    user = getattr(cast, qui)
    client.force_login(user)
    toutes = Seance.objects.for_user(user).order_by("-date", "-heure", "-pk")
    attendues = list(toutes.values_list("pk", flat=True))
    assert len(attendues) > 2 * PAR_PAGE
    with CaptureQueriesContext(connection) as requetes:
        cles, total = pages(client, {"annee": "toutes"})
    assert cles == attendues and total == len(attendues)
    if connection.vendor == "postgresql":
        assert any("CROSS JOIN LATERAL" in q["sql"] for q in requetes.captured_queries)
    annee = cast.dispositif_a.annee
    for parametres, de_l_annee in [({}, annee), ({"annee": annee - 1}, annee - 1)]:
        cles, total = pages(client, parametres)
        assert cles == list(toutes.filter(dispositif__annee=de_l_annee).values_list("pk", flat=True))
        assert total == len(cles)
    assert cles, "the past year has séances of its own"
    # Filtered the same way as the plain list.
    cles, _total = pages(client, {"statut": "tenue", "etablissement": cast.lp_a.pk, "annee": "toutes"})
    assert cles == [
        pk
        for pk in attendues
        if Seance.objects.filter(pk=pk, statut="tenue", dispositif__etablissement=cast.lp_a).exists()
    ]


def test_tranches_au_dela_de_la_fin_et_refus(cast, seances):
    qs = Seance.objects.filter(dispositif__etablissement=cast.lp_a)
    from etablissements.models import Dispositif

    tranches = TranchesParGroupe(
        qs, champ="dispositif", groupes=Dispositif.objects.values("pk"), ordre=["-date", "-heure", "-pk"]
    )
    attendues = list(qs.order_by("-date", "-heure", "-pk"))
    assert tranches[10:35] == attendues[10:35]
    assert tranches[len(attendues) - 3 : len(attendues) + 20] == attendues[-3:]
    assert tranches[5:5] == [] and tranches.count() == len(attendues)
    with pytest.raises(ValueError):
        TranchesParGroupe(qs, champ="dispositif", groupes=Dispositif.objects.values("pk"), ordre=["-date"])
    with pytest.raises(TypeError):
        tranches[3]  # noqa: B018

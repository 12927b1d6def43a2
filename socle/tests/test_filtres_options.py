"""The lists' filters read the options of their choice lists in one plain query (issue 18).

Django reads a ModelChoiceField's options with `queryset.iterator()`, a server-side cursor on
PostgreSQL (three round trips); `DsfrFilterSet` gives each such field `socle.filters.OptionsDuFiltre`.
The options must stay exactly those django-filter's own iterator gives.
"""

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters.fields import ModelChoiceIterator as IterateurDeDjangoFilter

from binomes.filters import BinomeFiltre, EleveFiltre, MentorFiltre
from binomes.models import Binome, Eleve, Mentor
from etablissements.models import Entreprise, Etablissement
from etablissements.tests.factories import EntrepriseFactory, FormationFactory
from seances.filters import SeanceFiltre
from seances.models import Seance
from socle.filters import DsfrFilterSet, OptionsDuFiltre

pytestmark = pytest.mark.django_db


class _AvecChoixNul(DsfrFilterSet):
    entreprise = django_filters.ModelChoiceFilter(queryset=Entreprise.objects.all(), null_label="Sans entreprise")
    entreprises = django_filters.ModelMultipleChoiceFilter(
        field_name="entreprise", queryset=Entreprise.objects.all(), null_label="Sans entreprise"
    )

    class Meta:
        model = Mentor
        fields = []


def _filtres(lp):
    return [
        BinomeFiltre({}, Binome.objects.none(), etablissement=lp),
        EleveFiltre(None, Eleve.objects.none(), etablissement=lp),
        MentorFiltre({"page": "2"}, Mentor.objects.none(), etablissement=lp),
        SeanceFiltre(None, queryset=Seance.objects.none(), etablissements=Etablissement.objects.all()),
        _AvecChoixNul(None, Mentor.objects.none()),
    ]


def _options(choix):
    return [(str(valeur), str(libelle)) for valeur, libelle in choix]


def test_memes_options_que_django_filter(cast):
    lp = cast.lp_a
    for nom in ("Zinc et Cie", "Atelier Brun", "Menuiserie <Durand> & fils"):
        EntrepriseFactory(etablissement=lp, nom=nom)
    EntrepriseFactory(etablissement=cast.lp_b, nom="Autre lycée")
    FormationFactory(etablissement=lp)
    vus = 0
    for filtre in _filtres(lp):
        form = filtre.form
        for nom, champ in form.fields.items():
            if not hasattr(champ, "queryset"):
                continue
            vus += 1
            assert champ.iterator is OptionsDuFiltre, nom
            attendues = _options(IterateurDeDjangoFilter(champ))
            assert _options(champ.widget.choices) == _options(champ.choices) == attendues, nom
            assert len(attendues) > 1, nom
    assert vus == 7
    entreprises = _options(_filtres(lp)[0].form.fields["entreprise"].widget.choices)
    assert [libelle for _valeur, libelle in entreprises] == [
        "---------", "Atelier Brun", "Menuiserie <Durand> & fils", "Zinc et Cie",
    ]  # fmt: skip
    avec_nul = _options(_filtres(lp)[-1].form.fields["entreprise"].widget.choices)
    assert avec_nul[:2] == [("", "---------"), ("null", "Sans entreprise")]


def test_une_requete_ordinaire_par_liste(cast):
    """One query per choice list drawn, and no server-side cursor (what `DECLARE` opens on PostgreSQL)."""
    EntrepriseFactory(etablissement=cast.lp_a)
    form = BinomeFiltre({}, Binome.objects.none(), etablissement=cast.lp_a).form
    with CaptureQueriesContext(connection) as requetes:
        html = str(form["entreprise"]) + str(form["formation"])
    assert len(requetes.captured_queries) == 2
    assert not [q for q in requetes.captured_queries if "DECLARE" in q["sql"].upper()]
    assert "<option" in html


def test_choix_relus_a_chaque_lecture(cast):
    """As with iterator(), a new company shows in a form drawn afterwards (nothing kept between reads)."""
    filtre = BinomeFiltre({}, Binome.objects.none(), etablissement=cast.lp_a)
    avant = len(list(filtre.form.fields["entreprise"].choices))
    EntrepriseFactory(etablissement=cast.lp_a)
    assert len(list(filtre.form.fields["entreprise"].choices)) == avant + 1

"""Compiled queries prepared on PostgreSQL (socle.requetes): prepared on a connection's second run, the
same rows as the ORM's afterwards (generic plans included), prepared again on a new connection, run
as written when the server refuses, when queries are logged, or when the setting is off (issue 18)."""

import logging

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from binomes.models import Binome
from binomes.tests.factories import BinomeFactory
from socle import requetes
from socle.requetes import RequeteCompilee

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PREPARE : PostgreSQL seulement")


def _binomes(mentor_ids, statut):
    return (
        Binome.objects.filter(mentor_id__in=mentor_ids, statut=statut)
        .order_by("pk")
        .values_list("pk", "date_debut", "eleve__nom", "dispositif__etablissement__nom")
    )


def _preparees() -> set[str]:
    """The statements prepared on the connection (it lives from one test to the next)."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT name FROM pg_prepared_statements")
        return {nom for (nom,) in curseur.fetchall()}


@pytest.fixture
def nouvelles():
    """The statements prepared since the test began."""
    avant = _preparees()
    return lambda: _preparees() - avant


@pytest.fixture
def binomes(cast):
    for statut in ("actif", "actif", "termine"):
        BinomeFactory(dispositif=cast.dispositif_a, statut=statut)
    BinomeFactory(dispositif=cast.dispositif_b, statut="actif")
    return list(Binome.objects.values_list("mentor_id", flat=True))


@pytest.mark.django_db
def test_preparee_a_la_deuxieme_execution_puis_les_memes_lignes(binomes, nouvelles):
    requete = RequeteCompilee(_binomes, list, str)
    assert requete.lignes(binomes[:2], "actif") == list(_binomes(binomes[:2], "actif"))
    assert not nouvelles(), "a first run is plain SQL"
    # Runs enough for PostgreSQL to choose its generic plan (after five): the ORM's rows each time.
    for _ in range(8):
        for mentors in (binomes[:1], binomes[:2], binomes, [-1]):
            for statut in ("actif", "termine", "propose"):
                assert requete.lignes(mentors, statut) == list(_binomes(mentors, statut))
    # One statement for each length of the list met (1, 2 and 4 mentors).
    assert len(nouvelles()) == 3


@pytest.mark.django_db
def test_gardee_apres_un_rollback(binomes, nouvelles):
    requete = RequeteCompilee(_binomes, list, str)
    with pytest.raises(RuntimeError), transaction.atomic():
        requete.lignes(binomes, "actif")
        requete.lignes(binomes, "actif")
        raise RuntimeError("annulée")
    # PostgreSQL keeps a statement prepared in a transaction rolled back: it is run by its name.
    assert len(nouvelles()) == 1
    assert requete.lignes(binomes, "actif") == list(_binomes(binomes, "actif"))


@pytest.mark.django_db(transaction=True)
def test_preparee_de_nouveau_sur_une_nouvelle_connexion(binomes, nouvelles):
    requete = RequeteCompilee(_binomes, list, str)
    for _ in range(3):
        assert requete.lignes(binomes, "actif") == list(_binomes(binomes, "actif"))
    assert len(nouvelles()) == 1
    connection.close()  # reconnected at the next query, with nothing prepared on it
    assert _preparees() == set()
    for _ in range(3):
        assert requete.lignes(binomes, "actif") == list(_binomes(binomes, "actif"))
    assert len(_preparees()) == 1


@pytest.mark.django_db
def test_refusee_par_le_serveur_executee_telle_quelle_dans_sa_transaction(binomes, nouvelles, monkeypatch, caplog):
    """A PREPARE the server refuses (here: its name already taken) leaves the query run as written,
    and the transaction around it usable."""
    monkeypatch.setattr(requetes, "_NOMS", iter([777_001, 777_002]))
    with connection.cursor() as curseur:
        curseur.execute("PREPARE mentorat_requete_777001 AS SELECT 1")
    requete = RequeteCompilee(_binomes, list, str)
    with transaction.atomic(), caplog.at_level(logging.WARNING, logger="socle.requetes"):
        for _ in range(4):
            assert requete.lignes(binomes, "termine") == list(_binomes(binomes, "termine"))
        assert Binome.objects.count() == len(binomes)
    assert "non préparée" in caplog.text and caplog.text.count("non préparée") == 1
    assert nouvelles() == {"mentorat_requete_777001"}, "refused once, then run as written: not asked again"


@pytest.mark.django_db
def test_journalisees_ou_desactivees_executees_telles_quelles(binomes, nouvelles, settings):
    requete = RequeteCompilee(_binomes, list, str)
    with CaptureQueriesContext(connection) as capture:
        for _ in range(3):
            requete.lignes(binomes, "actif")
    # Logged: the log shows their SQL, and nothing is prepared.
    assert all('FROM "binomes_binome"' in q["sql"] for q in capture.captured_queries)
    assert len(capture.captured_queries) == 3 and not nouvelles()
    settings.REQUETES_PREPAREES = False
    for _ in range(3):
        assert requete.lignes(binomes, "actif") == list(_binomes(binomes, "actif"))
    assert not nouvelles()
    settings.REQUETES_PREPAREES = True
    requete.lignes(binomes, "actif")
    assert not nouvelles(), "the runs logged or with the setting off do not count"
    requete.lignes(binomes, "actif")
    assert len(nouvelles()) == 1


@pytest.mark.django_db
def test_des_instances_et_un_pourcentage_dans_le_sql(binomes, nouvelles):
    """A query of instances with its select_related, and a percent sign in its SQL (the modulo, written
    "%%" by Django): the same objects once prepared."""

    def pairs(statut):
        return (
            Binome.objects.annotate(reste=F("pk") % 2)
            .filter(statut=statut, reste=0)
            .select_related("eleve")
            .order_by("pk")
        )

    requete = RequeteCompilee(pairs, str)
    for _ in range(4):
        for statut in ("actif", "termine"):
            attendus = [(b.pk, b.eleve.nom, b.reste) for b in pairs(statut)]
            assert [(b.pk, b.eleve.nom, b.reste) for b in requete.objets(statut)] == attendus
    assert len(nouvelles()) == 1

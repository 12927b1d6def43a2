"""The benchmark (bench/bench_pages.py, run by hand) must keep posting valid séances as the page changes."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes.tests.factories import BinomeFactory
from seances.models import Participation, Presence, Seance

pytestmark = pytest.mark.django_db

CHEMIN = Path(__file__).resolve().parent.parent / "bench" / "bench_pages.py"
spec = importlib.util.spec_from_file_location("bench_pages", CHEMIN)
bench_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_pages)


def test_le_formulaire_lu_par_le_banc_enregistre_une_seance(client, cast):
    binome = BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.coordonnateur_a)
    url = reverse("seances:nouvelle") + f"?dispositif={cast.dispositif_a.pk}"

    donnees = bench_pages.donnees_seance(client.get(url).content.decode(), timezone.localdate())
    reponse = client.post(url, donnees)

    assert reponse.status_code == 302, reponse.context["form"].errors if reponse.context else reponse
    seance = Seance.objects.get()
    presents = Participation.objects.filter(seance=seance, presence=Presence.PRESENT)
    assert {(p.mentor_id, p.eleve_id) for p in presents} == {(binome.mentor_id, None), (None, binome.eleve_id)}


# --- The benchmark's pure measuring tools (issue 18) ------------------------------------------------


def test_stat_lu_meme_si_le_nom_du_processus_a_des_parentheses_et_des_espaces():
    texte = "4242 (gunicorn: (worker) x) S 4200 4242 4242 0 -1 4194560 10 0 0 0 150 25 7 3 20 0 1 0 9 0 0\n"

    assert bench_pages.lire_stat(texte) == {"ppid": 4200, "utime": 150, "stime": 25, "cutime": 7, "cstime": 3}


def test_stat_du_processus_courant():
    stat = bench_pages.lire_stat(Path("/proc/self/stat").read_text())

    assert stat["ppid"] > 0 and stat["utime"] >= 0


def test_cpu_d_un_arbre_compte_les_enfants_vivants_et_termines():
    # 10 (master): 5 + 1 of its own, 30 + 10 of exited workers; 11 and 12 its workers; 99 a stranger.
    avant = {
        10: {"ppid": 1, "utime": 5, "stime": 1, "cutime": 30, "cstime": 10},
        11: {"ppid": 10, "utime": 100, "stime": 20, "cutime": 0, "cstime": 0},
        12: {"ppid": 10, "utime": 50, "stime": 5, "cutime": 0, "cstime": 0},
        99: {"ppid": 1, "utime": 1000, "stime": 1000, "cutime": 0, "cstime": 0},
    }
    # Worker 12 exited (its 60 + 6 moved into the master's cutime/cstime), worker 13 started.
    apres = {
        10: {"ppid": 1, "utime": 6, "stime": 1, "cutime": 90, "cstime": 16},
        11: {"ppid": 10, "utime": 140, "stime": 30, "cutime": 0, "cstime": 0},
        13: {"ppid": 10, "utime": 8, "stime": 2, "cutime": 0, "cstime": 0},
        99: {"ppid": 1, "utime": 5000, "stime": 1000, "cutime": 0, "cstime": 0},
    }

    assert bench_pages.cpu_arbre(10, avant) == 221
    # master +1, worker 11 +50, worker 12 +11 before it exited, worker 13 +10.
    assert bench_pages.cpu_arbre(10, apres) - bench_pages.cpu_arbre(10, avant) == 72


def test_le_client_n_est_epingle_qu_a_partir_de_quatre_coeurs():
    assert bench_pages.repartition_coeurs({0, 1}) == (None, None)
    assert bench_pages.repartition_coeurs({0, 1, 2}) == (None, None)
    assert bench_pages.repartition_coeurs({3, 0, 2, 1}) == ({0, 1, 2}, {3})


def test_etendue_des_passages():
    passages = [{"p95": 400.0, "cpu": 30.0}, {"p95": 500.0, "cpu": None}, {"p95": 450.0, "cpu": 33.0}]

    resume = bench_pages.etendue(passages, ["p95", "cpu", "absent"])

    assert resume["p95"] == {"min": 400.0, "max": 500.0, "ecart_pct": 25.0}
    assert resume["cpu"]["min"] == 30.0 and resume["cpu"]["max"] == 33.0
    assert resume["absent"] == {"min": None, "max": None, "ecart_pct": None}


PLAN = """[{"Plan": {"Node Type": "Aggregate", "Shared Hit Blocks": 120, "Shared Read Blocks": 8, "Plans": [
  {"Node Type": "Hash Join", "Plans": [
    {"Node Type": "Seq Scan", "Relation Name": "seances_seance"},
    {"Node Type": "Hash", "Plans": [{"Node Type": "Nested Loop", "Plans": [
      {"Node Type": "Index Scan", "Relation Name": "binomes_binome"},
      {"Node Type": "Seq Scan", "Relation Name": "etablissements_dispositif"}]}]}]},
  {"Node Type": "Nested Loop", "Parent Relationship": "SubPlan", "Plans": [
    {"Node Type": "Index Only Scan", "Relation Name": "seances_participation"}]}]},
  "Planning Time": 0.4, "Execution Time": 12.5}]"""


def test_resume_d_un_plan():
    resume = bench_pages.resumer_plan(PLAN, grandes_tables={"seances_seance": 540000, "seances_participation": 1})

    assert resume == {
        "execution_ms": 12.5,
        "planification_ms": 0.4,
        "jointures": {"Hash Join": 1, "Nested Loop": 2},
        "parcours_sequentiels": ["etablissements_dispositif", "seances_seance"],
        "sequentiels_grandes_tables": ["seances_seance"],
        "blocs": 128,
    }
    assert "HJ×1 NL×2" in bench_pages.cellule_plan(resume) and "**seances_seance**" in bench_pages.cellule_plan(resume)


def test_table_principale_hors_sous_requetes():
    sql = (
        'SELECT "d"."id", COALESCE((SELECT COUNT(*) FROM "seances_participation" U0 WHERE U0."seance_id" = 1), 0) '
        'FROM "seances_seance" INNER JOIN "etablissements_dispositif" d ON (1 = 1)'
    )

    assert bench_pages.table_principale(sql) == "seances_seance"


def test_etalon_mesure_un_travail_fixe():
    assert bench_pages._boucle_etalon(1000) == bench_pages._boucle_etalon(1000)
    etalon = bench_pages.etalonner()
    assert etalon["cpu_ms"] > 0 and etalon["reel_ms"] > 0


def test_le_banc_refuse_une_base_qui_n_est_pas_la_sienne():
    bench_pages.verifier_base("postgres://postgres@127.0.0.1:5432/mentorat_bench_petit")
    with pytest.raises(SystemExit):
        bench_pages.verifier_base("postgres://postgres@127.0.0.1:5432/mentorat")


def test_processus_postgresql_d_une_base_reconnus_a_leur_titre():
    titre = b"postgres: 15/main: postgres mentorat_bench 127.0.0.1(50138) idle\0\0\0"

    assert bench_pages.processus_de_la_base(titre, "mentorat_bench")
    assert not bench_pages.processus_de_la_base(titre, "mentorat_bench_national")
    assert bench_pages.processus_de_la_base(b"postgres: autovacuum worker mentorat_bench", "mentorat_bench")
    assert not bench_pages.processus_de_la_base(b"postgres: 15/main: checkpointer", "mentorat_bench")


def test_cpu_des_backends_d_une_base_entre_deux_instantanes():
    # 7 lived through the window, 8 is new, 9 exited (left out).
    assert bench_pages.delta_backends({7: 100, 9: 50}, {7: 130, 8: 12}) == 42

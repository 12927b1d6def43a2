"""Reads from a PostgreSQL streaming replica (socle/routeur.py), against a real replica started here.

The replica is built from the primary the suite runs on (`pg_basebackup`, another port), with the
test database in it, and stopped at the end even when the test fails. The primary must accept
replication connections from 127.0.0.1: when its pg_hba.conf has no such rule, the fixture adds
`host replication all 127.0.0.1/32 trust` (the suite's own access is already trusted from
127.0.0.1) and reloads it — once; the line stays. `wal_level` and `max_wal_senders` need a
restart of the primary to change: without them the test is missing (failed in CI), not repaired.
"""

import copy
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bilans.models import RapportAnnuel, StatutRapport
from conftest import manque
from etablissements.models import LigneBudget
from socle import routeur
from socle.routeur import ALIAS, COOKIE, RouteurReplique, lecture_replique, retard_replique
from tests.test_settings import _manage

REGLE_REPLICATION = "host replication all 127.0.0.1/32 trust"
# Settings a hot standby must hold at least as high as its primary.
REGLAGES_COPIES = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


# --- Without a replica: everything on the primary, as before -------------------------------------


def test_sans_replique_tout_se_lit_sur_la_primaire(db, django_assert_num_queries):
    assert not routeur.replique_configuree()
    with lecture_replique() as sur_replique:
        assert sur_replique is False
        assert RouteurReplique().db_for_read(LigneBudget) == DEFAULT_DB_ALIAS
    with django_assert_num_queries(0):
        assert retard_replique() == ""


def test_sans_replique_une_ecriture_ne_pose_pas_de_cookie(client, cast):
    client.force_login(cast.referent_a)
    url = reverse("etablissements:ligne_budget_ajouter", args=[cast.dispositif_a.pk])
    reponse = client.post(url, {"type": "allocation", "source": "autre", "libelle": "Don", "montant": "10"})
    assert reponse.status_code == 302
    assert COOKIE not in reponse.cookies


def test_le_routeur_ne_migre_et_n_ecrit_que_sur_la_primaire():
    r = RouteurReplique()
    assert r.allow_migrate(DEFAULT_DB_ALIAS, "bilans") is True
    assert r.allow_migrate(ALIAS, "bilans") is False
    assert r.db_for_write(LigneBudget) == DEFAULT_DB_ALIAS


def test_replique_injoignable_les_lectures_restent_sur_la_primaire(django_db_blocker, monkeypatch, caplog):
    reglages = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    reglages.update(
        ENGINE="django.db.backends.postgresql",
        NAME="mentorat",
        USER="postgres",
        HOST="127.0.0.1",
        PORT="1",
        OPTIONS={"connect_timeout": 1},
        TEST={},
    )
    monkeypatch.setitem(routeur._panne, "jusqua", 0.0)
    connections.settings[ALIAS] = reglages
    try:
        with django_db_blocker.unblock():
            with lecture_replique() as sur_replique:
                assert sur_replique is False
                assert RouteurReplique().db_for_read(LigneBudget) == DEFAULT_DB_ALIAS
            assert retard_replique() == ""
            assert caplog.text.count("Réplique injoignable") == 1
            # Paused: the next reads do not wait for it again.
            with lecture_replique() as sur_replique:
                assert sur_replique is False
            assert caplog.text.count("Réplique injoignable") == 1
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def test_reglage_de_la_replique():
    code = "from django.conf import settings; print(sorted(settings.DATABASES), settings.DATABASES['replique']['PORT'])"
    resultat = _manage(
        "shell",
        "-c",
        code,
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mentorat",
        DATABASE_REPLICA_URL="postgres://postgres@10.0.0.2:5433/mentorat",
    )
    assert resultat.returncode == 0, resultat.stderr
    assert "['default', 'replique'] 5433" in resultat.stdout
    # A replica of SQLite does not exist: refused at start-up.
    resultat = _manage(
        "check", DEBUG="1", DATABASE_URL="sqlite:///x.sqlite3", DATABASE_REPLICA_URL="postgres://h:5433/mentorat"
    )
    assert resultat.returncode != 0
    assert "DATABASE_REPLICA_URL" in resultat.stderr


# --- A real replica --------------------------------------------------------------------------------


def _port_libre(debut=5433):
    for port in range(debut, debut + 50):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("Aucun port libre pour la réplique.")


def _valeur(curseur, sql, *parametres):
    curseur.execute(sql, parametres)
    return curseur.fetchone()[0]


def _autoriser_replication(curseur):
    """Make sure the primary accepts replication connections from 127.0.0.1 (idempotent)."""
    if (
        _valeur(curseur, "SHOW wal_level") not in ("replica", "logical")
        or int(_valeur(curseur, "SHOW max_wal_senders")) < 2
    ):
        manque("La base primaire n’autorise pas la réplication (wal_level, max_wal_senders) : redémarrage requis.")
    regles = """SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL AND type IN ('host', 'hostnossl')
        AND 'replication' = ANY(database) AND (address IN ('127.0.0.1', 'all', 'samehost') OR address IS NULL)"""
    if _valeur(curseur, regles):
        return
    fichier = Path(_valeur(curseur, "SHOW hba_file"))
    try:
        contenu = fichier.read_text()
        if REGLE_REPLICATION not in contenu:
            ajout = f"\n# Mentorat LP (tests/test_replique.py)\n{REGLE_REPLICATION}\n"
            fichier.write_text(contenu.rstrip("\n") + ajout)
    except OSError as erreur:
        manque(f"Impossible d’autoriser la réplication dans {fichier} : {erreur}")
    curseur.execute("SELECT pg_reload_conf()")
    for _ in range(50):
        if _valeur(curseur, regles):
            return
        time.sleep(0.1)
    manque(f"La règle « {REGLE_REPLICATION} » de {fichier} n’est pas prise en compte.")


def _en_postgres(*commande, timeout=300):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *commande], capture_output=True, text=True, timeout=timeout, check=False
    )


def _attendre_rattrapage(delai=60):
    """Until the replica has replayed everything committed on the primary so far."""
    with connections[DEFAULT_DB_ALIAS].cursor() as curseur:
        position = _valeur(curseur, "SELECT pg_current_wal_lsn()::text")
    assert routeur._attendre(position, delai), "La réplique ne rattrape pas la base primaire."


@pytest.fixture
def replique_reelle(transactional_db):
    """A streaming replica of the primary on another port, as the alias "replique"; removed afterwards."""
    if connection.vendor != "postgresql":
        manque("La réplique se teste sur PostgreSQL : lancez ce test avec DATABASE_URL=postgres://…")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        manque("Démarrer une réplique demande les droits de l’utilisateur postgres (lancez les tests en root).")
    primaire = connection.settings_dict
    with connection.cursor() as curseur:
        version = int(_valeur(curseur, "SHOW server_version_num")) // 10000
        reglages = {nom: _valeur(curseur, f"SHOW {nom}") for nom in REGLAGES_COPIES}
        _autoriser_replication(curseur)
    binaires = Path(f"/usr/lib/postgresql/{version}/bin")
    if not (binaires / "pg_basebackup").exists():
        manque(f"Binaires PostgreSQL {version} introuvables dans {binaires}.")

    dossier = Path(tempfile.mkdtemp(prefix="mentorat-replique-"))
    shutil.chown(dossier, "postgres", "postgres")
    donnees = dossier / "donnees"
    port = _port_libre()
    demarree = False
    try:
        copie = _en_postgres(
            str(binaires / "pg_basebackup"),
            *("-h", primaire["HOST"] or "127.0.0.1", "-p", str(primaire["PORT"] or 5432)),
            *("-U", primaire["USER"] or "postgres", "-D", str(donnees), "-R", "-X", "stream", "-c", "fast"),
        )
        assert copie.returncode == 0, f"pg_basebackup : {copie.stderr}"
        # Debian keeps the primary's configuration outside its data directory: the copy gets its own.
        conf = donnees / "postgresql.conf"
        with conf.open("a") as f:
            f.write("hot_standby = on\n" + "".join(f"{nom} = {valeur}\n" for nom, valeur in reglages.items()))
        hba = donnees / "pg_hba.conf"
        if not hba.exists():
            hba.write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (donnees / "pg_ident.conf").touch()
        for fichier in (conf, hba, donnees / "pg_ident.conf"):
            shutil.chown(fichier, "postgres", "postgres")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dossier}"
        demarrage = _en_postgres(
            str(binaires / "pg_ctl"),
            *("-D", str(donnees), "-l", str(dossier / "journal"), "-w", "-t", "60", "-o", options, "start"),
        )
        demarree = True
        journal = (dossier / "journal").read_text() if (dossier / "journal").exists() else ""
        assert demarrage.returncode == 0, f"pg_ctl start : {demarrage.stderr}\n{journal}"

        reglages_replique = copy.deepcopy(primaire)
        reglages_replique.update(HOST="127.0.0.1", PORT=str(port), CONN_MAX_AGE=None)
        connections.settings[ALIAS] = reglages_replique
        # The test case refuses to open connections to aliases it was not declared with (this one
        # did not exist yet): open it here, kept for the whole test (CONN_MAX_AGE=None).
        connections[ALIAS].connect()
        with connections[ALIAS].cursor() as curseur:
            assert _valeur(curseur, "SELECT pg_is_in_recovery()") is True
        _attendre_rattrapage()
        yield connections[ALIAS]
    finally:
        if ALIAS in connections.settings:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
        if demarree:
            _en_postgres(str(binaires / "pg_ctl"), "-D", str(donnees), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(dossier, ignore_errors=True)


def _donnees(requetes):
    """The captured queries that read the application's data (not the replica's position)."""
    return [q["sql"] for q in requetes.captured_queries if "pg_last_wal" not in q["sql"]]


def _export(client, replique):
    with CaptureQueriesContext(replique) as requetes:
        reponse = client.get(reverse("bilans:export"))
    assert reponse.status_code == 200
    return reponse.content.decode("utf-8-sig"), _donnees(requetes)


def _retard_affiche(client):
    page = client.get(reverse("bilans:academie")).content.decode()
    trouve = re.search(r"Base lue : réplique (à jour|en retard de [\d\u202f\xa0 ]+ s)\.", page)
    assert trouve, "Le retard de la réplique n’est pas affiché près des chiffres datés."
    return trouve.group(1)


@pytest.mark.django_db(transaction=True)
def test_tableaux_de_bord_et_exports_lus_sur_une_vraie_replique(cast, replique_reelle, settings, tmp_path):
    replique = replique_reelle
    settings.MEDIA_ROOT = tmp_path
    settings.REPLIQUE_ATTENTE = 0.5
    referent, chef, academie = Client(), Client(), Client()
    referent.force_login(cast.referent_a)
    chef.force_login(cast.chef_a)
    academie.force_login(cast.pilotage)
    _attendre_rattrapage()

    # The académie's dashboard reads its figures on the replica, and says how late it is.
    with CaptureQueriesContext(replique) as requetes:
        assert academie.get(reverse("bilans:academie")).status_code == 200
    assert any("etablissements_dispositif" in sql for sql in _donnees(requetes))
    assert _retard_affiche(academie)
    # So does an export.
    _, lues = _export(chef, replique)
    assert any("etablissements_lignebudget" in sql for sql in lues)

    # The replica stops replaying: it falls behind the primary.
    with replique.cursor() as curseur:
        curseur.execute("SELECT pg_wal_replay_pause()")
    try:
        url = reverse("etablissements:ligne_budget_ajouter", args=[cast.dispositif_a.pk])
        reponse = referent.post(url, {"type": "allocation", "source": "autre", "libelle": "Don", "montant": "4321"})
        assert reponse.status_code == 302
        assert COOKIE in reponse.cookies
        assert LigneBudget.objects.filter(montant=Decimal("4321")).exists()

        # The référent sees their own write at once: their export reads the primary.
        contenu, lues = _export(referent, replique)
        assert "4321,00" in contenu
        assert lues == []
        # Another user's export still reads the replica, which has not replayed it yet.
        contenu, lues = _export(chef, replique)
        assert "4321,00" not in contenu
        assert lues
        # The lag is shown beside the académie's dated figures.
        assert _retard_affiche(academie).startswith("en retard de ")

        # The report asked now is built from the primary: the replica does not hold the new sum.
        with CaptureQueriesContext(replique) as requetes:
            referent.post(reverse("bilans:rapport_generer", args=[cast.dispositif_a.pk]))
        assert RapportAnnuel.objects.get(dispositif=cast.dispositif_a).statut == StatutRapport.PRET
        assert _donnees(requetes) == []
    finally:
        with replique.cursor() as curseur:
            curseur.execute("SELECT pg_wal_replay_resume()")

    _attendre_rattrapage()
    settings.REPLIQUE_ATTENTE = 10
    # Caught up: everyone reads the replica again, the référent too (it holds their write now).
    contenu, lues = _export(chef, replique)
    assert "4321,00" in contenu and lues
    contenu, lues = _export(referent, replique)
    assert "4321,00" in contenu and lues
    # A report asked once the replica holds everything is built from it.
    with CaptureQueriesContext(replique) as requetes:
        referent.post(reverse("bilans:rapport_generer", args=[cast.dispositif_a.pk]))
    assert RapportAnnuel.objects.get(dispositif=cast.dispositif_a).statut == StatutRapport.PRET
    assert any("etablissements_lignebudget" in sql for sql in _donnees(requetes))
    # Up to date, and said so (other databases of the cluster may be written meanwhile: a few tries).
    for _ in range(50):
        if _retard_affiche(academie) == "à jour":
            break
        time.sleep(0.2)
    else:
        pytest.fail("La réplique rattrapée n’est jamais affichée « à jour ».")

"""Faults on the production stack, with the real services stopped, frozen and killed.

gunicorn and a Celery worker run the production settings (DEBUG off) on the test database
(PostgreSQL) with a Redis of their own. Redis is stopped (SIGTERM), started again, frozen
(SIGSTOP) and thawed; a worker is killed (SIGKILL) in the middle of a report. The app must
keep serving, keep every fact, and send each email once when Redis is back.
"""

import datetime
import email
import email.policy
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from bilans.models import RapportAnnuel, StatutRapport
from binomes.tests.factories import BinomeFactory, MentorFactory
from conftest import manque, publier_vers
from seances.models import DeclarationAbsence, Notification, StatutNotification
from seances.tests.factories import SeanceFactory
from socle.models import User
from tests.pile import MOT_DE_PASSE, Client, Gunicorn, PostgresPrive, RedisPrive, Worker, attendre, environnement

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# What a page may take with Redis stopped or frozen (the target).
DELAI_PAGE = 2.0
MAIL_MENTOR = "nadia@entreprise.fr"


@pytest.fixture
def dossier(tmp_path):
    if connection.vendor != "postgresql":
        manque("Les tests de panne partagent la base de test avec gunicorn et le worker : lancez-les sur PostgreSQL.")
    if not shutil.which("redis-server"):
        manque("redis-server introuvable : les tests de panne démarrent leur propre Redis.")
    (tmp_path / "emails").mkdir()
    (tmp_path / "media").mkdir()
    return tmp_path


@pytest.fixture
def services(dossier):
    """Private Redis, gunicorn and one worker; everything stopped afterwards, whatever happened."""
    lances = []

    def lancer(processus):
        lances.append(processus)
        return processus.demarrer()

    yield lancer
    for processus in reversed(lances):
        processus.arreter()


@pytest.fixture
def broker(monkeypatch):
    """Publish from the test process to the private Redis, as beat would."""
    return lambda redis: publier_vers(monkeypatch, redis.url)


@pytest.fixture
def monde(cast):
    """LP A's binôme with four séances to come, one per state of Redis, each with its student expected.

    The cast's passwords are hashed for the production settings (the tests' MD5 hasher is
    not among them).
    """
    hache = PBKDF2PasswordHasher().encode(MOT_DE_PASSE, "sel-des-tests-de-panne")
    User.objects.update(password=hache)
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True, email=MAIL_MENTOR)
    binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    seances = [
        SeanceFactory(dispositif=cast.dispositif_a, binome=binome, prevue=True, date=datetime.date(2026, 12, jour))
        for jour in (10, 11, 14, 15)
    ]
    return cast, binome, seances


def pages_principales(cast):
    dispositif = cast.dispositif_a.pk
    return {
        cast.referent_a.email: [
            reverse("accueil"),
            reverse("seances:liste"),
            reverse("seances:nouvelle"),
            reverse("seances:entretiens"),
            reverse("binomes:eleves"),
            reverse("binomes:mentors"),
            reverse("binomes:binomes"),
            reverse("etablissements:frise", args=[dispositif]),
            reverse("bilans:bilan"),
            reverse("bilans:rapport", args=[dispositif]),
        ],
        cast.pilotage.email: [reverse("accueil"), reverse("bilans:academie")],
        cast.coordonnateur_a.email: [reverse("accueil"), reverse("seances:liste")],
    }


def parcourir(base, cast, *, etat, delai=DELAI_PAGE):
    """Sign in as each role and open its main pages: each answers 200 within `delai` seconds."""
    for email_, chemins in pages_principales(cast).items():
        client = Client(base)
        duree = client.connecter(email_)
        assert duree < delai, f"Redis {etat} : connexion de {email_} en {duree:.2f} s"
        for chemin in chemins:
            statut, page, duree = client.get(chemin)
            assert statut == 200, f"Redis {etat} : {chemin} → {statut}\n{page[:1500]}"
            assert duree < delai, f"Redis {etat} : {chemin} en {duree:.2f} s"


def declarer_absence(base, cast, seance, *, etat):
    client = Client(base)
    client.connecter(cast.cpe_a.email)
    participation = seance.participations.get(eleve__isnull=False)
    statut, page, duree = client.post(
        reverse("seances:declarer_absence", args=[seance.pk]), {"participation": participation.pk, "motif": etat}
    )
    assert statut == 302, f"Redis {etat} : déclaration → {statut}\n{page[:1500]}"
    assert duree < DELAI_PAGE, f"Redis {etat} : déclaration en {duree:.2f} s"
    assert DeclarationAbsence.objects.filter(participation=participation, motif=etat).exists()


def courriels(dossier):
    """Every email the worker wrote (the file backend writes one file per connection)."""
    messages = []
    for fichier in sorted((dossier / "emails").glob("*.log")):
        for bloc in fichier.read_text().split("-" * 79):
            if bloc.strip():
                messages.append(email.message_from_string(bloc.strip(), policy=email.policy.default))
    return messages


def test_redis_arrete_gele_puis_relance_rien_n_est_perdu_ni_envoye_deux_fois(monde, services, broker, dossier):
    cast, _binome, seances = monde
    redis = services(RedisPrive(dossier))
    env = environnement(redis_url=redis.url, dossier=dossier)
    web = services(Gunicorn(dossier, env))
    services(Worker(dossier, env))
    # A first round loads each gunicorn worker's code and templates: not timed.
    parcourir(web.url, cast, etat="en marche", delai=30)

    # Stopped: nothing listens on its port.
    redis.arreter()
    parcourir(web.url, cast, etat="arrêté")
    declarer_absence(web.url, cast, seances[0], etat="arrêté")

    # Started again, empty (it keeps nothing on disk).
    redis.demarrer()
    parcourir(web.url, cast, etat="relancé")
    declarer_absence(web.url, cast, seances[1], etat="relancé")

    # Frozen: connections are accepted by the kernel, nothing ever answers.
    redis.geler()
    parcourir(web.url, cast, etat="gelé")
    declarer_absence(web.url, cast, seances[2], etat="gelé")
    redis.degeler()
    declarer_absence(web.url, cast, seances[3], etat="dégelé")

    # Redis is back: the outbox relay (a beat job every minute) sends what is pending.
    from seances.tasks import relayer_notifications

    broker(redis)
    relayer_notifications.delay()

    def tout_envoye():
        return not Notification.objects.filter(statut=StatutNotification.EN_ATTENTE).exists()

    attendre(tout_envoye, delai=60, pas=0.5, message="notifications restées en attente")
    # Late deliveries (a publish made while Redis was frozen reaches it when it thaws) have
    # had time to run; a second relay finds nothing to send.
    relayer_notifications.delay()
    time.sleep(3)
    recus = [m for m in courriels(dossier) if m["To"].strip() == MAIL_MENTOR]
    sujets = Counter(m["Subject"].strip() for m in recus)
    attendus = {f"[Mentorat LP] Absence prévue à la séance du {s.date:%d/%m/%Y}" for s in seances}
    assert sujets == Counter(attendus), sujets


def test_sous_charge_un_redemarrage_de_redis_ne_donne_aucune_erreur(monde, services, dossier):
    """20 clients for 60 s on the main pages; Redis restarted in the middle: no error at all."""
    cast, _binome, _seances = monde
    redis = services(RedisPrive(dossier))
    env = environnement(redis_url=redis.url, dossier=dossier)
    web = services(Gunicorn(dossier, env))
    services(Worker(dossier, env))
    comptes = [cast.referent_a.email, cast.chef_a.email, cast.pilotage.email, cast.coordonnateur_a.email]
    pages = pages_principales(cast)
    clients = []
    for i in range(20):
        client = Client(web.url, delai=30)
        client.connecter(comptes[i % len(comptes)])
        clients.append((client, pages.get(comptes[i % len(comptes)], [reverse("accueil"), reverse("seances:liste")])))
    fin = time.monotonic() + 60
    erreurs, reponses = [], Counter()

    def charger(client, chemins):
        i = 0
        while time.monotonic() < fin:
            chemin = chemins[i % len(chemins)]
            i += 1
            try:
                statut, _page, _duree = client.get(chemin)
            except OSError as erreur:
                erreurs.append(f"{chemin} : {erreur!r}")
                continue
            reponses[statut] += 1
            if statut != 200:
                erreurs.append(f"{chemin} : {statut}")

    fils = [threading.Thread(target=charger, args=c, daemon=True) for c in clients]
    for f in fils:
        f.start()
    time.sleep(25)
    redis.arreter()
    time.sleep(5)
    redis.demarrer()
    for f in fils:
        f.join(timeout=120)
    assert not any(f.is_alive() for f in fils)
    assert reponses[200] > 100, reponses
    assert erreurs == [], f"{len(erreurs)} erreurs sur {sum(reponses.values())} réponses : {erreurs[:10]}"


def test_worker_tue_pendant_un_rapport_le_rapport_finit_pret(cast, services, broker, dossier):
    """SIGKILL on the worker while it builds a report; a new worker and the beat job finish it."""
    from bilans import rapports
    from bilans.tasks import relancer_rapports

    redis = services(RedisPrive(dossier))
    env = environnement(redis_url=redis.url, dossier=dossier, PAUSE_PDF="60", RAPPORT_DELAI_BLOCAGE="1")
    broker(redis)
    rapport = rapports.rapport_demander(dispositif=cast.dispositif_a)
    lent = services(Worker(dossier, env, nom="worker-lent", module="tests.worker_lent"))

    def en_cours():
        rapport.refresh_from_db()
        return rapport.statut == StatutRapport.EN_COURS

    attendre(en_cours, delai=60, message="le worker n’a pas commencé le rapport :\n" + lent.lire_journal())
    lent.arreter(signal_=signal.SIGKILL)
    assert lent.popen.returncode == -signal.SIGKILL
    time.sleep(1.5)
    rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.EN_COURS  # stuck: nobody is building it

    services(Worker(dossier, env))
    relancer_rapports.delay()  # as beat does every two minutes

    def pret():
        rapport.refresh_from_db()
        return rapport.statut == StatutRapport.PRET

    attendre(pret, delai=90, pas=0.3, message=f"rapport resté {rapport.statut}")
    assert RapportAnnuel.objects.count() == 1
    assert rapport.tentatives == 1
    fichiers = list((dossier / "media").rglob("*.pdf"))
    assert [f.name for f in fichiers] == [f"rapport-{cast.lp_a.uai}-{cast.dispositif_a.annee}.pdf"]
    assert fichiers[0].read_bytes().startswith(b"%PDF")


def test_base_arretee_avec_connexions_persistantes_503_des_la_premiere_requete(dossier, services):
    """PostgreSQL stopped under gunicorn's persistent connection: the very next request gets the 503 page."""
    if not Path("/usr/lib/postgresql").exists() or not shutil.which("runuser"):
        manque("Binaires PostgreSQL (Debian) ou runuser absents : pas de base privée à arrêter.")
    base = PostgresPrive(dossier).initialiser()
    try:
        services(base)
        redis = services(RedisPrive(dossier))
        env = environnement(redis_url=redis.url, dossier=dossier, DATABASE_URL=base.url, CONN_MAX_AGE="600")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], cwd=settings.BASE_DIR, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             f"from socle.models import User; User.objects.create_user('chef@exemple.fr', '{MOT_DE_PASSE}')"],
            cwd=settings.BASE_DIR, env=env, check=True, capture_output=True,
        )  # fmt: skip
        # One process, one thread: the request after the outage reuses the connection opened before.
        web = services(Gunicorn(dossier, env, workers=1, threads=1))
        client = Client(web.url)
        client.connecter("chef@exemple.fr")
        assert client.get(reverse("accueil"))[0] == 200

        base.arreter()
        statut, page, duree = client.get(reverse("accueil"))
        assert statut == 503, page[:1500]
        assert "Service momentanément indisponible" in page
        assert duree < 5

        base.demarrer()
        assert client.get(reverse("accueil"))[0] == 200
    finally:
        base.arreter()
        base.supprimer()

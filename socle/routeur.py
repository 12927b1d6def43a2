"""Reads that may go to a PostgreSQL streaming replica (DATABASE_REPLICA_URL), and the router sending them.

Opt-in, never by default: a read goes to the replica only inside `lecture_replique()`, which the
read-only views (dashboards, exports: `@lecture_sur_replique`) and jobs (indicator refresh, report
build) enter explicitly. Everything else — writes, reads inside a transaction (read-then-write,
`select_for_update`), sessions, sign-in, migrations, tests — stays on the primary. A router that
sent every read to the replica would make each form redisplay, each check before a write and each
page after a redirect depend on the replica's lag; marking the few heavy read-only paths is the
safe design, and covers the load that matters (dashboards and exports read whole LPs).

A user's own writes: after any write request (POST…), `EcritureRecenteMiddleware` leaves a cookie
holding the primary's WAL position once the request is done. A marked view then reads the replica
only if the replica has replayed past that position, else the primary: the user always sees what
they just did, however late the replica is within the cookie's life (REPLIQUE_DELAI_ECRITURE):
exact, where a fixed delay after a write would only be likely. A
report build does the same with the position of the moment it starts, after the request that asked
for it was committed, waiting REPLIQUE_ATTENTE seconds at most for the replica to catch up.
A replica that cannot be reached is left alone for REPLIQUE_PAUSE seconds: the marked paths read
the primary meanwhile (slower, never wrong). Without the replica alias, everything reads the
primary, as before.
"""

import logging
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from .formats import nombre

ALIAS = "replique"
COOKIE = "mentorat_ecriture"
# Apps whose rows are read outside the marked paths or right after their own write: always the primary.
PRIMAIRE_SEULEMENT = frozenset({"sessions", "axes", "otp_totp", "otp_static", "django_otp"})

# None: reads on the primary. Else a dict: {"en_transaction": bool}.
_lecture: ContextVar[dict | None] = ContextVar("lecture_replique", default=None)
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
logger = logging.getLogger(__name__)
# Per process: until when (time.monotonic()) the replica counts as unreachable.
_panne = {"jusqua": 0.0}


def replique_configuree() -> bool:
    """A real replica is configured. A test database mirror (settings_test) is the primary itself."""
    reglages = connections.databases.get(ALIAS)
    return bool(reglages) and not (reglages.get("TEST") or {}).get("MIRROR")


def replique_disponible() -> bool:
    """The replica answers (a connection is open, or opens); else it is skipped for REPLIQUE_PAUSE seconds.

    Checked before a marked path reads it, not in the middle: a page never fails half-way because
    the replica went away, and a replica down costs one connection timeout per process and pause.
    """
    if time.monotonic() < _panne["jusqua"]:
        return False
    replique = connections[ALIAS]
    try:
        replique.close_if_health_check_failed()
        replique.ensure_connection()
    except DatabaseError:
        logger.warning("Réplique injoignable : lectures sur la base primaire pendant %s s.", settings.REPLIQUE_PAUSE)
        _panne["jusqua"] = time.monotonic() + settings.REPLIQUE_PAUSE
        return False
    return True


def _position_primaire() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as curseur:
        curseur.execute("SELECT pg_current_wal_lsn()::text")
        return curseur.fetchone()[0]


def replique_a_rejoue(position: str) -> bool:
    """The replica has replayed the primary's WAL up to `position` (so it holds what was committed before)."""
    with connections[ALIAS].cursor() as curseur:
        curseur.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [position])
        return curseur.fetchone()[0]


def _attendre(position: str, attente: float) -> bool:
    limite = time.monotonic() + attente
    while True:
        if replique_a_rejoue(position):
            return True
        if time.monotonic() >= limite:
            return False
        time.sleep(0.1)


@contextmanager
def lecture_replique(*, rattrapage=False, en_transaction=False):
    """Send the reads of this block to the replica, if one is configured.

    `rattrapage`: only if the replica holds everything committed on the primary when the block
    starts (waiting REPLIQUE_ATTENTE seconds at most), else the primary. `en_transaction`: even
    inside a transaction on the primary — for a block that only reads (a report's content built
    while the report's row is locked); elsewhere a read in a transaction stays on the primary.
    """
    actif = replique_configuree() and replique_disponible()
    if actif and rattrapage:
        actif = _attendre(_position_primaire(), settings.REPLIQUE_ATTENTE)
    jeton = _lecture.set({"en_transaction": en_transaction} if actif else None)
    try:
        yield actif
    finally:
        _lecture.reset(jeton)


def lecture_sur_replique(vue):
    """For a read-only view (a dashboard, an export): its reads may go to the replica.

    Not after the user's own recent write that the replica has not replayed yet (the cookie).
    """

    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not replique_configuree() or not replique_disponible() or not _a_vu_les_ecritures(request):
            return vue(request, *args, **kwargs)
        with lecture_replique():
            return vue(request, *args, **kwargs)

    return enveloppe


def _a_vu_les_ecritures(request) -> bool:
    position = request.COOKIES.get(COOKIE)
    if position is None:
        return True
    # A cookie that is not a WAL position (altered): the primary, which is always right.
    return bool(_LSN.match(position)) and replique_a_rejoue(position)


class EcritureRecenteMiddleware:
    """After a write request, remember where the primary's WAL stood (see the module's docstring).

    Outermost in MIDDLEWARE, so that the position covers every write of the request (the session too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and replique_configuree():
            try:
                position = _position_primaire()
            except DatabaseError:
                # Position unknown (the primary failed meanwhile): not a WAL position, so the
                # user's marked pages read the primary for the cookie's life.
                position = "inconnue"
            response.set_cookie(
                COOKIE,
                position,
                max_age=settings.REPLIQUE_DELAI_ECRITURE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class RouteurReplique:
    """Reads inside `lecture_replique()` to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        mode = _lecture.get()
        if (
            mode is not None
            and model._meta.app_label not in PRIMAIRE_SEULEMENT
            and (mode["en_transaction"] or not connections[DEFAULT_DB_ALIAS].in_atomic_block)
            and replique_configuree()
        ):
            return ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may be linked to one read here.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def retard_replique() -> str:
    """« réplique à jour » or « réplique en retard de N s », for the pages showing dated figures; "" without one.

    `now() - pg_last_xact_replay_timestamp()` alone grows while the primary is idle (no transaction
    to replay): a replica that replayed all it received is up to date, whatever that value says.
    """
    if not replique_configuree() or not replique_disponible():
        return ""
    with connections[ALIAS].cursor() as curseur:
        curseur.execute(
            "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),"
            " extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
        )
        a_jour, retard = curseur.fetchone()
    if a_jour is None:
        # Not a standby (an alias pointing at a primary): nothing to say.
        return ""
    if a_jour:
        return "réplique à jour"
    if retard is None:
        return "réplique en retard"
    return f"réplique en retard de {nombre(max(1, round(retard)))} s"

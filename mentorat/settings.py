"""Settings of Mentorat LP, read from the environment.

One module for every environment: development gets safe defaults (SQLite, in-process
tasks, emails written to files), production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=off. Bad values fail loudly at start-up.
`.env.example` documents every variable.
"""

from datetime import date
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

from socle.cache import ConnexionDisjonctable
from socle.context_processors import origine_de
from socle.roles import Role

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("La clé de développement ne peut pas servir en production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Base URL used in emails and calendar feeds (no request there).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, on a site that requires the second factor (socle.admin_site).
    "socle.apps.AdministrationConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "django_filters",
    "dsfr",
    "csp",
    "axes",
    "health_check",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Project apps, from the lowest layer to the highest (docs/architecture.md).
    "socle",
    "etablissements",
    "binomes",
    "seances",
    "bilans",
    "rgpd",
]

MIDDLEWARE = [
    # Outermost: remembers where the primary stood after a write request, every write included.
    "socle.routeur.EcritureRecenteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A posted form's fields read in one pass, before the CSRF check reads them (issue 18).
    "socle.middleware.ChampsPostesMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "socle.middleware.NoStoreForAuthenticatedMiddleware",
    "socle.middleware.SessionDureeMaxMiddleware",
    "etablissements.middleware.EtablissementCourantMiddleware",
    "etablissements.middleware.DoubleAuthentificationMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorat.urls"
WSGI_APPLICATION = "mentorat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The breadcrumb tag and the French formats, used by nearly every page; `{% url %}`
            # reversed once per process for links by id (socle/chemins.py).
            "builtins": ["socle.templatetags.fil_ariane", "socle.templatetags.formats", "socle.templatetags.chemins"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "etablissements.context_processors.navigation",
                "socle.context_processors.proconnect",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, checked before reuse: a connection that died while PostgreSQL
# restarted is replaced (or the request gets the 503 page) instead of failing a request.
# Opening one costs a few milliseconds of every request (issue 18), so production keeps them;
# development closes them (runserver starts a thread, hence a connection, per request).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The queries every page runs (socle.requetes) are prepared on each PostgreSQL connection that runs them
# twice. Off (0) behind a pooler in transaction or statement mode (PgBouncer's), which hands each
# transaction another server connection: a session-mode pooler keeps them.
REQUETES_PREPAREES = env.bool("REQUETES_PREPAREES", default=True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable database host answers nothing: give up after a few seconds (503 page).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`: the server and the periodic jobs (taches_periodiques) write to one file; a
    # writer waits for the other's lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
# A PostgreSQL streaming replica (README, « Passer à l’échelle »): dashboards, exports and report
# builds may read from it (socle/routeur.py); writes, transactions, migrations stay on the primary.
# Absent: everything on the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replique"] = env.db_url_config(DATABASE_REPLICA_URL)
    if not all(DATABASES[alias]["ENGINE"].endswith("postgresql") for alias in ("default", "replique")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL : une réplique PostgreSQL d’une base PostgreSQL.")
    DATABASES["replique"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replique"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replique"]["ATOMIC_REQUESTS"] = False
    DATABASES["replique"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
DATABASE_ROUTERS = ["socle.routeur.RouteurReplique"]
# After a user's write, their dashboards and exports read the primary until the replica has replayed
# it, for this many seconds at most (the cookie's life; beyond, the lag shown beside the figures tells).
REPLIQUE_DELAI_ECRITURE = env.int("REPLIQUE_DELAI_ECRITURE", default=300)
# Seconds a report build waits for the replica to catch up with the primary before reading the primary.
REPLIQUE_ATTENTE = env.float("REPLIQUE_ATTENTE", default=2.0)
# Seconds a process reads the primary only, after the replica failed to answer.
REPLIQUE_PAUSE = env.float("REPLIQUE_PAUSE", default=30.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mentorat.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the signed-in user read by a compiled query; the sessions opened under
    # django.contrib.auth.backends.ModelBackend were moved to it (migration mentorat 0006).
    "socle.authentification.ModelBackend",
    # ProConnect (OpenID Connect): answers only its own callback, and only when configured.
    "etablissements.proconnect.ProConnectBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Project-wide assets (the app's own CSS); app-specific ones stay in their app's static/.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("crispy_dsfr",)
CRISPY_TEMPLATE_PACK = "crispy_dsfr"
CRISPY_FAIL_SILENTLY = not DEBUG
DSFR_USE_INTEGRITY_CHECKSUMS = True

# --- Email -----------------------------------------------------------------------------
# Default: each email is written as a file under var/emails (nothing leaves the machine).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "emails")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds a mail server may take to answer. Emails are sent in requests (invitations, decisions,
# password resets) and by workers: a server that accepts the connection and never answers would
# otherwise hold the request until gunicorn kills its worker. Past it, the failure is caught and
# logged where the email is sent, and the page answers.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentorat LP <ne-pas-repondre@mentorat.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The accessibility statement: the address where people report a barrier, and the day the
# statement was established (updated with each audit).
ACCESSIBILITE_CONTACT = env.str("ACCESSIBILITE_CONTACT", default="accessibilite@mentorat.example")
ACCESSIBILITE_DATE = date.fromisoformat(env.str("ACCESSIBILITE_DATE", default="2026-11-30"))
EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[Mentorat LP] ")

# --- Cache and sessions ------------------------------------------------------------------
# Redis when configured (shared by every web process), else memory of the process.
# Redis holds nothing the app cannot do without: an error or a timeout reaching it is a
# cache miss (django-redis's IGNORE_EXCEPTIONS), so a stopped or frozen Redis slows no page
# by more than REDIS_TIMEOUT per cache call and breaks none. redis-py retries nothing: a
# retry with backoff (its default) turned a frozen Redis into a 20-second hang per request.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
# After Redis failed to answer, the cache does not try again for this many seconds
# (socle.cache.ConnexionDisjonctable): a frozen Redis costs one timeout, not one per call.
REDIS_PAUSE = env.float("REDIS_PAUSE", default=5.0)
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            # An entry pickled by another version of the code, unreadable by this one: a miss.
            "SERIALIZER": "socle.cache.SerialiseurTolerant",
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            "CONNECTION_POOL_KWARGS": {
                "connection_class": ConnexionDisjonctable,
                "retry": Retry(NoBackoff(), 0),
                "health_check_interval": 10,
            },
            "REDIS_CLIENT_KWARGS": {"retry": Retry(NoBackoff(), 0)},
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions live in the database only: a session cached in Redis would survive a sign-out
# made while Redis was frozen (the cache's delete is lost, its copy comes back with Redis).
# socle.sessions is Django's database engine, its read compiled once (issue 18).
SESSION_ENGINE = "socle.sessions"

# --- Celery ----------------------------------------------------------------------------
# Without REDIS_URL, tasks run in-process at once and their errors propagate:
# the development server needs no broker and no worker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No result backend: the app reads no task result (each task's effect is in the database),
# and the Redis result backend subscribed every publish to its result, failing the request
# when Redis was down or frozen.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged once done, and given back to the queue when its worker dies: every
# task is idempotent (a fact's state in the database says whether it is done).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker children are replaced after this many tasks, or after the task that took their resident
# memory past CELERY_WORKER_MAX_MEMORY_PER_CHILD kilobytes: a year-end PDF leaves a child a
# little larger (WeasyPrint's caches, fragmentation; ~0.26 MB per report measured in issue 18).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
if CELERY_WORKER_MAX_TASKS_PER_CHILD < 1 or CELERY_WORKER_MAX_MEMORY_PER_CHILD < 1:
    raise ImproperlyConfigured(
        "CELERY_WORKER_MAX_TASKS_PER_CHILD et CELERY_WORKER_MAX_MEMORY_PER_CHILD doivent être positifs."
    )
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that dies before acknowledging it goes back to the queue after
# CELERY_VISIBILITY_TIMEOUT seconds (Redis has no real acknowledgements). Longer than any task;
# the stuck-work beat job (bilans.tasks.relancer_rapports) acts well before it.
# The worker and beat wait up to CELERY_REDIS_TIMEOUT for Redis: long enough to ride out a
# pause (a frozen Redis that comes back), since an acknowledgement lost to a timeout leaves
# a kombu consumer stuck until restarted (seen in tests/test_pannes.py); a dead connection
# is still noticed within `health_check_interval` + 1 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "socket_connect_timeout": 2,
    "socket_timeout": env.float("CELERY_REDIS_TIMEOUT", default=30.0),
    "health_check_interval": 10,
    "max_retries": 1,
}
# A web request publishing a task waits at most this long for the broker, then gives up: the
# fact is in the database (outbox row, report "en attente") and a beat job sends it again.
CELERY_PUBLICATION_TIMEOUT = env.float("CELERY_PUBLICATION_TIMEOUT", default=0.5)
# A year-end report still "en attente" or "en cours" this many seconds after it was asked for
# (worker killed, broker down when asked) is sent again by the beat job, at most
# RAPPORT_TENTATIVES times; after that it ends "Échec" with its retry button.
RAPPORT_DELAI_BLOCAGE = env.int("RAPPORT_DELAI_BLOCAGE", default=600)
RAPPORT_TENTATIVES = env.int("RAPPORT_TENTATIVES", default=3)
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "socle.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    # Outbox relay: notifications whose publication failed (broker down) go out within a minute.
    "relayer-notifications": {"task": "seances.tasks.relayer_notifications", "schedule": crontab(minute="*")},
    # Year-end reports whose build was lost (worker killed, broker down) are asked again.
    "relancer-rapports": {"task": "bilans.tasks.relancer_rapports", "schedule": crontab(minute="*/2")},
    # Daily alert digest, in the morning (CELERY_TIMEZONE is Europe/Paris).
    "alertes-quotidiennes": {"task": "seances.tasks.alertes_quotidiennes", "schedule": crontab(hour=7, minute=0)},
    # Reminders before planned séances (seances/rappels.py), during the day only: a séance planned
    # at short notice is reminded within the hour, nobody is emailed at night.
    "envoyer-rappels": {"task": "seances.tasks.envoyer_rappels", "schedule": crontab(minute=5, hour="7-20")},
    "purger-journal-des-acces": {"task": "socle.tasks.purger_journal", "schedule": crontab(hour=3, minute=15)},
    # RGPD retention: anonymise students and mentors whose delay has passed (rgpd/retention.py).
    "retention-rgpd": {"task": "rgpd.tasks.appliquer_retention", "schedule": crontab(hour=3, minute=45)},
    # Indicators of the dashboards that show many LPs (académie, coordinator), kept in the cache
    # (bilans/indicateurs.py: RAFRAICHISSEMENT minutes; the pages show when they were computed).
    "rafraichir-indicateurs": {"task": "bilans.tasks.rafraichir_indicateurs", "schedule": crontab(minute="*/10")},
}

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_INACTIVITE seconds without a request, and in any case
# SESSION_DUREE_MAX seconds after the login (socle.middleware.SessionDureeMaxMiddleware).
SESSION_INACTIVITE = env.int("SESSION_INACTIVITE", default=2 * 3600)
SESSION_DUREE_MAX = env.int("SESSION_DUREE_MAX", default=10 * 3600)
SESSION_COOKIE_AGE = SESSION_DUREE_MAX
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
# Django's view, which renders templates/403_csrf.html without the request: a CSRF failure
# often comes with a lost session, and the page must not depend on it.
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The pages use none of the browser's devices or tracking features: each is switched off,
# for our pages and any frame, so injected script could not reach them either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    fonction: []
    for fonction in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Two-factor authentication (TOTP, django-otp): optional for everyone; required for the
# roles listed here (e.g. "chef,referent,pilotage"), whose holders must enrol a device
# before anything else. Wrong codes slow the next tries down (django-otp throttling).
# The académie's administrators create LPs and hand out chefs' and pilots' accounts: the
# second factor is theirs by default. Listing roles replaces the default (keep it in the list).
DOUBLE_AUTHENTIFICATION_ROLES = env.list("DOUBLE_AUTHENTIFICATION_ROLES", default=["admin_academique"])
_roles_inconnus = set(DOUBLE_AUTHENTIFICATION_ROLES) - set(Role.values)
if _roles_inconnus:
    raise ImproperlyConfigured(f"DOUBLE_AUTHENTIFICATION_ROLES nomme des rôles inconnus : {sorted(_roles_inconnus)}.")
OTP_TOTP_ISSUER = "Mentorat LP"

# --- ProConnect ------------------------------------------------------------------------
# Sign-in with ProConnect, the State's identity federation for professionals (README,
# « Se connecter avec ProConnect »). Absent (no discovery URL or client id): no button, and
# its URLs answer 404. The endpoints come from the discovery document, fetched at first use
# (no network call at start-up) and kept in the process's memory.
PROCONNECT_DISCOVERY_URL = env.str("PROCONNECT_DISCOVERY_URL", default="")
PROCONNECT_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
# Signature of the ID token and of the userinfo, as registered with ProConnect.
PROCONNECT_ALGORITHME = env.str("PROCONNECT_ALGORITHME", default="RS256")
PROCONNECT_SCOPES = env.str("PROCONNECT_SCOPES", default="openid email given_name usual_name")
# Seconds to wait for each call to ProConnect (discovery, token, userinfo, keys).
PROCONNECT_TIMEOUT = env.float("PROCONNECT_TIMEOUT", default=5.0)
if PROCONNECT_DISCOVERY_URL and PROCONNECT_CLIENT_ID:
    if not PROCONNECT_CLIENT_SECRET:
        raise ImproperlyConfigured("PROCONNECT_CLIENT_SECRET doit être défini avec PROCONNECT_CLIENT_ID.")
    if PROCONNECT_ALGORITHME not in {"RS256", "ES256", "HS256"}:
        raise ImproperlyConfigured("PROCONNECT_ALGORITHME : RS256, ES256 ou HS256.")
    if "openid" not in PROCONNECT_SCOPES.split() or "email" not in PROCONNECT_SCOPES.split():
        raise ImproperlyConfigured("PROCONNECT_SCOPES doit contenir « openid » et « email ».")
    # The sign-in and sign-out forms end in a redirect to ProConnect: CSP's form-action allows it.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(origine_de(PROCONNECT_DISCOVERY_URL))

# Brute-force protection: lock on (username, IP) after AXES_FAILURE_LIMIT failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by IP too. A whole lycée signs in from one public IP behind its
# NAT: locking by IP would lock out every staff member of an LP after one person's typos.
# The lock is keyed on the account, so rotating IPs, user agents or cookies does not help.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# The lock is counted on the normalised email (trimmed, lower-case): `DDFPT@…` is the same
# account as `ddfpt@…`, for the failures as for the sign-in (email__iexact).
AXES_USERNAME_CALLABLE = "socle.services.identifiant_verrouillage"
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies stand in front of gunicorn (0: it faces the clients). The client IP is
# then read from X-Forwarded-For as those proxies wrote it, never from what the client wrote there
# (socle.reseau), for the lockout's log as for the password-reset limit per IP.
PROXIES_DE_CONFIANCE = env.int("PROXIES_DE_CONFIANCE", default=0)
AXES_CLIENT_IP_CALLABLE = "socle.reseau.ip_client"

# Password-reset emails, over one sliding hour (socle.services.reinitialisation_autoriser):
# 3 per address is enough for a lost first email; 10 per client IP lets a lycée's staff,
# behind one NAT address, reset theirs while keeping a script from mailing every address.
# Beyond, the same "email sent" page, and no email.
REINITIALISATION_PAR_COURRIEL = env.int("REINITIALISATION_PAR_COURRIEL", default=3)
REINITIALISATION_PAR_IP = env.int("REINITIALISATION_PAR_IP", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Monitoring token for the detailed health check (/sante/detail/, `Authorization: Bearer <jeton>`).
# Empty: only signed-in staff users see it. /sante/ (alive or not) stays public.
SANTE_JETON = env.str("SANTE_JETON", default="")

# Access-log entries are kept 12 months (RGPD accountability), then purged by a beat job.
JOURNAL_CONSERVATION_JOURS = env.int("JOURNAL_CONSERVATION_JOURS", default=365)

# RGPD retention (rgpd/retention.py): a student is anonymised this many days after leaving the
# school (date_sortie) or after 31 August ending the last school year in which they had a binôme;
# a mentor this many days after their last binôme ended. Default: one school year.
RETENTION_ELEVES_JOURS = env.int("RETENTION_ELEVES_JOURS", default=365)
RETENTION_MENTORS_JOURS = env.int("RETENTION_MENTORS_JOURS", default=365)

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="mentorat-demo-2026")

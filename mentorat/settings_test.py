"""Test override of the settings: same module, a few values made fit for tests."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
for variable in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(variable, "0")
# ProConnect is off unless a test configures it (tests/test_proconnect.py starts a provider).
for variable in ("PROCONNECT_DISCOVERY_URL", "PROCONNECT_CLIENT_ID"):
    os.environ[variable] = ""
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

from .settings import *  # noqa: E402,F403

# With DATABASE_REPLICA_URL set, the suite does not create a test database on the replica: the
# alias mirrors the primary's (socle.routeur then reads everything from the primary). The test
# against a real replica (socle/tests/test_replique.py) starts its own.
if "replique" in DATABASES:  # noqa: F405
    DATABASES["replique"]["TEST"] = {"MIRROR": "default"}  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# As in development: each request closes its connection (production keeps them, see settings).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)  # noqa: F405
# Tasks run in-process in tests; the tests that need a real worker turn this off themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_HSTS_SECONDS = 0
AXES_ENABLED = True
# Serve static files from the apps' folders, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Each test process keeps its cache to itself (sessions are read from the cache).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


class VariableDeGabaritInconnue(str):
    """`string_if_invalid` that fails the test on a template variable that does not exist (a typo,
    a context key renamed), as les-emplois does, instead of rendering an empty string.

    False in a condition: Django also hands this value back, without formatting it, for a lookup
    that fails silently (a missing reverse one-to-one in `{% if p.declaration_absence %}`).
    """

    def __mod__(self, nom):
        raise NameError(f"Variable de gabarit inconnue : {nom}")

    def __bool__(self):
        return False


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = VariableDeGabaritInconnue("%s")  # noqa: F405

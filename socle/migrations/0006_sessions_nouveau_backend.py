"""Sessions opened under Django's ModelBackend name the backend that now loads their user
(`socle.authentification.ModelBackend`): nobody is signed out by the change, nor loses a form."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

ANCIEN = "django.contrib.auth.backends.ModelBackend"
NOUVEAU = "socle.authentification.ModelBackend"
CLE = "_auth_user_backend"


def _renommer(apps, de, vers):
    Session = apps.get_model("sessions", "Session")
    # Django's class: its name salts the signature of every session (socle.sessions' has the same name).
    codec = SessionStore()
    for session in Session.objects.iterator(chunk_size=1000):
        donnees = codec.decode(session.session_data)
        if donnees.get(CLE) == de:
            donnees[CLE] = vers
            Session.objects.filter(pk=session.pk).update(session_data=codec.encode(donnees))


def en_avant(apps, schema_editor):
    _renommer(apps, ANCIEN, NOUVEAU)


def en_arriere(apps, schema_editor):
    _renommer(apps, NOUVEAU, ANCIEN)


class Migration(migrations.Migration):
    dependencies = [
        ("mentorat", "0005_journal_signalements_et_suspensions"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(en_avant, en_arriere)]

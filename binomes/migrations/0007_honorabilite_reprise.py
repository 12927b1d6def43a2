"""One honorabilité record per person: the Mentor rows of one person (same account, else same
address, case-insensitively) share one: a refusal if one was recorded, else the most favourable
verification they had."""

import datetime
import unicodedata

from django.db import migrations

FAITS = ["statut", "date", "methode", "saisie_par_id", "expiration"]


def _normaliser(email):
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def _rang(faits, aujourdhui):
    # Frozen copy of Honorabilite.rang: a refusal (safeguarding first), then a valid verification
    # (the latest), then the latest dated result, then a check under way, then nothing.
    statut, date, _methode, _par, expiration = faits
    if statut == "refusee":
        return (4, date or datetime.date.min, datetime.date.min)
    if statut == "verifiee" and (expiration is None or expiration >= aujourdhui):
        return (3, expiration or datetime.date.max, date or datetime.date.min)
    if date:
        return (2, date, datetime.date.min)
    return (1 if statut == "en_cours" else 0, datetime.date.min, datetime.date.min)


def regrouper(apps, schema_editor):
    Mentor = apps.get_model("binomes", "Mentor")
    Honorabilite = apps.get_model("binomes", "Honorabilite")
    aujourdhui = datetime.date.today()
    personnes = {}
    for mentor in Mentor.objects.select_related("user").order_by("pk"):
        cle = _normaliser(mentor.user.email if mentor.user_id else mentor.email)
        faits = tuple(getattr(mentor, f"honorabilite_{f}") for f in FAITS)
        if not cle:
            honorabilite = Honorabilite.objects.create(**dict(zip(FAITS, faits, strict=True)))
            Mentor.objects.filter(pk=mentor.pk).update(honorabilite=honorabilite)
            continue
        personnes.setdefault(cle, []).append((mentor.pk, faits))
    for cle, lignes in personnes.items():
        meilleurs = max((faits for _pk, faits in lignes), key=lambda f: _rang(f, aujourdhui))
        honorabilite = Honorabilite.objects.create(email=cle, **dict(zip(FAITS, meilleurs, strict=True)))
        Mentor.objects.filter(pk__in=[pk for pk, _faits in lignes]).update(honorabilite=honorabilite)


def separer(apps, schema_editor):
    Mentor = apps.get_model("binomes", "Mentor")
    Honorabilite = apps.get_model("binomes", "Honorabilite")
    for mentor in Mentor.objects.select_related("honorabilite").exclude(honorabilite=None):
        for champ in FAITS:
            setattr(mentor, f"honorabilite_{champ}", getattr(mentor.honorabilite, champ))
        mentor.save(update_fields=[f"honorabilite_{champ}" for champ in FAITS])
    Mentor.objects.update(honorabilite=None)
    Honorabilite.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("binomes", "0006_honorabilite_par_personne")]

    operations = [migrations.RunPython(regrouper, separer)]

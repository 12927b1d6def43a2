"""Students already in a living binôme took part in the programme: record them as retained and
volunteer, dated by their first binôme (else today). A parents' answer already recorded gets the date
it was known by (the day parents were informed, else the student's agreement). A parents' agreement
is never invented: a minor without one stays non-eligible for a new binôme, the current one goes on.
"""

from django.db import migrations
from django.db.models import Min
from django.utils import timezone

VIVANTS = ("propose", "actif", "suspendu")


def marquer(apps, schema_editor):
    Eleve = apps.get_model("binomes", "Eleve")
    aujourd_hui = timezone.localdate()
    en_binome = Eleve.objects.filter(binomes__statut__in=VIVANTS).distinct().annotate(debut=Min("binomes__date_debut"))
    for eleve in en_binome:
        eleve.statut = "retenu"
        eleve.volontaire = True
        eleve.date_volontariat = eleve.date_volontariat or eleve.debut or aujourd_hui
        eleve.save(update_fields=["statut", "volontaire", "date_volontariat"])
    for eleve in Eleve.objects.filter(consentement_parental__in=["oui", "non"], consentement_parental_le__isnull=True):
        date = eleve.parents_informes_le or eleve.date_volontariat
        if date:
            eleve.consentement_parental_le = date
            eleve.save(update_fields=["consentement_parental_le"])


class Migration(migrations.Migration):
    dependencies = [
        ("binomes", "0010_parcours_eleve"),
    ]

    operations = [migrations.RunPython(marquer, migrations.RunPython.noop)]

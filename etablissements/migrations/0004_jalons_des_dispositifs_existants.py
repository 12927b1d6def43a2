"""Give the dispositifs created before the frise existed their milestones."""

from django.db import migrations


def generer(apps, schema_editor):
    from etablissements.frise import JALONS

    Dispositif = apps.get_model("etablissements", "Dispositif")
    Jalon = apps.get_model("etablissements", "Jalon")
    for dispositif in Dispositif.objects.all():
        existants = set(Jalon.objects.filter(dispositif=dispositif).values_list("code", flat=True))
        Jalon.objects.bulk_create(
            [
                Jalon(
                    dispositif=dispositif,
                    code=d.code,
                    ordre=ordre,
                    debut=d.dates(dispositif.annee)[0],
                    fin=d.dates(dispositif.annee)[1],
                )
                for ordre, d in enumerate(JALONS, start=1)
                if d.code not in existants
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("etablissements", "0003_cadre_du_dispositif"),
    ]

    operations = [migrations.RunPython(generer, migrations.RunPython.noop)]

"""Each non-empty line of a binôme's former free-text objectives becomes one objective to follow."""

from django.db import migrations


def reprendre(apps, schema_editor):
    Binome = apps.get_model("binomes", "Binome")
    ObjectifBinome = apps.get_model("binomes", "ObjectifBinome")
    objectifs = []
    for binome in Binome.objects.exclude(objectifs="").only("pk", "objectifs", "date_debut"):
        lignes = [ligne.strip(" -•*\t") for ligne in binome.objectifs.splitlines()]
        # Every line is kept, even beyond the five a new pair may have: nothing written is lost.
        for ordre, ligne in enumerate(ligne for ligne in lignes if ligne):
            objectifs.append(
                ObjectifBinome(
                    binome_id=binome.pk,
                    libelle=ligne[:200],
                    origine="libre",
                    statut="en_cours",
                    ordre=ordre,
                    **({"fixe_le": binome.date_debut} if binome.date_debut else {}),
                )
            )
    ObjectifBinome.objects.bulk_create(objectifs)
    # One place for the objectives from now on: the text field is no longer shown nor edited.
    Binome.objects.exclude(objectifs="").update(objectifs="")


class Migration(migrations.Migration):
    dependencies = [("binomes", "0013_objectifs_des_binomes")]

    operations = [migrations.RunPython(reprendre, migrations.RunPython.noop)]

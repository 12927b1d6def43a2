"""File exports shared by the apps."""

import csv

from django.http import HttpResponse


def reponse_csv(nom_fichier: str, entetes, lignes) -> HttpResponse:
    """A CSV download that Excel in French opens as is: UTF-8 with a BOM, semicolons."""
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    reponse.write("\ufeff")
    ecrivain = csv.writer(reponse, delimiter=";")
    ecrivain.writerow(entetes)
    ecrivain.writerows(lignes)
    return reponse

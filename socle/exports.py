"""File exports shared by the apps."""

import csv
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone


def cellule_csv(valeur):
    """A value as a French spreadsheet reads it: decimal comma, dd/mm/yyyy dates, Oui/Non.

    No thousands separator: the spreadsheet must still see a number.
    """
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if isinstance(valeur, Decimal):
        # Amounts (the only decimals stored) in cents, whatever the database returns for an
        # aggregate (PostgreSQL keeps the scale, SQLite does not): « 2100,50 » everywhere.
        if valeur.as_tuple().exponent >= -2:
            valeur = valeur.quantize(Decimal("0.01"))
        return format(valeur, "f").replace(".", ",")
    if isinstance(valeur, float):
        return str(valeur).replace(".", ",")
    if isinstance(valeur, datetime):
        if timezone.is_aware(valeur):
            valeur = timezone.localtime(valeur)
        return valeur.strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    return valeur


def reponse_csv(nom_fichier: str, entetes, lignes) -> HttpResponse:
    """A CSV download that Excel in French opens as is: UTF-8 with a BOM, semicolons, French values."""
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    reponse.write("\ufeff")
    ecrivain = csv.writer(reponse, delimiter=";")
    ecrivain.writerow(entetes)
    ecrivain.writerows([cellule_csv(v) for v in ligne] for ligne in lignes)
    return reponse

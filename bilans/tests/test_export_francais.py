"""The indicators' export opens in a French spreadsheet: `;`, BOM, decimal comma; XLSX keeps numbers."""

import csv
import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from etablissements.tests.factories import LigneBudgetFactory
from socle.exports import cellule_csv


def test_csv_virgule_decimale_et_xlsx_numerique(client, cast):
    LigneBudgetFactory(dispositif=cast.dispositif_a, montant=Decimal("2100.50"))
    client.force_login(cast.referent_a)

    reponse = client.get(reverse("bilans:export"))
    assert reponse.content.startswith("\ufeff".encode())
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    colonne = lignes[0].index("Sommes allouées")
    assert lignes[1][colonne] == "2100,50"
    assert Decimal(lignes[1][colonne].replace(",", ".")) == Decimal("2100.50")

    classeur = load_workbook(io.BytesIO(client.get(reverse("bilans:export"), {"format": "xlsx"}).content))
    assert classeur.active.cell(2, colonne + 1).value == 2100.5


def test_cellules_a_la_francaise():
    assert cellule_csv(12.5) == "12,5"
    # Amounts in cents whatever scale the database returned; finer decimals kept.
    assert [cellule_csv(Decimal(v)) for v in ("2100.5", "2100.50", "3", "1E+3", "0.125")] == [
        "2100,50",
        "2100,50",
        "3,00",
        "1000,00",
        "0,125",
    ]
    assert cellule_csv(datetime.date(2026, 3, 9)) == "09/03/2026"
    assert cellule_csv(True) == "Oui"
    assert cellule_csv(None) == ""
    assert cellule_csv(3) == 3

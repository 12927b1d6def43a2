"""Bounds and helpers shared by the models of several topics."""

from decimal import Decimal

# Euros: far above any LP's mentoring budget, far below what a DecimalField(10, 2) holds.
MONTANT_MAX = Decimal("1000000")


def libelles(choices, codes):
    return [choices(code).label for code in codes or [] if code in choices.values]

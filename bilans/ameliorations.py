"""The year-end review's improvements, handed down to next year's cadrage draft."""

from .models import BilanQualitatif


def ameliorations(dispositif) -> list[str]:
    """The improvements the year-end meeting decided for the year after `dispositif`, one per line."""
    texte = BilanQualitatif.objects.filter(dispositif=dispositif).values_list("ameliorations", flat=True).first()
    return [ligne.strip().lstrip("-•*").strip() for ligne in (texte or "").splitlines() if ligne.strip()]

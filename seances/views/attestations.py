"""The attestations, as tagged PDFs generated on demand; each generation is written in the access log."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from etablissements.models.dispositif import annee_scolaire_courante
from socle.journal import ActionJournal, journaliser
from socle.pdf import rendre_pdf

from .. import attestations


def _pdf(request, *, gabarit, contexte, titre, fichier, etablissement_id, objet):
    contenu = rendre_pdf(gabarit, contexte, titre=titre)
    journaliser(request, action=ActionJournal.TELECHARGEMENT, etablissement_id=etablissement_id, objet=objet)
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{slugify(fichier)}.pdf"'
    return reponse


def eleve(request, pk):
    binome = get_object_or_404(
        attestations.binomes_attestables(request.user).select_related(
            "eleve", "mentor__entreprise", "dispositif__etablissement"
        ),
        pk=pk,
    )
    e = binome.eleve
    return _pdf(
        request,
        gabarit="seances/pdf/attestation_eleve.html",
        contexte=attestations.contenu_eleve(binome),
        titre=f"Attestation de participation au mentorat — {e.prenom} {e.nom}",
        fichier=f"attestation-mentorat-{e.prenom}-{e.nom}",
        etablissement_id=binome.dispositif.etablissement_id,
        objet=f"Attestation de participation de l’élève {e.prenom} {e.nom} (binôme n° {binome.pk})",
    )


def mentor(request, pk):
    mentor = get_object_or_404(
        attestations.mentors_attestables(request.user).select_related("entreprise", "etablissement"), pk=pk
    )
    annee = annee_scolaire_courante()
    return _pdf(
        request,
        gabarit="seances/pdf/attestation_mentor.html",
        contexte=attestations.contenu_mentor(mentor, annee),
        titre=f"Attestation d’heures de mentorat — {mentor.prenom} {mentor.nom}",
        fichier=f"attestation-heures-{mentor.prenom}-{mentor.nom}-{annee}",
        etablissement_id=mentor.etablissement_id,
        objet=f"Attestation d’heures du mentor {mentor} (n° {mentor.pk}), année {annee}-{annee + 1}",
    )


def referent(request, pk):
    dispositif = get_object_or_404(
        attestations.dispositifs_attestables(request.user).select_related("etablissement"), pk=pk
    )
    return _pdf(
        request,
        gabarit="seances/pdf/attestation_referent.html",
        contexte=attestations.contenu_referent(dispositif),
        titre=f"Bilan de l’année du référent mentorat {dispositif.annee_scolaire} — {dispositif.etablissement.nom}",
        fichier=f"bilan-referent-{dispositif.etablissement.uai}-{dispositif.annee}",
        etablissement_id=dispositif.etablissement_id,
        objet=f"Bilan de l’année du référent mentorat {dispositif.annee_scolaire}",
    )

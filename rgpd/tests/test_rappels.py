"""A mentor's reminders in their RGPD export, and their address gone once anonymised."""

from django.utils import timezone

from binomes.tests.factories import MentorFactory
from rgpd import export, retention
from seances.models import Rappel, ReponseRappel
from seances.tests.factories import RappelFactory


def test_les_rappels_du_mentor_a_l_export_puis_sans_adresse_une_fois_anonymise(cast):
    mentor = MentorFactory(etablissement=cast.lp_a, email="nadia@entreprise.fr")
    rappel = RappelFactory(
        seance__dispositif=cast.dispositif_a, mentor=mentor, reponse=ReponseRappel.CONFIRMEE, repondu_le=timezone.now()
    )
    (ligne,) = export.donnees_mentor(mentor)["rappels de séance"]
    assert ligne["destinataire"] == "nadia@entreprise.fr"
    assert ligne["réponse"] == "Présence confirmée"
    retention.anonymiser_mentor(mentor=mentor)
    assert Rappel.objects.get(pk=rappel.pk).destinataire == f"mentor-{mentor.pk}@anonyme.invalid"
    assert Rappel.objects.get(pk=rappel.pk).reponse == ReponseRappel.CONFIRMEE

"""Receivers of signals sent by lower apps; each hands over to a service at once."""

from django.dispatch import receiver

from etablissements.invitations import invitation_acceptee

from . import mentors


@receiver(invitation_acceptee, dispatch_uid="binomes.relier_compte_mentor")
def relier_compte_mentor(sender, invitation, user, **kwargs):
    mentors.relier_compte(invitation=invitation, user=user)

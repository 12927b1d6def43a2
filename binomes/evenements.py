"""Signals binomes sends to the apps above it (which it does not import)."""

from django.dispatch import Signal

# Sent with `etablissement_id` after pairs or students of that LP were written in bulk, without the
# models' own signals (`update`, `bulk_update`): the séances app's cached health listens.
ecrits_en_masse = Signal()

"""Custom actions for the intake assistant, one module per concern: the Rasa SDK
adapters over the application core (``intake_core``), which holds what the assistant
knows and decides without Rasa.

The Rasa SDK imports every module of this package and registers each
non-abstract ``Action`` subclass it finds.
"""

from intake_core.content import validate_all

# The action server imports this package at start-up: a malformed content file stops it
# then, with the file and key named, rather than at the first caller. (The console and
# Rasa's NLU components check the same files when they start.)
validate_all()

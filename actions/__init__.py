"""Custom actions for the intake assistant, one module per concern: the Rasa SDK
adapters over the application core (``intake_core``), which holds what the assistant
knows and decides without Rasa.

The Rasa SDK imports every module of this package and registers each
non-abstract ``Action`` subclass it finds.
"""

from intake_core.practice_areas import load_practice_areas

# The action server imports this package at start-up: a malformed
# content/practice_areas.yml stops it then, with the file and key named, rather than
# at the first caller. (The console and the Rasa server load it when they start too.)
load_practice_areas()

"""Custom actions for the intake assistant, one module per concern.

The Rasa SDK imports every module of this package and registers each
non-abstract ``Action`` subclass it finds.
"""

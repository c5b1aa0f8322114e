"""Figures and dates for first guidance: how much, on what basis, by when.

Pure Python, no Rasa imports: actions pass the results to domain responses as
variables, and tests check them without a tracker. Facts come from
../shared/legal-reference.md and the statute texts in ../shared/laws/.

Modules:

- ``parameters``: ``load_parameters()`` reads content/guidance/parameters.yml
  (one-year LPR, how many days count as urgent) once and validates it.
- ``calculators``: ``Estimate`` (amount or low/high range, legal basis, Chinese
  steps) for economic compensation and 2N, double wages without a written
  contract, overtime, court fees (property, divorce, labor, halved), deposits
  (定金) and the private-loan interest cap; ``service_length`` and
  ``service_months_for_compensation``.
- ``deadlines``: ``Deadline`` (due date, days left, urgent, basis, note) for
  labor arbitration, contract limitation, revocation, the divorce cooling-off
  period and re-suit bar, and work-injury applications.
"""

"""Figures and dates for first guidance: how much, on what basis, by when.

Pure Python, no Rasa imports: actions pass the results to domain responses as
variables, and tests check them without a tracker. Facts come from
../shared/legal-reference.md and the statute texts in content/laws/.

Modules:

- ``parameters``: reads content/guidance/parameters.yml once and validates it:
  ``load_parameters()`` (dated figures such as the one-year LPR table, with
  their sources and review periods, and how many days count as urgent;
  ``stale_figures`` / ``log_stale_figures`` for the staff warnings) and
  ``load_legal_figures()`` (the statutory figures: compensation months and
  caps, double wages, overtime rates, court-fee bands, the deposit cap, the
  loan cap multiple, the lengths of the deadlines).
- ``calculators``: ``Estimate`` (amount or low/high range, legal basis, Chinese
  steps) for economic compensation and 2N, double wages without a written
  contract, overtime, court fees (property, divorce, labor, halved), deposits
  (定金) and the private-loan interest cap; ``service_length`` and
  ``service_months_for_compensation``.
- ``deadlines``: ``Deadline`` (due date, days left, urgent, basis, note) for
  labor arbitration, contract limitation, revocation, the divorce cooling-off
  period and re-suit bar, and work-injury applications.

Both take their figures from ``parameters`` and every sentence, name and cited
article from content/guidance/formats.yml (``load_formats()`` in ``content``).
"""

"""Private loans (民间借贷): the figures a loan caller got in the contract questionnaire,
from the private-loan questionnaire's answers.

No calculation of its own: the protected interest (民间借贷规定第25条, 第31条) and the
limitation date (民法典第188条) are contract's (``facts.loan_interest_cap``,
``facts.contract_limitation``), given this area's answers (``CONTRACT_SLOTS``), so a loan
caller sees the same figures, dated LPR and wording whichever form asked. This module is
glue because the area computes; an area whose guidance is words only needs none
(``calculators: false``, docs/practice-areas.md).

- The limitation date counts from the agreed repayment date (private_loan_due_date), what a
  contract caller gives as the day they learned the loan was not repaid. Without an agreed
  date ("没约定") there is none: the lender may then ask at any time, and the guidance says
  so in words. A demand or the borrower's acknowledgement restarts the period (民法典第195条);
  we do not ask when, so the date shown is the earliest it can be, and its note says so.
- The court fee of a loan is counted on the claim, which the area does not ask for (the
  principal plus the interest claimed): none is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from intake_core.guidance import facts
from intake_core.guidance.deadlines import Deadline

# The private-loan answer that stands for each contract loan answer.
CONTRACT_SLOTS = {
    "contract_loan_principal": "private_loan_principal",
    "contract_loan_rate": "private_loan_rate",
    "contract_loan_date": "private_loan_date",
    "contract_learned_date": "private_loan_due_date",
}


def estimates(slots: Mapping[str, Any], today: date) -> list[facts.NamedEstimate]:
    """The protected yearly interest, as the contract form gives it for a loan."""
    interest = facts.loan_interest_cap(
        slots.get(CONTRACT_SLOTS["contract_loan_principal"]),
        slots.get(CONTRACT_SLOTS["contract_loan_rate"]),
        slots.get(CONTRACT_SLOTS["contract_loan_date"]),
    )
    return [interest] if interest else []


def deadlines(slots: Mapping[str, Any], today: date) -> list[Deadline]:
    """The limitation date from the agreed repayment date, as the contract form gives it."""
    limitation = facts.contract_limitation(slots.get(CONTRACT_SLOTS["contract_learned_date"]), today)
    return [limitation] if limitation else []

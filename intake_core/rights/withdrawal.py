"""Withdrawing a separate consent already given (PIPL art. 15; issue 16).

Withdrawal leaves alone what was done before it, but from then on the sensitive
information it covered is not processed: the kind's stored intake answers are deleted
(art. 47(1)(4)), its slots cleared and its consent recorded as refused, so no
questionnaire of the conversation asks that kind again (the validator skips a kind whose
consent is False). Everything else of the conversation is kept; "删除我的信息" is the
request that deletes everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake_core.persistence.database import affected_rows
from intake_core.persistence.models import Intake, IntakeAnswer
from intake_core.questionnaires.definitions import load_questionnaires


def slots_of(kinds: Iterable[str]) -> list[str]:
    """The questionnaire slots that ask for ``kinds`` of sensitive information, in any questionnaire."""
    wanted = set(kinds)
    return [
        question.slot
        for questionnaire in load_questionnaires().values()
        for question in questionnaire.questions
        if question.sensitive in wanted
    ]


def delete_answers(session: Session, conversation_id: str, slots: list[str]) -> int:
    """Deletes this conversation's stored answers to ``slots`` (every version of each); how many."""
    intake_ids = list(session.scalars(select(Intake.id).where(Intake.conversation_id == conversation_id)))
    if not (slots and intake_ids):
        return 0
    return affected_rows(
        session.execute(
            delete(IntakeAnswer).where(IntakeAnswer.intake_id.in_(intake_ids), IntakeAnswer.slot.in_(slots))
        )
    )

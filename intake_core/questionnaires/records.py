"""Storing intakes and answers (raw words, normalised value, time)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_core.persistence.database import session_scope
from intake_core.persistence.models import Intake, IntakeAnswer, utc_now
from intake_core.questionnaires.definitions import Questionnaire

logger = logging.getLogger(__name__)

OPEN = "in_progress"


def _open_intake(session: Session, conversation_id: str, questionnaire: Questionnaire) -> Intake:
    intake: Intake | None = session.scalars(
        select(Intake)
        .where(Intake.conversation_id == conversation_id, Intake.form == questionnaire.form, Intake.status == OPEN)
        .order_by(Intake.id.desc())
    ).first()
    if intake is None:
        intake = Intake(conversation_id=conversation_id, form=questionnaire.form, case_type=questionnaire.case_type)
        session.add(intake)
        session.flush()
    return intake


def save_answers(conversation_id: str, questionnaire: Questionnaire, answers: dict[str, tuple[str, Any]]) -> None:
    with session_scope() as session:
        intake = _open_intake(session, conversation_id, questionnaire)
        for slot, (raw_text, value) in answers.items():
            session.add(
                IntakeAnswer(
                    intake_id=intake.id, slot=slot, raw_text=raw_text, value=json.dumps(value, ensure_ascii=False)
                )
            )
        intake.updated_at = utc_now()


def set_status(conversation_id: str, questionnaire: Questionnaire, status: str) -> int | None:
    with session_scope() as session:
        intake = _open_intake(session, conversation_id, questionnaire)
        intake.status = status
        intake.updated_at = utc_now()
        return intake.id


async def record_answers(
    conversation_id: str, questionnaire: Questionnaire, answers: dict[str, tuple[str, Any]]
) -> None:
    """Saved off the event loop; a database failure is logged, the form goes on."""
    try:
        await asyncio.to_thread(save_answers, conversation_id, questionnaire, answers)
    except Exception as error:
        logger.error("Could not record intake answers (%s): %s.", questionnaire.form, type(error).__name__)


async def record_status(conversation_id: str, questionnaire: Questionnaire, status: str) -> int | None:
    try:
        return await asyncio.to_thread(set_status, conversation_id, questionnaire, status)
    except Exception as error:
        logger.error("Could not record intake status (%s): %s.", questionnaire.form, type(error).__name__)
        return None

"""Tables of the application database. Schema changes go through Alembic
(``migrations/``), never ``create_all`` in production."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class HandoffTicket(Base):
    """A conversation handed to a human lawyer (boundary request, complaint, crisis).

    ``trigger_text`` holds the caller's message that caused the handoff: it is
    confidential case material, stored here for the lawyer and never logged.
    """

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=True)
    case_type = Column(String(16), nullable=True)
    # representation | documents | act_on_behalf | outcome_guarantee | retainer |
    # human | complaint | crisis | boundary
    reason = Column(String(32), nullable=False)
    # normal | urgent
    urgency = Column(String(16), nullable=False, default="normal")
    status = Column(String(16), nullable=False, default="open")
    trigger_text = Column(Text, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    @property
    def ticket_no(self) -> str:
        """What the caller and staff quote: date of creation and a sequence number."""
        return f"{self.created_at:%Y%m%d}-{self.id:05d}"


class Intake(Base):
    """One questionnaire of one conversation: in progress, completed or abandoned.

    Partial intakes are kept: a lawyer may need what the caller did answer.
    """

    __tablename__ = "intakes"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    form = Column(String(32), nullable=False)
    case_type = Column(String(16), nullable=False)
    # in_progress | completed | abandoned
    status = Column(String(16), nullable=False, default="in_progress")
    started_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)

    answers = relationship("IntakeAnswer", back_populates="intake", order_by="IntakeAnswer.id")


class IntakeAnswer(Base):
    """An answer as the caller wrote it and as understood (JSON), latest per slot wins."""

    __tablename__ = "intake_answers"

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, index=True)
    slot = Column(String(64), nullable=False)
    raw_text = Column(Text, nullable=True)
    value = Column(Text, nullable=True)  # JSON; amounts as decimal strings, never floats
    answered_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    intake = relationship("Intake", back_populates="answers")


class ConsultationRecord(Base):
    """The written record (咨询备忘录) of the guidance given after an intake.

    ``content`` is the JSON of what the caller was shown, section by section;
    ``access_token`` is the unguessable part of the download link.
    """

    __tablename__ = "consultation_records"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    case_type = Column(String(16), nullable=False)
    urgent = Column(Boolean, nullable=False, default=False)
    content = Column(Text, nullable=False)
    access_token = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

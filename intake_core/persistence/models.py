"""Tables of the application database. Schema changes go through Alembic
(``migrations/``), never ``create_all`` in production.

Every column holding what a caller said or was told about their case is ``EncryptedText``
(issue 16, M8; intake_core/persistence/encryption.py). Ids, conversation ids, statuses, enums,
times and the firm's own data stay clear: queries, indexes and the console's lists use them.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declarative_base, relationship

from intake_core.persistence.encryption import EncryptedText

# Types for mypy (SQLAlchemy 1.4 plugin): it reads every Column as Optional, so the NOT NULL ones
# and the relationships say their type as Mapped[...]; nullable columns are left to the plugin.
Base = declarative_base()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class HandoffTicket(Base):
    """A conversation handed to a human lawyer (boundary request, complaint, crisis).

    Everything here is confidential case material for the lawyer (the caller's
    words, answers, transcript); none of it is ever logged.
    """

    __tablename__ = "handoff_tickets"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=True)
    case_type = Column(String(16), nullable=True)
    # representation | documents | act_on_behalf | in_person | outcome_guarantee |
    # retainer | human | complaint | crisis | boundary
    reason: Mapped[str] = Column(String(32), nullable=False)
    # urgent (crisis) | high (deadline within 30 days, large amount) | normal
    urgency: Mapped[str] = Column(String(16), nullable=False, default="normal")
    # open -> claimed -> handed_back | closed
    status: Mapped[str] = Column(String(16), nullable=False, default="open")
    trigger_text = Column(EncryptedText, nullable=True)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    # What the lawyer needs without asking the caller again.
    summary = Column(EncryptedText, nullable=True)
    intake_answers = Column(EncryptedText, nullable=True)  # JSON [{label, answer}]
    guidance = Column(EncryptedText, nullable=True)  # JSON of the consultation record, if any
    transcript = Column(EncryptedText, nullable=True)  # JSON [{author, text, at}] up to the handoff
    other_party = Column(EncryptedText, nullable=True)
    amount_at_stake = Column(EncryptedText, nullable=True)  # decimal string
    nearest_deadline = Column(Date, nullable=True)
    # none | possible | match ; details for the lawyer only, never for the caller
    conflict_status: Mapped[str] = Column(String(16), nullable=False, default="none")
    conflict_detail = Column(EncryptedText, nullable=True)  # JSON [{party, role, matter, score}]

    # The promise made to the caller, and how it is kept.
    respond_by = Column(DateTime(timezone=True), nullable=True)
    reminders_sent: Mapped[int] = Column(Integer, nullable=False, default=0)
    claimed_by = Column(Integer, ForeignKey("staff_users.id"), nullable=True)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    # retained | referred | advised | no_action
    outcome = Column(String(16), nullable=True)

    messages: Mapped[list[TicketMessage]] = relationship(
        "TicketMessage", back_populates="ticket", order_by="TicketMessage.id"
    )
    lawyer: Mapped[StaffUser | None] = relationship("StaffUser")

    @property
    def ticket_no(self) -> str:
        """What the caller and staff quote: date of creation and a sequence number."""
        return f"{self.created_at:%Y%m%d}-{self.id:05d}"


class TicketMessage(Base):
    """What happened on a ticket after the handoff: the caller's messages while a
    person handles the conversation, the lawyer's replies, attachments, delivery
    failures, claims and hand-backs."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = Column(Integer, primary_key=True)
    ticket_id: Mapped[int] = Column(
        Integer, ForeignKey("handoff_tickets.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # caller | lawyer | assistant | system
    author: Mapped[str] = Column(String(16), nullable=False)
    author_name = Column(String(64), nullable=True)
    # text | attachment | delivery_failure | event
    kind: Mapped[str] = Column(String(24), nullable=False, default="text")
    text = Column(EncryptedText, nullable=True)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    ticket: Mapped[HandoffTicket] = relationship("HandoffTicket", back_populates="messages")


class StaffUser(Base):
    """A lawyer or staff member of the console. Created with `python -m console create-user`."""

    __tablename__ = "staff_users"

    id: Mapped[int] = Column(Integer, primary_key=True)
    username: Mapped[str] = Column(String(64), nullable=False, unique=True)
    display_name: Mapped[str] = Column(String(64), nullable=False)
    password_hash: Mapped[str] = Column(String(255), nullable=False)  # Argon2id
    active: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    # Part of the id in the session cookie: bumping it (logout, new password) revokes every
    # cookie issued before, which a client-side signed session cannot do on its own.
    session_version: Mapped[int] = Column(Integer, nullable=False, default=0, server_default="0")
    role: Mapped[str] = Column(String(16), nullable=False, default="lawyer", server_default="lawyer")  # lawyer | admin
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class FirmParty(Base):
    """A client or adverse party of the firm's matters, for the conflict-of-interest check."""

    __tablename__ = "firm_parties"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(255), nullable=False)
    normalized_name: Mapped[str] = Column(String(255), nullable=False, index=True)
    role: Mapped[str] = Column(String(16), nullable=False)  # client | adverse
    matter = Column(String(255), nullable=True)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class StaffNotification(Base):
    """Outbox of staff notifications (webhook): kept until delivered, retried with backoff."""

    __tablename__ = "staff_notifications"

    id: Mapped[int] = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("handoff_tickets.id", ondelete="CASCADE"), nullable=True, index=True)
    kind: Mapped[str] = Column(String(16), nullable=False)  # new | urgent | reminder
    payload: Mapped[str] = Column(Text, nullable=False)  # JSON body for the webhook
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    locked_until = Column(DateTime(timezone=True), nullable=True)
    delivered_at = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(String(255), nullable=True)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class Intake(Base):
    """One questionnaire of one conversation: in progress, completed or abandoned.

    Partial intakes are kept: a lawyer may need what the caller did answer.
    """

    __tablename__ = "intakes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    form: Mapped[str] = Column(String(32), nullable=False)
    case_type: Mapped[str] = Column(String(16), nullable=False)
    # in_progress | completed | abandoned
    status: Mapped[str] = Column(String(16), nullable=False, default="in_progress")
    started_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    updated_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)

    answers: Mapped[list[IntakeAnswer]] = relationship(
        "IntakeAnswer", back_populates="intake", order_by="IntakeAnswer.id"
    )


class IntakeAnswer(Base):
    """An answer as the caller wrote it and as understood (JSON), latest per slot wins."""

    __tablename__ = "intake_answers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    intake_id: Mapped[int] = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, index=True)
    slot: Mapped[str] = Column(String(64), nullable=False)
    raw_text = Column(EncryptedText, nullable=True)
    value = Column(EncryptedText, nullable=True)  # JSON; amounts as decimal strings, never floats
    answered_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    intake: Mapped[Intake] = relationship("Intake", back_populates="answers")


class ConsultationRecord(Base):
    """The written record (咨询备忘录) of the guidance given after an intake.

    ``content`` is the JSON of what the caller was shown, section by section;
    ``access_token`` is the unguessable part of the download link; ``channel`` the
    input channel of the conversation it was made in (None: made before it was kept).
    """

    __tablename__ = "consultation_records"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=True)
    case_type: Mapped[str] = Column(String(16), nullable=False)
    urgent: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    content: Mapped[str] = Column(EncryptedText, nullable=False)
    access_token: Mapped[str] = Column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class AccessAudit(Base):
    """Who in the console saw or did what to a ticket, and when (PIPL arts 51, 54).

    Append-only: triggers (migrations 0008, 0009) refuse UPDATE, and DELETE of a row
    younger than three years (PIPL art. 56), and the console has no route that changes
    it. It holds ids and the kind of access, never a caller's words; the retention purge
    deletes rows over three years old (a deleted ticket's id stays here until then, its
    contents do not).
    """

    __tablename__ = "access_audit"

    id: Mapped[int] = Column(Integer, primary_key=True)
    at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    staff_user_id = Column(Integer, nullable=True)  # no foreign key: the record outlives the account
    username: Mapped[str] = Column(String(64), nullable=False)
    # view_ticket | claim | reply | hand_back | close | export | erase | view_audit
    action: Mapped[str] = Column(String(32), nullable=False)
    ticket_id = Column(Integer, nullable=True, index=True)  # no foreign key: the purge deletes tickets

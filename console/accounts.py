"""Staff accounts: Argon2id password hashes (argon2-cffi), created from the CLI."""
from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import select, update

from intake_core.persistence.database import session_scope
from intake_core.persistence.models import StaffUser

_hasher = PasswordHasher()
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MIN_PASSWORD_LENGTH = 12
ROLES = ("lawyer", "admin")  # an admin may also close or hand back another lawyer's ticket
# Runs along a keyboard row or the digits, forwards or backwards: the first guesses of any list.
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    pass


class ConsoleUser(UserMixin):
    """The logged-in staff member, as Flask-Login keeps it in the session."""

    def __init__(self, user: StaffUser):
        # "<id>:<session version>": load_user accepts the cookie only while the version is current.
        self.id = f"{user.id}:{user.session_version}"
        self.record = user
        self.display_name = user.display_name


def check_password(password: str) -> None:
    """Refuse a new or changed password that is short or trivially guessed, saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    if len(set(password)) == 1:
        raise AccountError("password: not one character repeated")
    lowered = password.lower()
    for run in _SEQUENCES:
        if _made_of_steps(lowered, run) or _made_of_steps(lowered, run[::-1]):
            raise AccountError("password: not a sequence such as 1234567890 or qwertyuiop")


def _made_of_steps(password: str, run: str) -> bool:
    # Every character the one after the previous in `run`, wrapping round: 123456789012, abcdefghijkl.
    if any(ch not in run for ch in password):
        return False
    return all(run.index(b) == (run.index(a) + 1) % len(run) for a, b in zip(password, password[1:], strict=False))


def create_user(username: str, display_name: str, password: str, role: str = "lawyer") -> StaffUser:
    if role not in ROLES:
        raise AccountError(f"role: one of {', '.join(ROLES)}")
    if not USERNAME.match(username):
        raise AccountError("username: 2-64 letters, digits, . _ -")
    check_password(password)
    with session_scope() as session:
        if session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none():
            raise AccountError(f"user {username} exists; use set-password to change the password")
        user = StaffUser(username=username, display_name=display_name or username,
                         password_hash=_hasher.hash(password), active=True, role=role)
        session.add(user)
        session.flush()
        return user


def set_password(username: str, password: str) -> None:
    check_password(password)
    with session_scope() as session:
        user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        if user is None:
            raise AccountError(f"no user {username}")
        user.password_hash = _hasher.hash(password)
        user.session_version += 1  # a stolen cookie dies with the old password


def end_sessions(user_id: int) -> None:
    """Revoke every session of this user (called at logout)."""
    with session_scope() as session:
        session.execute(update(StaffUser).where(StaffUser.id == user_id)
                        .values(session_version=StaffUser.session_version + 1))


def authenticate(username: str, password: str) -> StaffUser | None:
    with session_scope() as session:
        user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None or not user.active:
            return None
        if _hasher.check_needs_rehash(stored):
            user.password_hash = _hasher.hash(password)
        return user


def load_user(session_id: str) -> ConsoleUser | None:
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # also a cookie from before versions existed: log in again
    with session_scope() as session:
        user = session.get(StaffUser, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return ConsoleUser(user)

"""Whose conversation is it: each caller channel's own namespace of conversation ids.

A Rasa conversation (sender) id is the only thing that ties a message, a ticket, a
record link and a lawyer's reply to a caller. Ids that come from a platform carry
the channel they live on, so that no other channel can name them:

    WeChat Official Account   wechat:<openid>
    WeCom self-built app      wecom:<corp_id>:<userid>
    website widget (socket.io) web:<session id>

REST keeps the ``sender`` as given (a stable interface: staff scripts and outside
checks read the tracker by that id), so REST must refuse senders in a reserved
namespace (``rest_sender_refusal``), or a REST caller could post into a WeChat
caller's conversation. Everything else (tickets, records, the console) asks
``channel_of`` which channel a conversation lives on: the id says it, the client
cannot.

Pure functions, no Rasa imports: the actions, the channels and the console use it.
"""

from __future__ import annotations

from typing import Any

WECHAT = "wechat"
WECOM = "wecom"
WEB = "web"
REST = "rest"
SOCKETIO = "socketio"  # the widget channel's Rasa name (channels.socketio)

# Namespace -> the Rasa input channel whose conversations it holds.
CHANNEL_BY_NAMESPACE = {WECHAT: WECHAT, WECOM: WECOM, WEB: SOCKETIO}
RESERVED_PREFIXES = tuple(f"{namespace}:" for namespace in CHANNEL_BY_NAMESPACE)


def wechat_id(openid: str) -> str:
    return f"{WECHAT}:{openid}"


def wecom_id(corp_id: str, userid: str) -> str:
    return f"{WECOM}:{corp_id}:{userid}"


def web_id(session_id: str) -> str:
    return f"{WEB}:{session_id}"


def _split(conversation_id: Any, namespace: str) -> str | None:
    if not isinstance(conversation_id, str):
        return None
    prefix = f"{namespace}:"
    rest = conversation_id[len(prefix) :] if conversation_id.startswith(prefix) else ""
    return rest or None


def wechat_openid(conversation_id: Any) -> str | None:
    """The OpenID of a WeChat conversation; None for any other conversation."""
    return _split(conversation_id, WECHAT)


def wecom_userid(conversation_id: Any, corp_id: str) -> str | None:
    """The UserID of a conversation of company ``corp_id``'s app; None otherwise
    (another company's conversation is not this app's to write to)."""
    rest = _split(conversation_id, WECOM)
    if rest is None or ":" not in rest:
        return None
    corp, userid = rest.split(":", 1)
    return userid if corp == corp_id and userid else None


def web_session(conversation_id: Any) -> str | None:
    """The widget session id (its socket.io room) of a widget conversation; None otherwise."""
    return _split(conversation_id, WEB)


def channel_of(conversation_id: Any) -> str:
    """The input channel a conversation lives on, from its id alone.

    An id outside every reserved namespace is a REST conversation: the only
    channel that takes ids from its client."""
    if isinstance(conversation_id, str) and ":" in conversation_id:
        namespace = conversation_id.split(":", 1)[0]
        if namespace in CHANNEL_BY_NAMESPACE and conversation_id[len(namespace) + 1 :]:
            return CHANNEL_BY_NAMESPACE[namespace]
    return REST


def conversation_channel(conversation_id: Any, latest_input_channel: str | None) -> str:
    """The channel a conversation lives on, for tickets and records.

    A platform's id says its channel, whatever a message claimed. Any other id is
    the input channel it came through (REST, or the Rasa shell's ``cmdline``),
    except a platform's channel name: a conversation outside the platform's
    namespace claiming it is a REST client lying (Rasa's RestInput takes
    ``input_channel`` from the request body; issue 15, L4)."""
    channel = channel_of(conversation_id)
    if channel != REST:
        return channel
    if not latest_input_channel or latest_input_channel in CHANNEL_BY_NAMESPACE.values():
        return REST
    return latest_input_channel


def is_reserved(sender: Any) -> bool:
    """True when a client-chosen ``sender`` would fall in a platform's namespace.

    Case and leading blanks are ignored so that "WeChat:o..." or " wechat:o..."
    are refused too: they would not collide today, but nothing legitimate uses them
    and a later normalisation must not turn them into a collision."""
    if not isinstance(sender, str):
        return False
    return sender.lstrip().lower().startswith(RESERVED_PREFIXES)


def rest_sender_refusal(sender: Any) -> dict[str, str] | None:
    """The 400 JSON body for a REST ``sender`` in a reserved namespace, or None.

    For channels/rest.py (the REST input channel): ``if (error := rest_sender_refusal(
    sender)): return response.json(error, status=400)`` before any turn."""
    if not is_reserved(sender):
        return None
    return {
        "error": "reserved_sender",
        "message": "sender ids starting with "
        + ", ".join(f"'{p}'" for p in RESERVED_PREFIXES)
        + " belong to other channels; choose another sender",
    }

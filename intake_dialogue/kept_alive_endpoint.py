"""The action server's calls through one kept-alive HTTP session, not a new one per call (issue 18).

Rasa 3.6's ``EndpointConfig.request`` opens a new aiohttp ``ClientSession`` for every call, so
every action call (two or three per caller turn) builds a session and a cookie jar and opens
and closes a TCP connection. ``KeptAliveEndpoint`` is the same endpoint with its calls through
one session, whose connections stay open between calls. The call itself is Rasa's, line for
line: the same headers (``Content-Type``, the endpoint's own, e.g. the action server's secret),
basic auth, token parameter, CA file, timeout and compression; ``ClientResponseError`` for an
answer of 400 or more, None for an answer that is not JSON. Two differences, both on purpose:

- no cookies are kept from one call to the next (a new session had none either);
- a connection idle for ``KEEPALIVE_S`` is closed by Rasa, before the action server (Sanic
  closes an idle connection after 5 s) could close it under a call being sent.

A session belongs to the event loop it was made in, and `rasa test` runs more than one loop in
a process: the session is made in the running loop, and again when the loop is another one or
the session was closed. ``close_all()`` closes every endpoint's session when Rasa stops
(scripts/serve_rasa.py).
"""
from __future__ import annotations

import asyncio
import logging
import os
import ssl
import weakref
from collections.abc import Mapping
from typing import Any, Optional, TypeVar

import aiohttp
from aiohttp.client_exceptions import ContentTypeError
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.exceptions import FileNotFoundException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

logger = logging.getLogger(__name__)

# Under the action server's keep-alive (Sanic's KEEP_ALIVE_TIMEOUT, 5 s), with a margin: an idle
# connection is closed by Rasa before the server would close it under a call being sent.
KEEPALIVE_S = 3.0

_Endpoint = TypeVar("_Endpoint", bound="KeptAliveEndpoint")
# Every endpoint's session, for close_all (an EndpointConfig compares by value and has no hash).
_SESSIONS: weakref.WeakSet[aiohttp.ClientSession] = weakref.WeakSet()


class KeptAliveEndpoint(EndpointConfig):
    """An ``EndpointConfig`` whose ``request`` reuses one session (module documentation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._session: Optional[aiohttp.ClientSession] = None
        self._session_loop: Optional[asyncio.AbstractEventLoop] = None
        self._ssl: Optional[ssl.SSLContext] = None

    @classmethod
    def like(cls: type[_Endpoint], endpoint: EndpointConfig) -> _Endpoint:
        """This kind of endpoint with everything ``endpoint`` has (``EndpointConfig.copy`` leaves
        out the CA file and the type)."""
        new = cls(
            endpoint.url,
            endpoint.params,
            endpoint.headers,
            endpoint.basic_auth,
            endpoint.token,
            endpoint.token_name,
            endpoint.cafile,
            **endpoint.kwargs,
        )
        new.type = endpoint.type
        return new

    async def request(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        """``EndpointConfig.request`` (the arguments are ``send``'s): the answer's JSON, None if
        it is not JSON."""
        answer, _headers = await self.send(*args, **kwargs)
        return answer

    async def send(
        self,
        method: str = "post",
        subpath: Optional[str] = None,
        content_type: Optional[str] = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> tuple[Optional[Any], Mapping[str, str]]:
        """``request``, with the answer's headers as well."""
        # From here to the answer: rasa/utils/endpoints.py, EndpointConfig.request.
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if "headers" in kwargs:
            headers.update(kwargs["headers"])
            del kwargs["headers"]
        if self.headers:
            headers.update(self.headers)
        url = concat_url(self.url, subpath)
        session = await self.client_session()
        async with session.request(
            method,
            url,
            headers=headers,
            params=self.combine_parameters(kwargs),
            compress=compress,
            ssl=self._ssl_context(),
            **kwargs,
        ) as response:
            if response.status >= 400:
                raise ClientResponseError(response.status, response.reason, await response.content.read())
            try:
                return await response.json(), response.headers
            except ContentTypeError:
                return None, response.headers

    def _ssl_context(self) -> Optional[ssl.SSLContext]:
        # Rasa reads the CA file for every call; once is enough (a missing file still raises
        # Rasa's error, at every call until it is there).
        if self.cafile and self._ssl is None:
            try:
                self._ssl = ssl.create_default_context(cafile=self.cafile)
            except FileNotFoundError as error:
                raise FileNotFoundException(
                    f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
                ) from error
        return self._ssl

    async def client_session(self) -> aiohttp.ClientSession:
        """The session for calls from the running event loop."""
        loop = asyncio.get_running_loop()
        if self._session is not None and not self._session.closed and self._session_loop is loop:
            return self._session
        stale, self._session = self._session, None
        if stale is not None and not stale.closed:
            # Made in another loop, which `rasa test` has finished with. aiohttp 3.9 closes a
            # session whose loop is closed without that loop (its connections are dropped).
            try:
                await stale.close()
            except Exception as error:  # nothing more can be done for a dead loop's session
                logger.debug("An earlier loop's session was not closed: %s.", type(error).__name__)
        if self._session is None:  # else another call made one while this one closed the old
            self._session = aiohttp.ClientSession(
                # As EndpointConfig.session
                headers=self.headers,
                auth=aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                if self.basic_auth
                else None,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                # No limit on connections, as with one session per call; none kept idle for long.
                connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_S),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            self._session_loop = loop
            _SESSIONS.add(self._session)
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


async def close_all() -> None:
    """Closes every endpoint's session (when Rasa stops); a later call opens a new one."""
    for session in list(_SESSIONS):
        if not session.closed:
            await session.close()

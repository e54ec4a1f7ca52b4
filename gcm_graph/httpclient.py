"""A small HTTP client for writing to remote SPARQL stores: Digest or Basic auth, errors sorted for retrying.

Standard-library only. Why not urllib's own auth handlers: they send a large body once without credentials to
learn the challenge (Virtuoso then resets the connection mid-upload instead of answering 401), and they retry a
wrong password several times, re-sending the body each time. Here the challenge is learnt once and reused
(Digest with an incrementing nonce count), and a refused password is reported at once.

Every failure ends as either :class:`TransientError` (worth retrying: connection refused or reset, timeout,
5xx that is not a definite refusal) or :class:`~gcm_graph.errors.PublishError` (one readable line: credentials
refused, data rejected with the store's own message, unknown host…).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from typing import Any

from .errors import PublishError

# SQLSTATEs in Virtuoso's error texts that mean "try again": deadlock, lost connection, timeouts.
_TRANSIENT_TRANSIENT_HTTP = {408, 429, 500, 502, 503, 504}  # 501 Not Implemented, 505… will not change by retrying
_SQLSTATE = re.compile(r"^(40001|08...|S1T00|HYT00)$")
_TRANSIENT_HTTP = {408, 429, 500, 502, 503, 504}  # 501 Not Implemented, 505… will not change by retrying
_SQLSTATE = re.compile(r"(?:Virtuoso\s+|Error\s+)([0-9A-Z]{5})\b")
_HINTS = {
    "log after image": "the swap is larger than Virtuoso's transaction limit: raise TransactionAfterImageLimit "
                       "in the [Parameters] section of virtuoso.ini",
}


class TransientError(Exception):
    """A failure that may go away if the same work is tried again."""


class HttpClient:
    """Sends requests with the credentials the server asks for; see the module docstring."""

    def __init__(self, user: str | None = None, password: str | None = None, timeout: float = 60):
        self.user, self.password, self.timeout = user, password, timeout
        self._scheme: str | None = None  # "digest" or "basic", once the server has said which
        self._challenge: dict[str, str] = {}
        self._nc = 0

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                what: str = "request", ok: tuple[int, ...] = ()) -> tuple[int, Any, bytes]:
        """Send one request; return (status, headers, body) of a 2xx answer (or one in ``ok``), else raise."""
        fresh_challenge = False
        for _ in range(3):
            sent = dict(headers or {})
            authorization = self._authorization(method, url)
            if authorization:
                sent["Authorization"] = authorization
            req = urllib.request.Request(url, data=body, method=method, headers=sent)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return resp.status, resp.headers, resp.read()
            except urllib.error.HTTPError as exc:
                if exc.code in ok:
                    return exc.code, exc.headers, exc.read()
                text = _read_error(exc)
                if exc.code == 401:
                    if self.user is None:
                        raise PublishError(f"{url} requires credentials (HTTP 401) for the {what}; "
                                           "give a user and password") from None
                    challenges = exc.headers.get_all("WWW-Authenticate") or []
                    stale = any("stale=true" in c.replace('"', "").lower() for c in challenges)
                    if (not authorization or not fresh_challenge or stale) and self._learn(challenges):
                        fresh_challenge = True
                        continue
                    if not authorization:
                        raise PublishError(f"{url} asks for an authentication we do not speak (only Digest and "
                                           f"Basic): {'; '.join(challenges) or 'no WWW-Authenticate'}") from None
                    raise PublishError(f"the store refused the credentials of user {self.user!r} "
                                       f"(HTTP 401) at {url}") from None
                raise _http_failure(exc.code, text, url, what, self.user) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, HTTPException, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, socket.gaierror):
                    raise PublishError(f"cannot resolve the host of {url}: {reason}") from None
                if isinstance(reason, ConnectionRefusedError):
                    raise TransientError(f"the store at {url} is unreachable (connection refused)") from None
                raise TransientError(f"{what} to {url} failed: {reason or type(reason).__name__}") from None
        raise PublishError(f"the store at {url} keeps asking for credentials (HTTP 401)")

    def _learn(self, challenges: list[str]) -> bool:
        for challenge in challenges:
            scheme, _, params = challenge.strip().partition(" ")
            if scheme.lower() == "digest":
                self._scheme = "digest"
                self._challenge = {k.lower(): v1 or v2 for k, v1, v2 in
                                   re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))', params)}
                self._nc = 0
                return True
        if any(c.strip().lower().startswith("basic") for c in challenges):
            self._scheme = "basic"
            return True
        return False

    def _authorization(self, method: str, url: str) -> str | None:
        if self.user is None or self._scheme is None:
            return None
        if self._scheme == "basic":
            import base64

            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return f"Basic {token}"
        return self._digest(method, url)

    def _digest(self, method: str, url: str) -> str:
        """RFC 7616 Digest (MD5 or SHA-256, qop=auth or none) for ``method url`` with the learnt challenge."""
        ch = self._challenge
        algorithm = ch.get("algorithm", "MD5")
        hash_name = {"MD5": "md5", "SHA-256": "sha256"}.get(algorithm.upper().removesuffix("-SESS"), "md5")

        def h(text: str) -> str:
            return hashlib.new(hash_name, text.encode()).hexdigest()

        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        realm, nonce = ch.get("realm", ""), ch.get("nonce", "")
        self._nc += 1
        nc, cnonce = f"{self._nc:08x}", os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in ch.get("qop", "").split(",") if q.strip()]
        fields = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri, "algorithm": algorithm}
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            fields.update(qop="auth", nc=nc, cnonce=cnonce)
        else:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
        if "opaque" in ch:
            fields["opaque"] = ch["opaque"]
        unquoted = {"qop", "nc", "algorithm"}
        return "Digest " + ", ".join(f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items())


def _read_error(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read()
    except (OSError, HTTPException):
        raw = b""
    return error_text(raw)


def error_text(raw: bytes, limit: int = 400) -> str:
    """The store's error message on one line: HTML stripped, Virtuoso's echo of the query cut off."""
    text = raw.decode("utf-8", "replace")
    pre = re.search(r"<xmp>(.*?)</xmp>", text, re.S | re.I)  # Virtuoso's Graph Store errors
    if pre:
        text = pre.group(1)
    text = text.split("\n\nSPARQL query:")[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _http_failure(code: int, text: str, url: str, what: str, user: str | None) -> Exception:
    """PublishError or TransientError for a non-2xx, non-401 answer."""
    detail = f": {text}" if text else ""
    state = _SQLSTATE.search(text)
    permission = code == 403 or "SECURITY" in text or "Permission denied" in text or "No permission" in text
    if permission:
        who = f"user {user!r}" if user else "an anonymous client"
        return PublishError(f"the store does not allow {who} to do this {what} (HTTP {code}) at {url}{detail}")
    for marker, hint in _HINTS.items():
        if marker in text:
            return PublishError(f"the store rejected the {what} (HTTP {code}){detail} — {hint}")
    if code in _TRANSIENT_HTTP and (state is None or _TRANSIENT_SQLSTATE.match(state.group(1))):
        return TransientError(f"the store answered HTTP {code} to the {what}{detail}")
    if code >= 500:
        return PublishError(f"the store failed the {what} (HTTP {code}) at {url}{detail}")
    return PublishError(f"the store rejected the {what} (HTTP {code}) at {url}{detail}")

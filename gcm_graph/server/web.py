"""Small HTTP helpers shared by the route modules: strict parameter parsing, bounded body reading, plain-text
errors. Every problem with a request becomes an :class:`HttpError` (a clean 4xx with a one-line message),
never an exception that reaches the client as a 500."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

MAX_PARAMETERS = 200


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


async def http_error_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    return error_response(exc.status, exc.message, exc.headers)


def parse_params(raw: bytes | str, source: str = "query string") -> dict[str, list[str]]:
    """``a=1&b=2&a=3`` → ``{"a": ["1", "3"], "b": ["2"]}``; invalid UTF-8 or too many fields → 400."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_PARAMETERS)
    except UnicodeDecodeError:
        raise HttpError(400, f"the {source} is not valid UTF-8 (percent-encode UTF-8 bytes)") from None
    except ValueError as exc:
        raise HttpError(400, f"bad {source}: {exc}") from None
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def content_type(request: Request) -> str:
    """The media type of the request body, lower-case, without parameters ('' when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing (413) as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise HttpError(400, "bad Content-Length")
        if int(declared) > limit:
            raise HttpError(413, f"request body too large: {int(declared)} bytes, the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HttpError(413, f"request body too large: over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HttpError(400, f"the {what} is not valid UTF-8 (byte {exc.start})") from None

"""Hostile and malformed requests, sent byte for byte over a raw socket (no client normalises them first):
path traversal under /dumps/, oversized headers, bad encodings, wrong methods, garbage. Every answer must be a
clean 4xx with a plain message, never a 5xx, never a traceback, never a byte of a file outside the dumps folder."""

from __future__ import annotations

import os
import socket

import pytest

from gcm_graph.server import ServerConfig

from .test_server_support import build_store, running_server

SECRET = b"TOP-SECRET-5f2c9e"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    (root / "secret.txt").write_bytes(SECRET)
    dist = root / "dist"
    (dist / "sub").mkdir(parents=True)
    (dist / "gcm-graph.ttl").write_text("<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    (dist / "sub" / "part.nt").write_text("<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    (dist / ".hidden").write_bytes(SECRET)
    os.symlink(root / "secret.txt", dist / "escape.ttl")
    os.symlink(root, dist / "up")
    config = ServerConfig(workers=2, dumps_dir=dist, max_body_bytes=16 * 1024)
    with running_server(build_store(), config) as running:
        yield running


def raw(srv, request: bytes, timeout: float = 10) -> tuple[int, bytes, bytes]:
    """Send ``request`` as is; return (status, head, body). Status 0 if the server closed without answering."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=timeout) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    if not data.startswith(b"HTTP/1.1 "):
        return 0, b"", data
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), head, body


def get(srv, target: str | bytes, extra: bytes = b"", method: bytes = b"GET") -> tuple[int, bytes, bytes]:
    target = target.encode() if isinstance(target, str) else target
    return raw(srv, method + b" " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + b"\r\n")


def assert_clean(status: int, body: bytes, allowed: tuple[int, ...]) -> None:
    assert status in allowed, (status, body[:200])
    assert b"Traceback" not in body and SECRET not in body


def test_dumps_serves_files_inside(srv):
    status, head, body = get(srv, "/dumps/gcm-graph.ttl")
    assert status == 200 and b"text/turtle" in head and body.startswith(b"<urn:x:s>")
    assert get(srv, "/dumps/sub/part.nt")[0] == 200


@pytest.mark.parametrize("target", [
    "/dumps/../secret.txt", "/dumps/..%2fsecret.txt", "/dumps/%2e%2e/secret.txt", "/dumps/%2e%2e%2fsecret.txt",
    "/dumps/%252e%252e/secret.txt", "/dumps/%252e%252e%252fsecret.txt", "/dumps/sub/../../secret.txt",
    "/dumps/sub/%2e%2e/%2e%2e/secret.txt", "/dumps/..%5csecret.txt", "/dumps/..\\secret.txt",
    "/dumps//etc/passwd", "/dumps/%2fetc%2fpasswd", "/dumps/%2Fetc/passwd", "/dumps/.hidden",
    "/dumps/escape.ttl", "/dumps/up/secret.txt", "/dumps/%00", "/dumps/gcm-graph.ttl%00.txt",
    "/dumps/", "/dumps/sub", "/dumps/%c0%ae%c0%ae/secret.txt", "/dumps/%ff", "/../secret.txt",
    "/%2e%2e/secret.txt", "/dumps/./gcm-graph.ttl",
])
def test_traversal_is_404(srv, target):
    status, _, body = get(srv, target)
    assert_clean(status, body, (404,))


def test_dumps_folder_itself_is_not_listed(srv):
    status, head, body = get(srv, "/dumps")
    assert_clean(status, body, (307, 404))  # Starlette's trailing-slash redirect, to /dumps/ which is 404
    assert get(srv, "/dumps/")[0] == 404


def test_dumps_without_a_folder_is_404():
    with running_server(build_store(), ServerConfig(workers=1)) as bare:
        status, _, body = get(bare, "/dumps/gcm-graph.ttl")
        assert_clean(status, body, (404,))


@pytest.mark.parametrize("method", [b"PUT", b"DELETE", b"PATCH", b"TRACE", b"PROPFIND"])
def test_wrong_methods(srv, method):
    status, head, body = get(srv, "/sparql?query=ASK%7B%7D", b"Content-Length: 0\r\n", method)
    assert_clean(status, body, (405,))
    assert b"allow: " in head.lower()


def test_huge_header_is_refused(srv):
    status, _, body = get(srv, "/sparql", b"X-Big: " + b"a" * 100_000 + b"\r\n")
    assert_clean(status, body, (0, 400, 413, 431))


def test_many_headers_are_refused(srv):
    status, _, body = get(srv, "/sparql", b"".join(b"X-H%d: v\r\n" % i for i in range(5000)))
    assert_clean(status, body, (0, 400, 413, 431))


def test_huge_query_string_is_refused(srv):
    status, _, body = get(srv, "/sparql?query=" + "a" * 100_000)
    assert_clean(status, body, (0, 400, 414, 431))


@pytest.mark.parametrize("target", [
    "/sparql?query=%ff%fe", "/sparql?query=SELECT%20*%20%7B%7D%20%C3", b"/sparql?query=\xff\xfe",
    "/sparql?query=%zz", "/sparql?query=SELECT&query=ASK", "/sparql?default-graph-uri=%20&query=ASK%7B%7D",
])
def test_bad_encodings_and_parameters_are_400(srv, target):
    status, _, body = get(srv, target)
    assert_clean(status, body, (400,))


def test_invalid_utf8_body_is_400(srv):
    body = b"SELECT * WHERE { ?s ?p \"\xff\" }"
    status, _, resp = raw(srv, b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               b"Content-Type: application/sparql-query\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert_clean(status, resp, (400,))


@pytest.mark.parametrize("length", [b"-1", b"abc", b"99999999999999999999"])
def test_bad_content_length(srv, length):
    status, _, body = raw(srv, b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               b"Content-Type: application/sparql-query\r\nContent-Length: " + length + b"\r\n\r\nASK{}")
    assert_clean(status, body, (0, 400, 413))


def test_post_without_content_type_is_415(srv):
    status, _, body = raw(srv, b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nASK{}")
    assert_clean(status, body, (415,))


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET /sparql HTTP/2.0 extra\r\nHost: x\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
])
def test_garbage_requests(srv, request_bytes):
    status, _, body = raw(srv, request_bytes, timeout=5)
    assert_clean(status, body, (0, 400, 505))


def test_unknown_paths_are_plain_404(srv):
    status, head, body = get(srv, "/nope/<script>")
    assert_clean(status, body, (404,))
    assert b"text/plain" in head and b"<script>" not in body


def test_server_still_healthy_afterwards(srv):
    status, _, body = get(srv, "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", b"Accept: application/sparql-results+json\r\n")
    assert status == 200 and b'"boolean":true' in body

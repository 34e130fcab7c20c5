"""The key redactor: every key seen, and every 12-character piece of one, masked everywhere."""

from __future__ import annotations

import io
import json
import logging

import pytest

from seed_lsp.log import MASK, PIECE, RedactingStream, Redactor, safe_url

KEY = "sk-live-" + "Q7w9E2r4T6y8U1i3O5p7A9s2D4f6G8h1J3k5L7z9X2c4V6b8N1m3"
ROTATED = "sk-live-" + "m3N1b8V6c4X2z9L7k5J3h1G8f6D4s2A9p7O5i3U1y8T6r4E2w9Q7"


def redactor(*keys: str) -> Redactor:
    r = Redactor()
    for key in keys:
        r.add(key)
    return r


def pieces(secret: str, size: int = PIECE) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


def test_whole_key_is_masked() -> None:
    assert redactor(KEY).redact(f"Bearer {KEY} rejected") == f"Bearer {MASK} rejected"


@pytest.mark.parametrize("cut", [12, 13, 20, 56, len(KEY) - 1])
def test_a_cut_key_is_masked(cut: int) -> None:
    r = redactor(KEY)
    head, tail = KEY[:cut], KEY[-cut:]
    assert head not in r.redact(f"invalid key {head}")
    assert tail not in r.redact(f"{tail}... was cut")


def test_no_piece_of_twelve_survives_anywhere() -> None:
    r = redactor(KEY)
    for piece in pieces(KEY):
        out = r.redact(f"#{piece}#")
        assert piece not in out
        assert out == f"#{MASK}#"


def test_shorter_pieces_and_other_text_are_kept() -> None:
    r = redactor(KEY)
    text = f"model bytedance/seed answered {KEY[:11]} and {KEY[-11:]}"
    assert r.redact(text) == text


def test_earlier_keys_stay_masked_after_rotation() -> None:
    r = redactor(KEY)
    r.add(ROTATED)
    out = r.redact(f"old {KEY} new {ROTATED} old-cut {KEY[:30]}")
    assert KEY[:12] not in out and ROTATED[:12] not in out
    assert out == f"old {MASK} new {MASK} old-cut {MASK}"


def test_escaped_forms_are_masked() -> None:
    key = 'k3y/with+odd"chars\\and=more-0123456789'
    r = redactor(key)
    assert key not in r.redact(json.dumps({"echo": key}))
    assert "k3y%2Fwith%2Bodd" not in r.redact("?api_key=k3y%2Fwith%2Bodd%22chars%5Cand%3Dmore")


def test_short_strings_are_not_secrets() -> None:
    r = redactor("abc", "", None)  # type: ignore[arg-type]
    assert r.redact("abc abc") == "abc abc"


def test_json_structures_are_redacted_deeply() -> None:
    r = redactor(KEY)
    message = {"error": {"message": f"bad {KEY}", "data": {"traceback": [f"  {KEY[5:40]}"]}}}
    assert KEY[5:17] not in json.dumps(r.redact_json(message))


def test_log_records_are_redacted_args_and_tracebacks() -> None:
    r = redactor(KEY)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(r)
    logger = logging.getLogger("test.redactor")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("key %s", KEY[:40])
        try:
            raise ValueError(f"boom {KEY}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert KEY[:12] not in stream.getvalue()
    assert "boom ***" in stream.getvalue()


def test_redacting_stream() -> None:
    from seed_lsp.log import REDACTOR

    REDACTOR.add(KEY)
    target = io.StringIO()
    stream = RedactingStream(target)
    stream.write(f"Traceback: {KEY[3:60]}\n")
    stream.flush()
    assert KEY[3:15] not in target.getvalue()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://api.aimlapi.com/v1", "https://api.aimlapi.com/v1"),
        ("https://user:pa55w0rd@proxy.example.com/v1", "https://***@proxy.example.com/v1"),
        ("http://tok3n-only-user@127.0.0.1:8080/v1", "http://***@127.0.0.1:8080/v1"),
        (
            "https://host/v1?api-version=2024-02-01&api_key=s3cr3t-value",
            "https://host/v1?api-version=2024-02-01&api_key=***",
        ),
    ],
)
def test_safe_url(url: str, shown: str) -> None:
    assert safe_url(url) == shown


def test_url_credentials_become_secrets() -> None:
    r = Redactor()
    r.add_url("https://deploy:pa55w0rd-long@proxy.example.com/v1?token=t0ken-value-123")
    out = r.redact(
        "could not reach https://deploy:pa55w0rd-long@proxy.example.com (t0ken-value-123)"
    )
    assert "pa55w0rd-long" not in out and "t0ken-value-123" not in out

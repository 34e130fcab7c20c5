"""Secrets inside allowed text are replaced; their neighbours are not; the cursor hole never
moves. The shape tables live in tests/secret_shapes.py (shared with bench/secrets.py)."""

import pytest

from seed_lsp.context.redact import mask_secrets, redact, redact_window
from seed_lsp.context.secret_values import key_kind
from seed_lsp.log import REDACTOR
from tests.secret_shapes import NEIGHBOURS_ONLY, SHAPES, TOKENS, Shape

P = "<redacted>"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('OPENAI = "sk-proj-abcdefghijklmnopqrstuvwxyz123456"', "sk-proj-abcdefghijkl"),
        ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghij"),
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        ("SLACK = 'xoxb-123456789012-abcdefghijkl'", "xoxb-123456789012"),
        (
            "jwt: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3",
            "eyJhbGciOiJIUzI1NiJ9",
        ),
        ('headers = {"Authorization": "Bearer abcdefghijklmnop1234"}', "abcdefghijklmnop1234"),
        ('password = "hunter2secret"', "hunter2secret"),
        ("secret: s3cr3tvalue99", "s3cr3tvalue99"),
        ("DB_PASSWORD=supersecret123", "supersecret123"),
        ("password: int = 123456", "123456"),  # only a declared ``Final`` is a constant
        ('PASSWORD: Final = "hunter22x"', "hunter22x"),
        ("api_key='AIzaSyA-1234567890abcdefghijklmnopqrstu'", "AIzaSyA-1234567890"),
        ("url = 'postgres://admin:pa55word@db:5432/x'", "pa55word"),
        ("STRIPE=sk_live_abcdefghijklmnop1234", "sk_live_abcdefghijklmnop"),
    ],
)
def test_secret_values_are_redacted(text: str, secret: str) -> None:
    out = redact(text)
    assert secret not in out
    assert P in out


def test_key_and_quotes_are_kept() -> None:
    assert redact('password = "hunter2secret"') == f'password = "{P}"'


@pytest.mark.parametrize(
    "text",
    [
        "token = get_token()",
        "const token = process.env.TOKEN;",
        "self.password = password",
        'api_key = "${API_KEY}"',
        "secret = settings.SECRET_KEY",
        "def authenticate(user, password):",
        # typeshed stubs (real code): declared option numbers and annotations with a union
        "PROXY_KEYPASSWD: Final = 10258",
        "PASSWORD: typing.Final[int] = 10174",
        "key: X25519PrivateKey | None",
        "def exchange_shared_key(self, pubkey: X25519PrivateKey | X448PublicKey) -> bytes: ...",
        "authorization: AsymmetricPropertyWithDelete[_authorization | None, str]",
    ],
)
def test_code_is_not_redacted(text: str) -> None:
    assert redact(text) == text


def test_pem_block_is_redacted_whole() -> None:
    text = (
        "a = 1\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n"
        "-----END RSA PRIVATE KEY-----\nb = 2"
    )
    out = redact(text)
    assert "MIIEpAIBAAKCAQEA" not in out
    assert out == f"a = 1\n{P}\nb = 2"


def test_pem_block_cut_by_window_start_is_redacted() -> None:
    out = redact("MIIEpAIBAAKCAQEA\n-----END PRIVATE KEY-----\nx = 1")
    assert "MIIEpAIBAAKCAQEA" not in out
    assert out.endswith("x = 1")


def test_window_redaction_keeps_the_hole() -> None:
    prefix = 'key = "sk-abcdefghijklmnopqrstuvwxyz"\nx = '
    suffix = '1\npassword = "hunter2secret"\n'
    pre, suf = redact_window(prefix, suffix)
    assert pre == f'key = "{P}"\nx = '
    assert suf == f'1\npassword = "{P}"\n'


def test_secret_straddling_the_hole_is_not_leaked() -> None:
    pre, suf = redact_window('k = "sk-abcdefghijkl', 'mnopqrstuvwxyz"\n')
    assert "abcdefghijkl" not in pre + suf
    assert "mnopqrstuvwxyz" not in pre + suf
    assert pre.endswith(P)
    assert suf == '"\n'


def test_extra_patterns_and_invalid_ones() -> None:
    assert redact("id=CORP-1234-5678", extra_patterns=(r"CORP-\d{4}-\d{4}",)) == f"id={P}"
    assert redact("x = 1", extra_patterns=("([",)) == "x = 1"


def test_mask_secrets_round_trip_keeps_lines() -> None:
    from seed_lsp.context.redact import mask_secrets

    text = (
        'api_key = "sk-abcdefghijklmnopqrstuvwx123456"\n'
        "other = 'sk-abcdefghijklmnopqrstuvwx123456'\n"
        "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\nxyz\n-----END RSA PRIVATE KEY-----\n"
    )
    masked = mask_secrets(text)
    assert "sk-abc" not in masked.text and "MIIabc" not in masked.text
    assert masked.text.count("\n") == text.count("\n")
    assert masked.text.startswith("api_key = \"<redacted-1>\"\nother = '<redacted-1>'")
    assert masked.restore(masked.text) == text
    assert masked.restore("x = '<redacted-99>'") == "x = '<redacted-99>'"


def _gone(secret: str, text: str) -> bool:
    """No piece of the secret survives: the whole of a short one, no 12 characters of a long
    one."""
    size = min(len(secret), 12)
    return all(secret[i : i + size] not in text for i in range(len(secret) - size + 1))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_credential_shapes_are_redacted(shape: Shape) -> None:
    out = redact(shape.line)
    assert _gone(shape.secret, out), out
    assert P in out


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_the_neighbour_of_each_shape_survives(shape: Shape) -> None:
    assert redact(shape.neighbour) == shape.neighbour


@pytest.mark.parametrize("line", NEIGHBOURS_ONLY)
def test_lines_that_only_look_secret_survive(line: str) -> None:
    assert redact(line) == line


@pytest.mark.parametrize(("name", "token", "secret"), TOKENS, ids=[t[0] for t in TOKENS])
@pytest.mark.parametrize("context", ["{}", "x = {}", 'call("{}")', "  - {}", "TOKEN={}"])
def test_provider_tokens_in_any_context(name: str, token: str, secret: str, context: str) -> None:
    assert _gone(secret, redact(context.format(token)))


def test_shapes_in_their_files_and_the_placeholder_is_stable() -> None:
    by_file: dict[str, list[str]] = {}
    for shape in SHAPES:
        by_file.setdefault(shape.file, []).extend([shape.line, shape.neighbour])
    for lines in by_file.values():
        text = "\n".join(lines) + "\n"
        out = redact(text)
        assert out == redact(text) == redact(out)  # byte-stable and idempotent
        assert out.count("\n") == text.count("\n")
        for shape in SHAPES:
            if shape.line in lines:
                assert _gone(shape.secret, out)
                assert shape.neighbour in out


def test_numbered_masks_round_trip_every_shape() -> None:
    text = "\n".join(f"{s.line}\n{s.neighbour}" for s in SHAPES)
    masked = mask_secrets(text)
    for shape in SHAPES:
        assert _gone(shape.secret, masked.text), shape.name
    assert "<redacted-1>" in masked.text
    assert masked.restore(masked.text) == text


def test_the_configured_api_key_never_goes_into_a_prompt() -> None:
    key = "corp-gateway-3f9a1c2e7b4d8a6f0e5c1b9d"  # no provider mark, no telling name
    REDACTOR.add(key)
    out = redact(f"print('{key}')\nGATEWAY = {key!r}\n")
    assert key not in out


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("SMTP_PASS", "password"),
        ("dbPassword", "password"),
        ("PGPASSWORD", "password"),
        ("client_secret", "password"),
        ("AccountKey", "strong"),
        ("ENCRYPTION_KEY", "strong"),
        ("signingKey", "strong"),
        ("x-api-key", "strong"),
        ("TWILIO_AUTH_TOKEN", "strong"),
        ("key", "weak"),
        ("license", None),
        ("public_key", None),
        ("token_url", None),
        ("password_hash", None),
        ("max_tokens", None),
        ("key_id", None),
        ("cache_key", None),
        ("bypass", None),
        ("compass_heading", None),
        ("author", None),
    ],
)
def test_names_of_secrets(name: str, kind: str | None) -> None:
    assert key_kind(name) == kind


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('api_key = "your_api_key_here"', True),
        ('password="test"', True),
        ("password = not-a-real-secret", True),
        ('key = "YOUR-API-KEY"', True),
        ('secret = "hunter22"  # pragma: allowlist secret', True),
        ("detect-secrets = detect_secrets.main:main", True),
        ('password = "therapist42"', False),
        ('password = "mypass2024"', False),
        ('password = "testing123"', False),
    ],
)
def test_placeholders_and_allowlist_comments(text: str, kept: bool) -> None:
    assert (redact(text) == text) is kept


def test_a_value_whose_name_is_above_the_text() -> None:
    # A window or a snippet may start between `- name: DB_PASSWORD` and its `value:` line.
    assert redact("          value: nIyAe045%x\n        - name: DB_USER\n") == (
        f"          value: {P}\n        - name: DB_USER\n"
    )
    assert redact("x = 1\n          value: 10\n") == "x = 1\n          value: 10\n"


def test_the_window_in_chunks_redacts_as_the_whole_text() -> None:
    import random

    from seed_lsp.context.redact import secret_spans

    lines = [
        "-----BEGIN RSA PRIVATE KEY-----",
        "MIIEpAIBAAKCAQEA",
        "-----END RSA PRIVATE KEY-----",
        "        - name: DB_PASSWORD",
        "          value: nIyAe045%x",
    ]
    for shape in SHAPES:
        lines += [*shape.line.split("\n"), *shape.neighbour.split("\n")]
    text = "\n".join(lines) + "\n"
    rng = random.Random(7)
    whole = secret_spans(text)
    for cut in [0, len(text), *(rng.randrange(len(text)) for _ in range(300))]:
        if any(a < cut < b for a, b in whole):
            continue  # a cut inside a secret is redact_window's own case (tested above)
        pre, suf = redact_window(text[:cut], text[cut:])
        assert pre + suf == redact(text), cut

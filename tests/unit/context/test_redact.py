"""Secrets inside allowed text are replaced; the cursor hole never moves."""

import pytest

from seed_lsp.context.redact import redact, redact_window

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

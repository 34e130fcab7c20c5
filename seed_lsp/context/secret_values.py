"""Is this name a secret's, and is this value a secret? The judgement behind ``redact.py``.

A name is split into words (``SMTP_PASS`` → smtp, pass; ``AccountKey`` → account, key) and is
of one of three kinds: a *password* (chosen by a person: any literal may be one), a *strong*
name (``token``, ``apiKey``, ``ENCRYPTION_KEY``: machine-made values), or a *weak* one (a bare
``key``: only a value that looks random counts). A value is then refused when it is a reference
(``token = get_token()``), a placeholder (``"${API_KEY}"``, ``<password>``, ``changeme``), a
template, a type, a path, a URL, a regex, prose, or, for machine-made kinds, plain words.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import math
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PASSWORD_WORDS = _words("password passwd pass passphrase pwd pw passcode secret secrets")
_PASSWORD_ENDINGS = ("password", "passwd", "passphrase", "secret", "pwd")
_STRONG_WORDS = _words(
    "token credential credentials creds cred apikey auth authorization bearer privatekey "
    "accesskey secretkey authkey authtoken accesstoken connectionstring"
)
_STRONG_ENDINGS = ("token", "apikey", "accesskey", "secretkey", "privatekey", "authkey")
_KEY_PAIRS = _words(
    "api access private secret encryption encrypt signing sign master account auth service "
    "shared license app consumer hmac jwt crypto cipher aes deploy write admin root client "
    "session webhook"
)
_SECRET_PAIRS = _words("client app access consumer")
# A name with one of these words is about something that is not secret.
_NOT_SECRET_WORDS = _words(
    "public pub publishable primary foreign sort cache partition row lookup idempotency dedup "
    "unique composite natural surrogate hotkey keyboard monkey turkey donkey csrf xsrf tokenizer "
    "tokens keys"
)
# ... and so is a name ending with one of these (``token_url``, ``password_hash``).
_DESCRIPTORS = _words(
    "url uri urls endpoint host hostname file filename files path paths dir directory name names "
    "id ids arn type types kind length len size count num number env var variable header headers "
    "field fields prefix suffix regex re pattern hash hashes label prompt placeholder message msg "
    "hint help title description desc policy policies required enabled enable disabled min max "
    "format mode method methods scheme version timeout ttl expiry expires expiration expire "
    "lifetime age provider providers backend class cls manager handler validator form widget "
    "input reset changed error errors exception valid invalid strength rule rules option options "
    "flag icon location source template callback fn func function hook event events list index "
    "idx column table position offset start end bits bytes param params arg args attr attribute "
    "property prop store storage cmd command script ref reference mask masked usage used tag "
    "node level state status info counter limit encoding charset"
)
_WORD_SPLIT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def name_words(name: str) -> list[str]:
    """``SMTP_PASS`` → [smtp, pass]; ``AccountKey`` → [account, key]; ``x-api-key`` → [x, api,
    key]."""
    return [w.lower() for w in _WORD_SPLIT.findall(name)]


def key_kind(name: str) -> str | None:
    """ "password", "strong" or "weak" for a name that holds a secret, else None."""
    words = [w for w in name_words(name) if not w.isdigit()]
    if not words or words[-1] in _DESCRIPTORS or any(w in _NOT_SECRET_WORDS for w in words):
        return None
    if any(w in _PASSWORD_WORDS or w.endswith(_PASSWORD_ENDINGS) for w in words):
        return "password"
    if any(w in _STRONG_WORDS or w.endswith(_STRONG_ENDINGS) for w in words):
        return "strong"
    for first, second in itertools.pairwise(words):
        if (second == "key" and first in _KEY_PAIRS) or (
            second == "secret" and first in _SECRET_PAIRS
        ):
            return "strong"
    if words[-1] == "key" or words[-1].endswith("key"):
        return "weak"
    return None


# ------------------------------------------------------------------------------ values

_PLACEHOLDER = re.compile(
    r"""^(?:<[^<>]*>|\[[^\[\]]*\]|\*+|[xX]+|\#+|\.{2,}|…|-+|_+|0+|[\W_]*[*xX•●]{3,}[\W_]*|
    \#[0-9a-fA-F]{3,8}|\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-=?][^}]*)?\}?|\$\d+|\$\(.*\)|
    %\(?\w*\)?[sd]?|%[A-Za-z_]+%|@[A-Za-z_]+@|[*&][\w-]+|![\w!]+.*|
    (?:your|my|some|the|an?|example|sample|dummy|fake|test|testing|placeholder|replace|insert|enter)
    (?:[-_ .]?(?:api|access|secret|private|auth|app|client|db|database|key|keys|token|tokens|
    secrets|password|pass|pwd|pw|passphrase|value|here|me|this|it|string|id|user|username|
    credentials?|creds|goes|in))*|not[-_ ]?(?:a[-_ ]?)?(?:real[-_ ]?)?(?:secret|password|key|token)|
    changeme|change[-_]?me|change[-_]?it|redacted|secret|secrets|password|
    passwd|token|none|null|nil|true|false|undefined|yes|no|on|off|required|optional|todo|fixme|
    tbd|hidden|masked|n/?a|unset|empty|default|basic|bearer|digest|oauth2?|jwt|hmac|ntlm|
    session|cookie|header|query|anonymous|api[-_]?key|str|string|bytes|int|integer|number|float|
    bool|boolean|any|unknown|object|dict|list|char|text|value|val|data|result|raw|item|new|old|
    current|encoded|decoded|response|request|args|kwargs|self|cls|obj|other|input|output|user|
    username|login|name|word|content)$""",
    re.IGNORECASE | re.VERBOSE,
)
_TEMPLATE = re.compile(
    r"\$\{|\{\{|\{%|#\{|<%|%\(|\$\(|\{[\w.\[\]'\"!:]*\}|^\$[A-Za-z_]|<[A-Za-z_][\w -]*>"
    r"|%[-#0 +]*\d*\.\d*[sdifeEgGxX]|%[sdr](?![A-Za-z0-9])"
)
_REGEX_LIKE = re.compile(r"\[[^\]]+\][*+?{]|\\[dwsbDWSB]|\(\?[:=!P<]|\[\^")
_CODE_REFERENCE = re.compile(
    r"^[A-Za-z_$@][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)*(?:\(.*\)?|\[.*\]?|<.*>?)*[;,]?$"
)
_CODE_CHARS = frozenset("()[]{}<>|,")
_TYPE_NAME = re.compile(r"^(?:[A-Z][a-z]+)+$")  # ``SecretStr``, ``Token``: a class, in code
_WORD = r"(?:[A-Z]?[a-z]{2,}|[A-Z]{2,})\d{0,2}"
_WORDY = re.compile(rf"^{_WORD}(?:[-_. /]?{_WORD})*$")  # ``types-auth0-python``, ``LatinOne``
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_DOTTED_NAME = re.compile(r"^[a-z_][a-z0-9_-]*(?:\.[a-z_][a-z0-9_-]*)*(?:\.[a-z_]\w*|:[a-z_]\w*)$")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_PROSE_WORDS = _words(
    "the a an to of for is are be used use if when with and or your this that it in on by from "
    "as not no must should will can may see optional required default e.g. i.e."
)
_KEY_WORDS = ("pass", "pw", "secret", "token", "key", "auth", "cred")


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values()) if n else 0.0


def looks_random(value: str, min_length: int = 16) -> bool:
    """A machine-made string: long, mixed characters with a digit, high entropy; not a UUID."""
    if len(value) < min_length or any(c.isspace() for c in value) or _UUID.match(value):
        return False
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
    return classes >= 2 and any(c.isdigit() for c in value) and entropy(value) >= 3.0


def machine_made(value: str) -> bool:
    """A token, key or credential as services issue them (not words)."""
    if _UUID.match(value) or basic_credentials(value):
        return True
    if _WORDY.match(value):
        return False
    if looks_random(value, 8):
        return True
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return len(value) >= 20 and mixed_case and entropy(value) >= 3.5


def basic_credentials(value: str) -> bool:
    """Base64 of ``user:password`` (the value of ``Basic`` and of docker's ``auth``)."""
    if len(value) < 8:
        return False
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = decoded.decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return ":" in text and text.isprintable()


def _prose(value: str, kind: str) -> bool:
    """A sentence, not a secret. A passphrase ("correct horse battery staple") has no small
    words and no full stop; a machine-made value has no spaces at all."""
    words = value.split()
    return (
        kind != "password"
        or len(words) >= 6
        or value[-1] in ".?!:"
        or any(w.lower().strip(",.;:()") in _PROSE_WORDS for w in words)
    )


def placeholder(value: str) -> bool:
    """``<password>``, ``${TOKEN}``, ``****``, ``changeme``, ``{user}``: not a value."""
    return bool(_PLACEHOLDER.match(value) or _TEMPLATE.search(value))


def is_secret_value(value: str, kind: str, *, quoted: bool, literal: bool) -> bool:
    """Whether ``value``, found next to a name of ``kind``, is a secret itself.

    ``quoted``: it was a string literal. ``literal``: the syntax makes a bare word a literal
    (``KEY=value`` in shell or ``.env``, ``key: value`` in YAML); in code it is a name."""
    v = value.strip()
    if len(v) < 4 or v.endswith(":") or _PLACEHOLDER.match(v) or _TEMPLATE.search(v):
        return False
    if _REGEX_LIKE.search(v) or _URL.match(v) or _ENV_NAME.match(v) or _DOTTED_NAME.match(v):
        return False
    if v.startswith(("/", "./", "../", "~/", "\\\\")) or re.match(r"^[A-Za-z]:[\\/]", v):
        return False  # a path to a secret, not the secret
    if _NUMBER.match(v):
        return kind == "password" and v.isdigit()
    if not quoted:
        if not literal and any(c in _CODE_CHARS for c in v):
            return False  # an expression
        if _CODE_REFERENCE.match(v):
            simple = v.rstrip(";,")
            if not simple.isidentifier():
                return False  # ``settings.SECRET``, ``get_token()``, ``env["TOKEN"]``
            # A bare word in code is a name (and ``api_key: apiKey``, ``password: SecretStr``
            # in any syntax); ``hunter22`` is a value anyway.
            named = (
                not literal
                or _TYPE_NAME.match(simple) is not None
                or any(word in simple.lower() for word in _KEY_WORDS)
            )
            if named and not any(c.isdigit() for c in simple):
                return False
    if any(c.isspace() for c in v) and (_prose(v, kind) or (not quoted and " | " in v)):
        return False  # a sentence; ``password: str | None``, a type
    if quoted and v.isidentifier() and key_kind(v) and not any(c.isdigit() for c in v):
        return False  # ``"password": "user_password"``: a name, not its value
    if kind == "password":
        return True
    if kind == "strong":
        return machine_made(v)
    return looks_random(v)

"""Secrets next to a name that says "secret", in every syntax, found one line at a time.

Assignments (``DB_PASS=``, ``password: "…"``, ``"apiKey" => '…'``, ``SIGNING_KEY := …``, with
a type annotation or without), XML elements and ``key=… value=…`` pairs, Dockerfile ``ENV NAME
value``, defaults of environment lookups (``os.getenv("TOKEN", "…")``, ``process.env.X ||
"…"``), authorization headers, command-line credentials (``curl -u``, ``mysql -p``,
``--password x``) and URL userinfo (a password may hold ``/`` and ``@``). ``secret_values.py``
judges each name and value; ``secret_tokens.py`` has the provider tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from seed_lsp.context.secret_tokens import Rule, Span
from seed_lsp.context.secret_values import (
    basic_credentials,
    is_secret_value,
    key_kind,
    machine_made,
    placeholder,
)

_ASSIGN = re.compile(
    # A name (``@password``, ``--token``, ``db.password``, ``headers['X-Api-Key']``) ...
    r"(?<![\w.$@-])(?P<k>[A-Za-z_$@-][\w.$-]{0,80}?)[\"'\]]{0,2}"
    # ... an operator (a ``:`` hugs the name, as in YAML, JSON and dicts; ``name: T = v``) ...
    r"(?P<op>[ \t]*(?:===?|!==?|:=|=>|\?\?=|\|\|=|\?=|=(?![=>]))"
    r"|:[ \t]*[&\w][\w&<>\[\]|.,' ?*]{0,60}?[ \t]*=(?![=>])|:(?![:=/]))"
    # ... and a value: a string literal, or a bare word.
    r"[ \t]*(?:@|[rRbBuUfF]{1,2}(?=[\"']))?"
    r"(?:(?P<q>[\"'`])(?P<v>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"
    r"|(?P<bare>[^\s\"'`,;&)}\](\[{][^\s\"'`,;&)}\]]*))"
)
# What may stand before a name for a bare value to be a literal: nothing (``KEY=value``,
# ``key: value``), or a shell, Dockerfile or YAML-list lead.
_LITERAL_LEAD = re.compile(
    r"[ \t]*(?:(?:export|ENV|ARG|set|setenv|readonly|local|declare(?:[ \t]+-\w+)*)[ \t]+"
    r"|-[ \t]+|\$env:)?"
)
_COMMENT = re.compile(r"[ \t]+[#;].*$")
_FINAL = re.compile(r":[ \t]*(?:typing\.)?Final(?:\[int\])?[ \t]*=$")


def _literal_rest(line: str, m: re.Match[str]) -> Span | None:
    """The span of a bare value that is a literal running to the end of the line (``.env``,
    ``.ini``, YAML, shell), or None when the syntax is code's."""
    op = m.group("op")
    if op.strip() not in ("=", ":", "?=") or not _LITERAL_LEAD.fullmatch(line, 0, m.start()):
        return None
    if op != op.strip() and op.strip() != ":" and any(c.islower() for c in m.group("k")):
        return None  # ``token = Name``: code; ``password=x``, ``DB_PASS = x``: a literal
    start = m.start("bare")
    rest = _COMMENT.sub("", line[start:]).rstrip()
    if rest.endswith((",", ";", "{", "(", "\\", "[")) or (op == ":" and "=" in rest):
        return None  # an object literal, a statement, a call: code
    return (start, start + len(rest))


_NAME_WORD = re.compile(r"(?i)pass|pw|secret|token|key|auth|cred|bearer")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$@-")


def _scan_assignments(line: str) -> list[Span]:
    """Assignments whose name says "secret". The pattern is tried only at the start of the
    names holding such a word, so a line costs one anchored match per such name."""
    found: list[Span] = []
    done = 0
    for word in _NAME_WORD.finditer(line):
        if word.start() < done:
            continue
        start = word.start()
        while start > 0 and line[start - 1] in _NAME_CHARS:
            start -= 1
        m = _ASSIGN.match(line, start)
        if m is None:
            continue
        span = _assigned_secret(line, m)
        if span is not None and span[1] > span[0]:
            found.append(span)
            done = span[1]
    return found


def _assigned_secret(line: str, m: re.Match[str]) -> Span | None:
    kind = key_kind(m.group("k"))
    if kind is None:
        return None
    if m.group("q") is not None:
        ok = is_secret_value(m.group("v"), kind, quoted=True, literal=True)
        return m.span("v") if ok else None
    op = m.group("op")
    if _FINAL.match(op) and m.group("bare").isdigit():
        return None  # ``PASSWORD: Final = 10174``: a declared constant (an option number)
    rest = _literal_rest(line, m)
    if op.strip() == ":" and (
        line.startswith(" | ", m.end("bare"))
        or (rest is not None and " | " in line[rest[0] : rest[1]])
    ):
        return None  # ``key: X25519PrivateKey | None``, ``(pubkey: A | B)``: a union type
    bare = m.span("bare")
    # ``password=a b`` in a .properties or .ini file is "a b"; in a shell, ``DB_PASS=a cmd``
    # is "a" (and ``cmd`` is code the model may see).
    shell = m.group("op") == "=" and not any(c.islower() for c in m.group("k"))
    order = (bare, rest) if shell else (rest, bare)
    for candidate in [c for c in order if c is not None]:
        value = line[candidate[0] : candidate[1]]
        if is_secret_value(value, kind, quoted=False, literal=rest is not None):
            return candidate
    return None


def _keyed(pattern: re.Pattern[str], literal: bool) -> Callable[[str], list[Span]]:
    """A scanner for a pattern with a name ``k`` and a value ``v``."""

    def scan(line: str) -> list[Span]:
        found = []
        for m in pattern.finditer(line):
            kind = key_kind(m.group("k"))
            if kind and is_secret_value(m.group("v"), kind, quoted=True, literal=literal):
                found.append(m.span("v"))
        return found

    return scan


def _valued(pattern: re.Pattern[str], check: Callable[[str], bool]) -> Callable[[str], list[Span]]:
    """A scanner for a pattern whose ``v`` is a secret when ``check`` says so."""

    def scan(line: str) -> list[Span]:
        return [m.span("v") for m in pattern.finditer(line) if check(m.group("v"))]

    return scan


def _not_placeholder(value: str) -> bool:
    return is_secret_value(value, "password", quoted=True, literal=True)


def _credential(value: str) -> bool:
    # No header credential (base64, a token) holds brackets: ``Property[_authorization`` is a
    # type annotation.
    return "[" not in value and _not_placeholder(value) and machine_made(value)


def _flag_value(value: str) -> bool:
    # Prose (``--token to pass the token``) has plain words; a credential on a command line
    # has digits, symbols or mixed case.
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    odd = any(c.isdigit() or not c.isalnum() for c in value)
    return _not_placeholder(value) and (mixed or odd)


_URL_PASSWORD = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]*://(?P<u>[^\s:/@\"'`<>]*):(?P<v>[^\s\"'`<>]*)@"
    r"(?P<h>[^\s@\"'`<>/?#]+)"
)


def _scan_url_passwords(line: str) -> list[Span]:
    found = []
    for m in _URL_PASSWORD.finditer(line):
        value = m.group("v")
        if re.match(r"\d+(?:/|$)", value) or m.group("h").startswith(("sha256:", "sha512:")):
            continue  # ``host:8080/path@x``, an image digest: no password here
        if value and (len(value) >= 3 or value.isalnum()) and _url_secret(value):
            found.append(m.span("v"))
    return found


def _url_secret(value: str) -> bool:
    return not placeholder(value)


_NAME_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?name:[ \t]*[\"']?(?P<k>[\w.-]+)[\"']?[ \t]*")
_VALUE_LINE = re.compile(
    r"[ \t]*value:[ \t]*(?:(?P<q>[\"'])(?P<v>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)|(?P<bare>\S.*?))"
    r"[ \t]*"
)


def name_then_value(previous: str | None, line: str) -> Span | None:
    """The value on ``line`` when ``previous`` names a secret: a Kubernetes or compose
    environment entry (``- name: DB_PASSWORD`` then ``value: …``). ``previous`` None: the
    line above is not in the text (a window or a snippet starts here), so the name is
    unknown and the value is judged as a password's."""
    named = _NAME_LINE.fullmatch(previous) if previous is not None else None
    kind = "password" if previous is None else key_kind(named.group("k")) if named else None
    valued = _VALUE_LINE.fullmatch(line) if kind else None
    if kind is None or valued is None:
        return None
    group = "v" if valued.group("q") else "bare"
    quoted = group == "v"
    if is_secret_value(valued.group(group), kind, quoted=quoted, literal=True):
        return valued.span(group)
    return None


def _rule(name: str, triggers: str | tuple[str, ...], scan: Callable[[str], list[Span]]) -> Rule:
    return Rule(name, tuple(triggers.split()) if isinstance(triggers, str) else triggers, scan)


CONTEXT_RULES: tuple[Rule, ...] = (
    _rule("assignment", "pass pw secret token key auth cred bearer", _scan_assignments),
    _rule(
        "xml-element",
        "</",
        _keyed(
            re.compile(r"<(?P<k>[A-Za-z_][\w:.-]*)(?:[ \t][^<>]*)?>(?P<v>[^<>\n]+)</(?P=k)>"), True
        ),
    ),
    _rule(
        "xml-key-value",
        "value",
        _keyed(
            re.compile(
                r"(?i)\b(?:key|name)\s*=\s*[\"'](?P<k>[^\"'<>]+)[\"']\s+value\s*=\s*"
                r"(?P<q>[\"'])(?P<v>[^\"'<>]*)(?P=q)"
            ),
            True,
        ),
    ),
    _rule(
        "dockerfile-env",
        "env arg",
        _keyed(
            re.compile(r"^[ \t]*(?:ENV|ARG)[ \t]+(?P<k>[A-Za-z_]\w*)[ \t]+(?P<v>[^\s=].*?)[ \t]*$"),
            True,
        ),
    ),
    _rule(
        # ``os.getenv("DB_PASSWORD", "…")``, ``define('DB_PASSWORD', '…')``, ``setdefault``
        "name-value-pair",
        "(",
        _keyed(
            re.compile(
                r"\b(?:getenv|Getenv|get|fetch|define|setdefault|setenv|putenv|set|put|env)"
                r"\([ \t]*(?P<kq>[\"'])(?P<k>[\w.$-]{2,80})(?P=kq)[ \t]*,[ \t]*"
                r"(?P<q>[\"'`])(?P<v>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"
            ),
            True,
        ),
    ),
    _rule(
        # ``auth=("user", "…")``, ``HTTPBasicAuth("user", "…")``, ``smtp.login(user, "…")``
        "user-password-pair",
        "auth login",
        _valued(
            re.compile(
                r"(?:\bauth[ \t]*=[ \t]*\(|\b\w*(?:Basic|Digest)Auth\(|\.login\()[ \t]*"
                r"(?:(?P<q1>[\"'])[^\"'\n]*(?P=q1)|[\w.]+)[ \t]*,[ \t]*"
                r"(?P<q>[\"'])(?P<v>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"
            ),
            _not_placeholder,
        ),
    ),
    _rule(
        "or-default",
        ("||", "??", " or ", "?:"),
        _keyed(
            re.compile(
                r"(?P<k>[\w$][\w.$]*)[\"'\])]*[ \t]*(?:\|\||\?\?|\bor\b|\?:)[ \t]*"
                r"(?P<q>[\"'`])(?P<v>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"
            ),
            True,
        ),
    ),
    _rule(
        "authorization-header",
        "authorization",
        _valued(
            re.compile(
                r"(?i)\b(?:proxy-)?authorization\b[\"']?[ \t]*[:=,][ \t]*[\"']?"
                r"(?:(?:bearer|basic|token|digest|apikey|api-key|sso-key|otp|key|hmac|negotiate"
                r"|ntlm)[ \t]+)?(?P<v>[^\s\"'`,;]{8,})"
            ),
            _credential,
        ),
    ),
    _rule(
        "bearer",
        "bearer token",
        _valued(
            re.compile(r"(?i)\b(?:bearer|token)[ \t]+(?P<v>[\w.~+/=-]{16,})"),
            lambda v: _credential(v) and any(c.isdigit() for c in v),
        ),
    ),
    _rule(
        "basic-auth",
        "basic",
        _valued(
            re.compile(r"(?i)\bbasic[ \t]+(?P<v>[A-Za-z0-9+/]{6,}={0,2})(?![\w+/=])"),
            basic_credentials,
        ),
    ),
    _rule(
        "curl-user",
        "curl",
        _valued(
            re.compile(
                r"\bcurl\b.*?\s(?:-u|--user)(?:[ \t]+|=)(?P<q>[\"']?)[^:\s\"']*:"
                r"(?P<v>[^\s\"']+)(?P=q)"
            ),
            _not_placeholder,
        ),
    ),
    _rule(
        "mysql-password",
        "mysql mariadb",
        _valued(
            re.compile(r"\b(?:mysql\w*|mariadb\w*)\b.*?\s-p(?P<v>[^\s\"'-][^\s\"']*)"),
            _not_placeholder,
        ),
    ),
    _rule(
        "sshpass",
        "sshpass",
        _valued(
            re.compile(r"\bsshpass\b.*?\s-p[ \t]*(?P<q>[\"']?)(?P<v>[^\s\"']+)(?P=q)"),
            _not_placeholder,
        ),
    ),
    _rule(
        "cli-flag",
        "--",
        _valued(
            re.compile(
                r"(?i)(?<![\w-])--(?:[\w-]*(?:password|passwd|pass|token|secret|api-?key"
                r"|access-?key|auth-?key))[ \t]+(?P<q>[\"']?)(?P<v>[^\s\"'-][^\s\"']*)(?P=q)"
            ),
            _flag_value,
        ),
    ),
    _rule("url-password", "://", _scan_url_passwords),
)

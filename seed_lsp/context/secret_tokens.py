"""Provider tokens: credentials that carry their own mark (``ghp_``, ``hf_``, ``SG.``, ``hvs.``).

The formats come from gitleaks' rule set and detect-secrets' plugins (reference data, not their
code). All of them are one pattern, tried only where a token may start next to a run of 16
token characters (which every one of them holds), so a line costs a few anchored matches.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Rule:
    """A scanner of one line for one shape, and the literals (lower case) one of which a line
    must hold for it to run (none: it always runs)."""

    name: str
    triggers: tuple[str, ...]
    scan: Callable[[str], list[Span]]


_B = r"(?<![A-Za-z0-9_-])"  # a token starts here
_E = r"(?![A-Za-z0-9_-])"  # and ends here


def _machine_made(value: str) -> bool:
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


_TOKENS: tuple[tuple[str, str, bool], ...] = (
    ("openai-anthropic", r"sk-[A-Za-z0-9_-]{20,}", False),
    ("github", r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}", False),
    ("github-fine-grained", r"github_pat_\w{40,}", False),
    (
        "gitlab",
        r"(?:glpat|gldt|glft|glsoat|glrt|glcbt|glimt|glptt|glagent|gloas"
        r"|glffct)-[\w-]{20,}",
        False,
    ),
    ("gitlab-runner-registration", r"GR1348941[\w-]{20,}", False),
    (
        "aws-access-key-id",
        r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA"
        r"|APKA)[A-Z0-9]{16}",
        False,
    ),
    ("aws-bedrock", r"ABSK[A-Za-z0-9+/]{100,}={0,2}", False),
    ("slack-token", r"xox[abposre]-[A-Za-z0-9-]{10,}", False),
    ("slack-app", r"xapp-\d-[A-Za-z0-9-]{20,}", False),
    ("google-api-key", r"AIza[\w-]{35}", False),
    ("google-oauth-secret", r"GOCSPX-[\w-]{20,}", False),
    ("google-oauth-token", r"ya29\.[\w-]{20,}", False),
    ("google-refresh-token", r"1//0[\w-]{40,}", False),
    ("stripe", r"(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,}", False),
    ("stripe-webhook", r"whsec_[A-Za-z0-9]{24,}", False),
    ("npm", r"npm_[A-Za-z0-9]{36}", False),
    ("pypi", r"pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[\w-]{40,}", False),
    ("huggingface", r"(?:hf_|api_org_)[A-Za-z0-9]{30,}", False),
    ("sendgrid", r"SG\.[\w-]{16,32}\.[\w-]{30,50}", False),
    ("vault", r"(?:hvs|hvb|hvr)\.[\w-]{20,}", False),
    ("vault-legacy", r"s\.[A-Za-z0-9]{24}", True),
    ("azure-sas-signature", r"(?<=[?&;]sig=)[\w%+/=-]{20,}", False),
    ("databricks", r"dapi[a-f0-9]{32}(?:-\d)?", False),
    ("discord-bot", r"[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}", True),
    ("telegram-bot", r"\d{8,10}:AA[\w-]{33}", False),
    ("twilio-api-key", r"SK[0-9a-fA-F]{32}", True),
    ("mailgun", r"key-[0-9a-f]{32}", False),
    ("mailchimp", r"[0-9a-f]{32}-us\d{1,2}", False),
    ("shopify", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", False),
    ("docker-pat", r"dckr_(?:pat|oat)_[\w-]{20,}", False),
    ("digitalocean", r"do[opr]_v1_[a-f0-9]{64}", False),
    ("doppler", r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}", False),
    ("dynatrace", r"dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}", False),
    ("linear", r"lin_(?:api|oauth)_[A-Za-z0-9]{40}", False),
    ("notion", r"(?:ntn|secret)_[A-Za-z0-9]{40,}", True),
    ("perplexity", r"pplx-[A-Za-z0-9]{40,}", False),
    ("groq", r"gsk_[A-Za-z0-9]{40,}", False),
    ("xai", r"xai-[A-Za-z0-9]{60,}", False),
    ("replicate", r"r8_[A-Za-z0-9]{37}", False),
    ("postman", r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}", False),
    ("pulumi", r"pul-[a-f0-9]{40}", False),
    ("sentry", r"sntry[su]_[\w=+/]{40,}", False),
    ("grafana", r"(?:glc|glsa)_[A-Za-z0-9+/_]{32,}={0,3}|eyJrIjoi[A-Za-z0-9]{60,}", False),
    ("heroku", r"HRKU-AA[\w-]{58}", False),
    ("age", r"AGE-SECRET-KEY-1[0-9A-Z]{58}", False),
    ("1password", r"ops_eyJ[\w+/]{100,}={0,3}", False),
    ("atlassian", r"ATATT3[\w=-]{100,}", False),
    ("azure-ad-secret", r"[\w~.]{3}\dQ~[\w~.-]{31,34}", False),
    ("alibaba", r"LTAI[A-Za-z0-9]{20}", False),
    ("artifactory", r"AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59}", False),
    ("easypost", r"EZ[AT]K[A-Za-z0-9]{54}", False),
    ("fly", r"fo1_[\w-]{43}|fm[12][ar]?_[\w+/]{100,}={0,3}", False),
    ("planetscale", r"pscale_(?:tkn|oauth|pw)_[\w=.-]{32,64}", False),
    ("prefect", r"pnu_[A-Za-z0-9]{36}", False),
    ("readme", r"rdme_[a-z0-9]{70}", False),
    ("rubygems", r"rubygems_[a-f0-9]{48}", False),
    ("scalingo", r"tk-us-[\w-]{48}", False),
    ("sendinblue", r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}", False),
    ("shippo", r"shippo_(?:live|test)_[a-fA-F0-9]{40}", False),
    ("openshift", r"sha256~[\w-]{43}", False),
    ("clojars", r"CLOJARS_[a-z0-9]{60}", False),
    ("duffel", r"duffel_(?:test|live)_[\w=-]{43}", False),
    ("flutterwave", r"FLWSECK(?:_TEST)?-[a-hA-H0-9]{12,32}(?:-X)?", False),
    ("infracost", r"ico-[A-Za-z0-9]{32}", False),
    ("cloudflare-origin-ca", r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}", False),
    ("terraform-cloud", r"[a-zA-Z0-9]{14}\.atlasv1\.[\w=-]{60,70}", False),
    ("facebook", r"EAA[MC][A-Za-z0-9]{100,}", False),
    ("square", r"(?:EAAA|sq0atp-|sq0csp-)[\w-]{22,60}", False),
    ("mapbox-secret", r"sk\.eyJ[\w-]{40,}\.[\w-]{20,}", False),
    ("newrelic", r"NR(?:AK|II|JS)-[A-Za-z0-9]{19,32}", False),
    ("sourcegraph", r"sgp_[a-fA-F0-9_]{40,}", False),
    ("typeform", r"tfp_[\w.=-]{59}", False),
    ("yandex", r"AQVN[\w-]{35,38}|YC[\w-]{38}|t1\.[\w-]+=*\.[\w-]{86}=*", False),
    ("adobe", r"p8e-[A-Za-z0-9]{32}", False),
    ("maxmind", r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk", False),
    ("harness", r"(?:pat|sat)\.[\w-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}", False),
    ("airtable", r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}", False),
    ("clickhouse", r"4b1d[A-Za-z0-9]{38}", False),
    ("pem-base64", r"LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2}", False),
    ("jwt", r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}|ZXlK[A-Za-z0-9+/]{60,}={0,2}", False),
    (
        "webhook-url",
        r"(?:https?://)?(?:hooks\.slack\.com/(?:services|workflows"
        r"|triggers)/[\w+/-]{20,}"
        r"|[\w-]+\.webhook\.office\.com/webhookb2/[^\s\"'`]+"
        r"|discord(?:app)?\.com/api/webhooks/\d+/[\w-]{40,})",
        False,
    ),
)
"""(name, pattern, mixed). ``mixed``: the mark is short, so the rest must hold letters and
digits (as machine-made tokens do), which keeps words that happen to match out."""

# One pattern for all of them: a line is scanned once, not once per provider.
_COMBINED = re.compile(
    _B + "(?:" + "|".join(f"(?P<t{i}>{body})" for i, (_, body, _) in enumerate(_TOKENS)) + ")" + _E
)
_PEM_BASE64 = next(f"t{i}" for i, (name, _, _) in enumerate(_TOKENS) if name == "pem-base64")
_MIXED = frozenset(f"t{i}" for i, (_, _, mixed) in enumerate(_TOKENS) if mixed)


_RUN = re.compile(r"[\w+/=%~-]{16,}")
"""Every token above holds a run of 16 of these characters."""
_INNER_STARTS = re.compile(r"[+/=%~]")
_LEFT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-")
_LEFT_MAX = 48


def _starts(line: str, run: re.Match[str]) -> list[int]:
    """Where a token holding ``run`` may start: where a token may begin inside the run (its
    start, after ``+/=%~``), and in the marks with dots or colons before it (``SG.``,
    ``hvs.``, ``123456789:AA``, ``https://hooks.slack.com/``)."""
    lo = run.start()
    starts = [lo]
    starts.extend(m.end() for m in _INNER_STARTS.finditer(line, lo, run.end()))
    left = lo
    while left > 0 and lo - left < _LEFT_MAX and line[left - 1] in _LEFT_CHARS:
        left -= 1
    for i in range(left, lo):
        if i == left or line[i - 1] in ".:/":
            starts.append(i)
    return sorted(set(starts))


def _scan_tokens(line: str) -> list[Span]:
    found: list[Span] = []
    done = 0
    for run in _RUN.finditer(line):
        if run.end() <= done:
            continue
        for start in _starts(line, run):
            if start < done:
                continue
            m = _COMBINED.match(line, start)
            if m is None or (m.lastgroup in _MIXED and not _machine_made(m.group())):
                continue
            if m.lastgroup == _PEM_BASE64 and not _private_pem(m.group()):
                continue
            found.append(m.span())
            done = m.end()
    return found


def _private_pem(value: str) -> bool:
    """Base64 of a PEM block (a kubeconfig's ``client-key-data``): secret when a private key,
    public when a certificate."""
    try:
        head = base64.b64decode(value[:64] + "=" * (-len(value[:64]) % 4))
    except (binascii.Error, ValueError):
        return True
    return b"PRIVATE KEY" in head


TOKEN_RULE = Rule("provider-token", (), _scan_tokens)

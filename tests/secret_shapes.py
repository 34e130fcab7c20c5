"""Credential shapes in the syntaxes people write them in, each with a harmless neighbour.

Shared by the redaction table tests and `bench/secrets.py`. The values are made up here from a
seeded generator, in each provider's format, so no token-shaped literal lives in the repository
(and none is real). Each shape's `line` holds `secret`; its `neighbour` is code that looks alike
and must reach the model unchanged.
"""

from __future__ import annotations

import base64
import random
import string
from dataclasses import dataclass

_RNG = random.Random(11)
_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"
_B64 = string.ascii_letters + string.digits + "+/"


def _r(alphabet: str, n: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def _mixed(alphabet: str, n: int) -> str:
    """A random string holding at least one digit and one letter (as real tokens do)."""
    while True:
        value = _r(alphabet, n)
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def _password() -> str:
    return _r(string.ascii_letters, 5) + _r(string.digits, 3) + _RNG.choice("!#%+") + "x"


@dataclass(frozen=True)
class Shape:
    name: str
    file: str
    """The file it is written in (its syntax): app.py, client.ts, deploy.yaml, ..."""
    line: str
    secret: str
    neighbour: str


def _shapes() -> list[Shape]:
    s: list[Shape] = []

    def add(name: str, file: str, line: str, secret: str, neighbour: str) -> None:
        assert secret in line, name
        s.append(Shape(name, file, line, secret, neighbour))

    py = "app.py"
    v = "sk-proj-" + _mixed(_ALNUM + "_-", 48)
    add("openai", py, f'OPENAI_API_KEY = "{v}"', v, 'openai_model = "gpt-4o-mini"')
    v = "sk-ant-api03-" + _mixed(_ALNUM + "_-", 93) + "AA"
    add(
        "anthropic",
        py,
        f'client = Anthropic(api_key="{v}")',
        v,
        'client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])',
    )
    v = _mixed(_B64, 40)
    add("aws-secret-key", py, f'aws_secret_access_key = "{v}"', v, 'aws_region = "eu-west-1"')
    v = "AKIA" + _mixed(string.ascii_uppercase + "234567", 16)
    add("aws-access-key-id", py, f'aws_access_key_id = "{v}"', v, 'aws_profile = "default"')
    v = _password()
    add("db-pass", py, f'DB_PASS = "{v}"', v, 'DB_HOST = "db.internal"')
    v = _password()
    add(
        "password-kwarg",
        py,
        f'conn = psycopg.connect(user="app", password="{v}")',
        v,
        'conn = psycopg.connect(user="app", password=password)',
    )
    v = _r(string.ascii_letters, 4) + "/" + _r(string.digits, 3) + "@" + _r(string.ascii_letters, 4)
    add(
        "dsn-slash-at",
        py,
        f'DATABASE_URL = "postgresql://app:{v}@db.example.com:5432/app"',
        v,
        'DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/app")',
    )
    v = _mixed(_ALNUM + "!@%^*-_", 50)
    add(
        "env-default",
        py,
        f'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "{v}")',
        v,
        'DEBUG = os.environ.get("DJANGO_DEBUG", "false")',
    )
    v = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + _r(_B64, 64)
    add(
        "gcp-service-account",
        py,
        f'    "private_key": "-----BEGIN PRIVATE KEY-----\\n{v}\\n-----END PRIVATE KEY-----\\n",',
        v,
        '    "client_email": "deploy@project.iam.gserviceaccount.com",',
    )
    v = "hf_" + _r(string.ascii_letters, 34)
    add("huggingface", py, f'HF_TOKEN = "{v}"', v, 'hf_model = "bigcode/starcoder2-3b"')
    v = _r(_HEX, 32)
    add(
        "twilio-auth-token",
        py,
        f'TWILIO_AUTH_TOKEN = "{v}"',
        v,
        f'TWILIO_ACCOUNT_SID = "AC{_r(_HEX, 32)}"',
    )
    v = "SK" + _mixed(_HEX, 32)
    add("twilio-api-key", py, f'twilio_key_sid = "{v}"', v, 'twilio_region = "ie1"')
    v = str(_RNG.randint(10**8, 10**9)) + ":AA" + _r(_ALNUM + "_-", 33)
    add("telegram-bot", py, f'bot = telebot.TeleBot("{v}")', v, 'bot_name = "deploy_notifier_bot"')
    v = "M" + _mixed(_ALNUM, 25) + "." + _r(_ALNUM, 6) + "." + _mixed(_ALNUM + "_-", 27)
    add("discord-bot", py, f'client.run("{v}")', v, 'client.run(os.environ["DISCORD_TOKEN"])')
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(b'{"sub":"1234567890","name":"bench"}').decode().rstrip("=")
    v = f"{head}.{body}.{_r(_ALNUM + '_-', 43)}"
    add("jwt", py, f'session_jwt = "{v}"', v, 'jwt_algorithm = "HS256"')
    v = "sk_live_" + _mixed(_ALNUM, 24)
    add("stripe", py, f'stripe.api_key = "{v}"', v, 'stripe.api_version = "2024-06-20"')
    team, channel = _r(_HEX.upper(), 8), _r(_HEX.upper(), 8)
    v = f"https://hooks.slack.com/services/T{team}/B{channel}/{_r(_ALNUM, 24)}"
    add("slack-webhook", py, f'SLACK_WEBHOOK = "{v}"', v, 'SLACK_CHANNEL = "#deploys"')
    v = _r(_HEX, 64)
    add(
        "signing-key-hex",
        py,
        f'SIGNING_KEY = "{v}"',
        v,
        'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    )
    v = "-".join(_r(_HEX, n) for n in (8, 4, 4, 4, 12))
    add(
        "heroku-uuid-key",
        py,
        f'HEROKU_API_KEY = "{v}"',
        v,
        'request_id = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"',
    )
    v = _password()
    add(
        "password-compare",
        py,
        f'if password == "{v}":',
        v,
        'user = User(username="alice", password="test")',
    )

    v = (
        _r(string.ascii_lowercase, 7)
        + " "
        + _r(string.ascii_lowercase, 6)
        + " "
        + _r(string.ascii_lowercase, 8)
    )
    add(
        "passphrase",
        py,
        f'client.login(username="svc", password="{v}")',
        v,
        'client.login(username="svc", password=getpass("Password: "))',
    )
    v = _password()
    add(
        "auth-tuple",
        py,
        f'requests.get(url, auth=("deploy", "{v}"))',
        v,
        'requests.get(url, auth=("deploy", os.environ["DEPLOY_PASSWORD"]))',
    )
    v = _password()
    add(
        "define-pair",
        "settings.php",
        f"define('DB_PASSWORD', '{v}');",
        v,
        "define('DB_NAME', 'wordpress');",
    )

    ts = "client.ts"
    v = "AIza" + _r(_ALNUM + "_-", 35)
    add("google-api-key", ts, f'const apiKey = "{v}";', v, 'const apiVersion = "v1beta";')
    v = _mixed(_ALNUM, 40)
    add(
        "bearer-header",
        ts,
        f'  headers: {{ Authorization: "Bearer {v}" }},',
        v,
        "  headers: { Authorization: `Bearer ${token}` },",
    )
    v = base64.b64encode(f"admin:{_password()}".encode()).decode()
    add(
        "basic-header",
        ts,
        f'  "Authorization": "Basic {v}",',
        v,
        '  "Content-Type": "application/json",',
    )
    v = "SG." + _r(_ALNUM + "_-", 22) + "." + _r(_ALNUM + "_-", 43)
    add(
        "sendgrid",
        ts,
        f'sgMail.setApiKey("{v}");',
        v,
        "sgMail.setApiKey(process.env.SENDGRID_API_KEY);",
    )
    v = _mixed(_ALNUM, 32)
    add(
        "or-default",
        ts,
        f'const sessionSecret = process.env.SESSION_SECRET || "{v}";',
        v,
        'const port = process.env.PORT || "3000";',
    )
    v = "ghp_" + _mixed(_ALNUM, 36)
    add(
        "github-pat",
        ts,
        f'const octokit = new Octokit({{ auth: "{v}" }});',
        v,
        "const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });",
    )
    v = "key-" + _r(_HEX, 32)
    add(
        "mailgun",
        ts,
        f'const mg = mailgun.client({{ username: "api", key: "{v}" }});',
        v,
        'const mg = mailgun.client({ username: "api", url: "https://api.eu.mailgun.net" });',
    )
    v = "shpat_" + _r(_HEX, 32)
    add("shopify", ts, f'  accessToken: "{v}",', v, '  shopName: "my-shop",')
    v = _mixed(_ALNUM + "~._-", 40)
    add(
        "typed-client-secret",
        ts,
        f'  private readonly clientSecret: string = "{v}";',
        v,
        '  private readonly clientId: string = "web-dashboard";',
    )
    v = "hvs." + _r(_ALNUM + "_-", 95)
    add(
        "vault",
        ts,
        f'const vaultToken = "{v}";',
        v,
        'const vaultAddr = "https://vault.example.com:8200";',
    )
    v = "dapi" + _r(_HEX, 32)
    add(
        "databricks",
        ts,
        f'const DATABRICKS_TOKEN = "{v}";',
        v,
        'const DATABRICKS_HOST = "https://adb-1234567890.12.azuredatabricks.net";',
    )

    yml = "deploy.yaml"
    v = _password()
    add("yaml-password", yml, f"  password: {v}", v, "  username: deploy")
    v = _password()
    add("smtp-pass", yml, f'  SMTP_PASS: "{v}"', v, "  SMTP_HOST: smtp.example.com")
    v = base64.b64encode(_RNG.randbytes(32)).decode()
    add("encryption-key", yml, f"  ENCRYPTION_KEY: {v}", v, "  ENCRYPTION_ALGORITHM: aes-256-gcm")
    v = base64.b64encode(_RNG.randbytes(64)).decode()
    add(
        "azure-account-key",
        yml,
        "  connection_string: DefaultEndpointsProtocol=https;AccountName=acct;"
        f"AccountKey={v};EndpointSuffix=core.windows.net",
        v,
        "  container: uploads",
    )
    v = "glpat-" + _mixed(_ALNUM + "_-", 20)
    add("gitlab", yml, f"  GITLAB_TOKEN: {v}", v, "  GITLAB_URL: https://gitlab.example.com")
    v = "dckr_pat_" + _mixed(_ALNUM + "_-", 27)
    add("docker-pat", yml, f"  DOCKERHUB_TOKEN: {v}", v, "  DOCKERHUB_USER: ci-bot")
    v = "pypi-AgEIcHlwaS5vcmc" + _r(_ALNUM + "_-", 70)
    add("pypi", yml, f"  PYPI_API_TOKEN: {v}", v, "  PYPI_REPOSITORY: pypi")

    v = _password()
    add(
        "k8s-env-pair",
        yml,
        f"        - name: DB_PASSWORD\n          value: {v}",
        v,
        "        - name: DB_USER\n          value: app",
    )
    v = base64.b64encode(b"-----BEGIN RSA PRIVATE KEY-----\n" + _RNG.randbytes(48)).decode()
    add(
        "base64-private-key",
        yml,
        f"  tls.key: {v}",
        v[44:],  # what follows the header, which a certificate's base64 shares
        "  tls.crt: " + base64.b64encode(b"-----BEGIN CERTIFICATE-----\n" + bytes(48)).decode(),
    )

    ini = "settings.ini"
    v = _password()
    add("ini-password", ini, f"password = {v}", v, "user = reporting")
    v = _r(_HEX, 64)
    add("ini-signing-key", ini, f"signing_key = {v}", v, "signing_alg = HS512")
    v = _password()
    add("ini-dsn", ini, f"db_url = mysql://root:{v}@localhost/app", v, "pool_size = 10")
    v = _mixed(_B64, 40)
    add("ini-aws-secret", ini, f"aws_secret_access_key = {v}", v, "region = us-east-1")

    sh = "run.sh"
    v = _password()
    add("shell-db-pass", sh, f"export DB_PASS={v}", v, "export DB_NAME=orders")
    v = _password()
    add(
        "curl-user",
        sh,
        f"curl -u admin:{v} https://api.example.com/v1/status",
        v,
        'curl -u "$API_USER:$API_PASS" https://api.example.com/v1/status',
    )
    v = _mixed(_ALNUM, 40)
    add(
        "curl-bearer",
        sh,
        f'curl -H "Authorization: Bearer {v}" https://api.example.com',
        v,
        'curl -H "Accept: application/json" https://api.example.com',
    )
    v = _password()
    add(
        "mysql-p",
        sh,
        f"mysql -u root -p{v} orders < dump.sql",
        v,
        "mysql -u root -p orders < dump.sql",
    )
    v = _password()
    add("pgpassword", sh, f"PGPASSWORD={v} psql -h db -U app", v, "PGHOST=db psql -U app")
    v = _password()
    add(
        "cli-password-flag",
        sh,
        f"docker login -u ci --password {v} registry.example.com",
        v,
        "docker login -u ci --password-stdin registry.example.com",
    )

    docker = "Dockerfile"
    v = _mixed(_ALNUM, 32)
    add("dockerfile-env", docker, f"ENV API_TOKEN={v}", v, "ENV APP_HOME=/srv/app")
    v = _password()
    add("dockerfile-env-space", docker, f"ENV DB_PASSWORD {v}", v, "ENV DB_USER app")
    v = "npm_" + _r(_ALNUM, 36)
    add("dockerfile-arg-npm", docker, f"ARG NPM_TOKEN={v}", v, "ARG NODE_VERSION=20")
    v = "ghs_" + _mixed(_ALNUM, 36)
    add(
        "dockerfile-clone-token",
        docker,
        f"RUN git clone https://x-access-token:{v}@github.com/org/repo.git",
        v,
        "RUN git clone https://github.com/org/public-repo.git",
    )
    return s


SHAPES: tuple[Shape, ...] = tuple(_shapes())

# Lines that look like secrets to a careless eye and must reach the model unchanged.
NEIGHBOURS_ONLY: tuple[str, ...] = (
    "token = get_token()",
    'api_key = "${API_KEY}"',
    "secret = settings.SECRET_KEY",
    "self.password = password",
    "def authenticate(user, password):",
    'password_hash = "$2b$12$KIXQJ0uLpL5kQ9yD8u1hUe8nV2bZ7mQ6f4x3y2w1v0u9t8s7r6q5p"',
    '"integrity": "sha512-' + base64.b64encode(bytes(range(64))).decode() + '",',
    'commit = "9fceb02d0ae598e95dc970b74767f19372d61af8"',
    'user = User(username="alice", password="test")',
    'token: "<your token here>"',
    "password: ${DB_PASSWORD}",
    "max_tokens = 4096",
    'cache_key = f"user:{user_id}:profile"',
    "api_key: str | None = None",
    "    token (str): The token to use for the request.",
    'parser.add_argument("--token", help="API token to use")',
    'export API_TOKEN="$(vault read -field=token secret/ci)"',
    "ENV API_KEY=${API_KEY}",
    'primary_key = "id"',
    'public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0vYt7u9Bw0zO2xQ3m9k7l8j6h5g4f3d2s1a0"',
)


def _tokens() -> list[tuple[str, str]]:
    """One made-up token per provider format (gitleaks' common rules), standing alone."""
    a, h, up = _ALNUM, _HEX, string.ascii_uppercase + string.digits
    return [
        ("openai-project", "sk-proj-" + _mixed(a + "_-", 60)),
        ("deepseek", "sk-" + _mixed(h, 32)),
        ("openrouter", "sk-or-v1-" + _mixed(h, 64)),
        ("github-oauth", "gho_" + _mixed(a, 36)),
        ("github-app", "ghs_" + _mixed(a, 36)),
        ("github-fine-grained", "github_pat_11" + _mixed(up, 20) + "_" + _mixed(a, 59)),
        ("gitlab-runner", "glrt-" + _mixed(a + "_-", 20)),
        ("aws-session-key-id", "ASIA" + _mixed(string.ascii_uppercase + "234567", 16)),
        (
            "slack-bot",
            "xoxb-" + _r(string.digits, 12) + "-" + _r(string.digits, 12) + "-" + _r(a, 24),
        ),
        ("slack-app", "xapp-1-A" + _r(up, 10) + "-" + _r(string.digits, 13) + "-" + _r(h, 64)),
        ("google-oauth-secret", "GOCSPX-" + _mixed(a + "_-", 28)),
        ("stripe-restricted", "rk_live_" + _mixed(a, 24)),
        ("stripe-webhook", "whsec_" + _mixed(a, 32)),
        ("npm", "npm_" + _mixed(a, 36)),
        ("huggingface-org", "api_org_" + _r(string.ascii_letters, 34)),
        ("vault-batch", "hvb." + _mixed(a + "_-", 140)),
        ("vault-legacy", "s." + _mixed(a, 24)),
        ("databricks-suffixed", "dapi" + _mixed(h, 32) + "-2"),
        ("mailchimp", _mixed(h, 32) + "-us14"),
        ("shopify-shared-secret", "shpss_" + _mixed(h, 32)),
        ("docker-oat", "dckr_oat_" + _mixed(a + "_-", 32)),
        ("digitalocean", "dop_v1_" + _mixed(h, 64)),
        ("doppler", "dp.pt." + _mixed(a, 43)),
        ("dynatrace", "dt0c01." + _mixed(up, 24) + "." + _mixed(up, 64)),
        ("linear", "lin_api_" + _mixed(a, 40)),
        ("notion", "ntn_" + _r(string.digits, 11) + _mixed(a, 35)),
        ("perplexity", "pplx-" + _mixed(a, 48)),
        ("groq", "gsk_" + _mixed(a, 52)),
        ("xai", "xai-" + _mixed(a, 80)),
        ("replicate", "r8_" + _mixed(a, 37)),
        ("postman", "PMAK-" + _mixed(h, 24) + "-" + _mixed(h, 34)),
        ("pulumi", "pul-" + _mixed(h, 40)),
        ("sentry-user", "sntryu_" + _mixed(h, 64)),
        ("grafana-cloud", "glc_" + _mixed(a, 48)),
        ("grafana-service-account", "glsa_" + _mixed(a, 32) + "_" + _mixed(h, 8)),
        ("heroku-v2", "HRKU-AA" + _mixed(a + "_-", 58)),
        ("age", "AGE-SECRET-KEY-1" + _mixed(up, 58)),
        ("alibaba", "LTAI" + _mixed(a, 20)),
        ("azure-ad-client-secret", _r(a, 3) + "8Q~" + _mixed(a + "_~.-", 34)),
        ("square", "sq0atp-" + _mixed(a + "_-", 22)),
        ("planetscale", "pscale_tkn_" + _mixed(a + "_", 43)),
        ("fly", "fo1_" + _mixed(a + "_-", 43)),
        ("new-relic", "NRAK-" + _mixed(up, 27)),
        ("rubygems", "rubygems_" + _mixed(h, 48)),
        ("sendinblue", "xkeysib-" + _mixed(h, 64) + "-" + _mixed(a, 16)),
        ("shippo", "shippo_live_" + _mixed(h, 40)),
        ("openshift", "sha256~" + _mixed(a + "_-", 43)),
        ("clickhouse", "4b1d" + _mixed(a, 38)),
        ("facebook", "EAAC" + _mixed(a, 120)),
        ("atlassian", "ATATT3" + _mixed(a + "_-", 180)),
        ("twilio-api-key", "SK" + _mixed(h, 32)),
        (
            "azure-sas",
            "https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=" + _mixed(a + "%", 44),
        ),
        (
            "teams-webhook",
            "https://acme.webhook.office.com/webhookb2/"
            + "-".join(_r(h, n) for n in (8, 4, 4, 4, 12))
            + "/IncomingWebhook/"
            + _r(h, 32),
        ),
        ("discord-webhook", "https://discord.com/api/webhooks/1234567890/" + _mixed(a + "_-", 68)),
    ]


def _secret_part(token: str) -> str:
    """The secret in a token; in a URL (a signed link, a webhook) its last segment."""
    return token.rsplit("=", 1)[-1].rsplit("/", 1)[-1] if "://" in token else token


TOKENS: tuple[tuple[str, str, str], ...] = tuple(
    (name, token, _secret_part(token)) for name, token in _tokens()
)
"""(provider, the token as written, the part of it that is secret)."""

"""Python definitions from other files are offered only where the cursor's names can mean them."""

from pathlib import Path

from seed_lsp.context.imports import python_imported_names
from seed_lsp.syntax.definitions import extract_definitions
from tests.unit.context.harness import EngineHarness

SERVICE = """import logging

log = logging.getLogger(__name__)


def complete(session):
    def request(x):
        return x

    def result(y):
        return y

    return result(request(session))


def advance(text):
    return text


class Cache:
    def lookup(self, key):
        return key

    def request(self):
        return None
"""

CALLER = """import logging

from svc import advance

log = logging.getLogger(__name__)


async def handle(params):
    request = params.request
    result = advance(request)
    hit = params.cache.lookup(result)
    log.info("done %s", hit)
    return result
"""


def _gather(tmp_path: Path, open_service: bool) -> set[str]:
    (tmp_path / "svc.py").write_text(SERVICE)
    (tmp_path / "main.py").write_text(CALLER)
    engine = EngineHarness(tmp_path)
    uri = (tmp_path / "main.py").as_uri()
    engine.open_document(uri, CALLER, "python")
    if open_service:
        engine.open_document((tmp_path / "svc.py").as_uri(), SERVICE, "python")
    b = engine.gather(uri, (12, 0), None, 4000, "fim")
    return {s.reason for s in b.snippets}


def test_nested_functions_are_local() -> None:
    defs = extract_definitions(SERVICE, SERVICE.split("\n"), "python")
    kinds = {(d.name, d.container): d.kind for d in defs}
    assert kinds[("request", "")] == "local"
    assert kinds[("result", "")] == "local"
    assert kinds[("complete", "")] == "def"
    assert kinds[("request", "Cache")] == "method"


def test_only_what_the_names_can_mean(tmp_path: Path) -> None:
    for open_service in (False, True):
        reasons = _gather(tmp_path, open_service)
        assert "definition of advance" in reasons
        assert "definition of Cache.lookup" in reasons  # used as an attribute
        # A local variable named like another module's nested function or method.
        assert "definition of request" not in reasons
        assert "definition of result" not in reasons
        assert "definition of Cache.request" in reasons  # `params.request` is an attribute
        # The module-level logger of another file.
        assert "definition of log" not in reasons
        assert "definition of complete" not in reasons


def test_python_imported_names() -> None:
    text = "import os.path\nimport numpy as np\nfrom a.b import (c, d as e)\nfrom f import *\n"
    assert python_imported_names(text) == {"os", "np", "c", "e"}

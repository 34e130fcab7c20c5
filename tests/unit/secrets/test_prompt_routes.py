"""Text that reaches a prompt besides the document: a diagnostic quoting the secret it warns
about gets the same mask as the document's copy, and the edit still writes the real value."""

from __future__ import annotations

from pathlib import Path

import pytest

from seed_lsp.config import CodeActionSettings
from seed_lsp.edits import Diagnostic, Location, Range, RelatedInformation
from seed_lsp.features.requests import edit_for
from tests.unit.actions.fake_backend import FakeBackend, reply
from tests.unit.context.harness import EngineHarness

SECRET = "Wq7pZ2kLm9"
DOC = f'def connect():\n    password = "{SECRET}"\n    return open_db(password)\n'


async def test_a_diagnostic_quoting_a_secret_is_masked(tmp_path: Path) -> None:
    uri = (tmp_path / "db.py").as_uri()
    h = EngineHarness(tmp_path)
    h.open_document(uri, DOC, "python")
    snap = h.store.snapshot(uri)
    assert snap is not None
    related = RelatedInformation(Location(uri, Range.of(1, 4, 1, 12)), f"value '{SECRET}' here")
    diagnostic = Diagnostic(
        Range.of(1, 15, 1, 25),
        f"B105 Possible hardcoded password: '{SECRET}'",
        severity=2,
        source="bandit",
        related_information=(related,),
    )
    answer = '```python\n    password = os.environ.get("DB_PASSWORD", "<redacted-1>")\n```'
    backend = FakeBackend().enqueue(reply(answer))
    result = await edit_for(
        backend,
        h.engine,
        snap,
        action="fix",
        range_=Range.of(1, 15, 1, 25),
        diagnostic=diagnostic,
        settings=CodeActionSettings(),
    )
    prompt = "\n".join(m.content for m in backend.requests[0].messages)
    assert SECRET not in prompt
    assert "Possible hardcoded password: '<redacted-1>'" in prompt
    assert SECRET in result.new_text  # the edit gives the value back


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (f"define('DB_PASSWORD', '{SECRET}');", 2),  # on the call: its whole expression
        (f'password = "{SECRET}"', 13),  # on the value: a string alone says nothing
        ("x = 1; " * 40 + f'api_token = "tok_{SECRET}abc123"', 283),  # a line cut around it
        (f"- name: DB_PASSWORD\n  value: {SECRET}", (1, 12)),  # the name on the line above
    ],
)
async def test_a_hover_never_sends_a_secret_under_or_near_the_cursor(
    line: str, column: int | tuple[int, int]
) -> None:
    from seed_lsp.config import HoverSettings
    from seed_lsp.context import ContextEngine
    from seed_lsp.documents import DocumentStore
    from seed_lsp.features.hover import HoverService, hover_for
    from seed_lsp.text import Position

    store = DocumentStore()
    snap = store.open("file:///w/settings.php", "php", 1, f"{line}\nx = 2\n").snapshot()
    backend = FakeBackend().enqueue(reply("It defines a constant."))
    await hover_for(
        backend,
        ContextEngine(None, store),
        HoverService(),
        snap,
        position=Position(*column) if isinstance(column, tuple) else Position(0, column),
        mode="on",
        settings=HoverSettings(),
    )
    (request,) = backend.requests
    assert SECRET not in "\n".join(m.content for m in request.messages)

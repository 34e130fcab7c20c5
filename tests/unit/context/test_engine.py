"""ContextEngine: budgets, cursor region, determinism, ranking, exclusion, redaction."""

from pathlib import Path

import pytest

from seed_lsp.context.layout import render_context, render_snippets
from seed_lsp.context.tokens import raw_estimate
from tests.unit.context.harness import EngineHarness

UTIL = '''API_KEY = "sk-abcdefghijklmnopqrstuvwx1234"


def compute_total(items, tax):
    """Sum with tax."""
    return sum(items) * (1 + tax)


class Cart:
    def add(self, x):
        self.items.append(x)
'''

MAIN = """from pkg.util import compute_total, Cart


def run():
    c = Cart()
    total = compute_total([1, 2], 0.2)
    password = "hunter2secret"
    return total
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "util.py").write_text(UTIL)
    (tmp_path / "main.py").write_text(MAIN)
    return tmp_path


def _engine(ws: Path, **kw: object) -> tuple[EngineHarness, str]:
    engine = EngineHarness(ws, **kw)
    uri = (ws / "main.py").as_uri()
    engine.open_document(uri, MAIN, "python")
    return engine, uri


def test_definitions_from_disk_are_included(ws: Path) -> None:
    engine, uri = _engine(ws)
    b = engine.gather(uri, (6, 0), None, 2000, "fim")
    reasons = {s.reason for s in b.snippets}
    assert "definition of compute_total" in reasons
    assert "definition of Cart" in reasons
    snip = next(s for s in b.snippets if s.reason == "definition of compute_total")
    assert snip.path == "pkg/util.py"
    assert (snip.start_line, snip.end_line) == (4, 6)
    assert "# pkg/util.py:L4-L6 (definition of compute_total)" in render_snippets(b)


def test_cursor_split_and_redaction_of_current_document(ws: Path) -> None:
    engine, uri = _engine(ws)
    b = engine.gather(uri, (6, 4), None, 2000, "fim")
    assert b.prefix.endswith("\n    ")
    assert b.suffix.startswith('password = "<redacted>"')
    assert "hunter2secret" not in render_context(b)
    assert b.scope == (3, 8)


def test_never_over_budget_and_cursor_region_present(ws: Path) -> None:
    big = "\n".join(f"value_{i} = compute_total([{i}], 0.{i % 10})" for i in range(3000))
    engine, uri = _engine(ws)
    engine.update_document(uri, big)
    for budget in (50, 200, 1000, 4000):
        for line in (0, 1500, 2999):
            b = engine.gather(uri, (line, 5), None, budget, "fim")
            rendered = render_context(b)
            assert raw_estimate(rendered) <= budget * 1.05 + 60, (budget, line)
            assert b.estimated_tokens <= budget + 60
            cur = big.split("\n")[line]
            assert b.prefix.endswith(cur[:5])
            assert cur[5:].startswith(b.suffix.split("\n")[0])
            if budget >= 200:
                assert b.suffix.startswith(cur[5:])


def test_budget_clamped_to_context_window(ws: Path) -> None:
    engine, uri = _engine(ws, context_window=1000, max_tokens=500, reserve_tokens=100)
    b = engine.gather(uri, (3, 0), None, 100_000, "fim")
    assert b.budget_tokens == 400


def test_deterministic_byte_identical(ws: Path) -> None:
    e1, uri = _engine(ws)
    e2, _ = _engine(ws)
    a = render_context(e1.gather(uri, (6, 4), None, 2000, "fim"))
    b = render_context(e1.gather(uri, (6, 4), None, 2000, "fim"))
    c = render_context(e2.gather(uri, (6, 4), None, 2000, "fim"))
    assert a == b == c


def test_typing_keeps_a_long_shared_prefix(ws: Path) -> None:
    body = "".join(f"def step_{i}(x):\n    return compute_total([x], {i})\n\n" for i in range(400))
    engine, uri = _engine(ws)
    lines = body.split("\n")
    line = 600
    prev = ""
    for typed in ("    t", "    to", "    tot", "    tota", "    total"):
        lines[line] = typed
        text = "\n".join(lines)
        engine.update_document(uri, text)
        prompt = render_context(engine.gather(uri, (line, len(typed)), None, 3000, "fim"))
        if prev:
            shared = 0
            while shared < min(len(prev), len(prompt)) and prev[shared] == prompt[shared]:
                shared += 1
            assert shared / len(prompt) >= 0.8
        prev = prompt


def test_edit_mode_target_is_enclosing_function(ws: Path) -> None:
    engine, uri = _engine(ws)
    b = engine.gather(uri, (5, 4), None, 4000, "edit")
    assert b.target == (3, 8)
    assert b.selection.startswith("def run():")
    assert 'password = "<redacted>"' in b.selection


def test_edit_mode_selection(ws: Path) -> None:
    engine, uri = _engine(ws)
    b = engine.gather(uri, (4, 2), (6, 0), 4000, "explain")
    assert b.target == (4, 6)
    assert b.selection == "    c = Cart()\n    total = compute_total([1, 2], 0.2)\n"


def test_excluded_current_document_sends_nothing(ws: Path) -> None:
    engine = EngineHarness(ws)
    uri = (ws / ".env").as_uri()
    engine.open_document(uri, "TOKEN=abc", "dotenv")
    b = engine.gather(uri, (0, 3), None, 1000, "fim")
    assert b.excluded and b.prefix == "" and b.suffix == "" and b.snippets == ()


def test_excluded_and_gitignored_files_are_never_snippets(ws: Path) -> None:
    (ws / ".gitignore").write_text("pkg/util.py\n")
    engine, uri = _engine(ws)
    b = engine.gather(uri, (6, 0), None, 2000, "fim")
    assert all(s.path != "pkg/util.py" for s in b.snippets)
    # Even when it is open in the editor.
    engine.open_document((ws / "pkg" / "util.py").as_uri(), UTIL, "python")
    b = engine.gather(uri, (6, 0), None, 2000, "fim")
    assert all(s.path != "pkg/util.py" for s in b.snippets)


def test_snippets_are_redacted(ws: Path) -> None:
    engine, uri = _engine(ws)
    text = MAIN.replace("total = compute_total", "total = API_KEY and compute_total").replace(
        "import compute_total", "import API_KEY, compute_total"
    )
    engine.update_document(uri, text)
    b = engine.gather(uri, (6, 0), None, 2000, "fim")
    rendered = render_context(b)
    assert "definition of API_KEY" in rendered
    assert "sk-abcdefghijklmnopqrstuvwx1234" not in rendered


def test_open_documents_and_similarity_rank(ws: Path) -> None:
    engine, uri = _engine(ws)
    # Inline completion only takes windows that are quite similar (Jaccard >= 0.3): this one
    # shares most names of the lines above the cursor.
    other = "\n".join(["def unrelated():", "    pass"] * 30) + (
        "\ndef render_invoice(order, customer):\n    c = Cart()\n"
        "    total = compute_total([order], 0.2)\n    password = customer\n"
        "    return format_invoice(order, customer, total, c)\n"
    )
    engine.open_document((ws / "other.py").as_uri(), other, "python")
    text = MAIN + "\ndef draft(order, customer):\n    x = format_invoice(order, customer)\n\n"
    engine.update_document(uri, text)
    lines = text.split("\n")
    b = engine.gather(uri, (len(lines) - 2, 0), None, 3000, "fim")
    similar = [s for s in b.snippets if s.path == "other.py"]
    assert similar and "render_invoice" in similar[0].text


def test_recently_edited_document_wins_ties(ws: Path) -> None:
    engine, uri = _engine(ws)
    a_uri, b_uri = (ws / "a.py").as_uri(), (ws / "b.py").as_uri()
    engine.open_document(a_uri, "def shared_helper():\n    return 'a'\n", "python")
    engine.open_document(b_uri, "def shared_helper():\n    return 'b'\n", "python")
    engine.update_document(b_uri, "def shared_helper():\n    return 'bb'\n")
    text = "x = shared_helper()\n"
    engine.update_document(uri, text)
    b = engine.gather(uri, (0, 0), None, 200, "fim")
    defs = [s for s in b.snippets if s.reason == "definition of shared_helper"]
    assert (defs and defs[0].path == "b.py") or (len(defs) == 2 and "bb" in defs[1].text)


def test_lazy_imports() -> None:
    import subprocess
    import sys

    code = "import sys, seed_lsp.context; print('tree_sitter' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_snapshot_outlives_its_document(ws: Path) -> None:
    engine, uri = _engine(ws)
    snap = engine.store.snapshot(uri)
    assert snap is not None
    engine.close_document(uri)
    b = engine.engine.gather(snap, (6, 0), budget=2000, max_tokens=256)
    assert b.prefix and b.path == "main.py"


def test_set_options_reapplies_exclusions(ws: Path) -> None:
    engine, uri = _engine(ws)
    engine.configure(exclude=["main.py"])
    assert engine.gather(uri, (0, 0), None, 500, "fim").excluded


def test_settings_that_do_not_touch_the_context_keep_the_index(ws: Path) -> None:
    """Settings are applied again when the endpoint is discovered (its context window) and
    whenever the client sends its configuration: that must not throw the workspace away."""
    engine, uri = _engine(ws)
    engine.gather(uri, (6, 0), None, 2000, "fim")
    index = engine.engine._index
    generation = index.generation
    engine.configure(context_window=64_000)  # another model, as discovery reports it
    engine.configure(context_window=64_000)  # the same configuration again
    assert engine.engine._index is index and index.generation == generation
    engine.configure(context_window=64_000, exclude=["notes/**"])
    assert engine.engine._index is not index  # read again under the new exclusions


def test_minified_line_within_budget(tmp_path: Path) -> None:
    text = "var a=1;" * 250_000
    engine = EngineHarness(tmp_path)
    uri = (tmp_path / "m.js").as_uri()
    engine.open_document(uri, text, "javascript")
    prompts = []
    for col in (0, 1_000_000, 1_000_001, len(text)):
        b = engine.gather(uri, (0, col), None, None, "fim")
        assert b.estimated_tokens <= b.budget_tokens
        assert raw_estimate(render_context(b)) <= b.budget_tokens
        prompts.append(b.prefix)
    # A keystroke later the cut line starts at the same place (prompt cache).
    assert prompts[1][:100] == prompts[2][:100]
    for mode in ("explain", "hover"):
        b = engine.gather(uri, (0, 1_000_000), None, None, mode)  # type: ignore[arg-type]
        assert b.estimated_tokens <= b.budget_tokens

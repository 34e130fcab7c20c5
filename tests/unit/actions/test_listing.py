"""Listing code actions: kinds, `only` filtering, one fix per diagnostic, no model call, speed."""

from __future__ import annotations

import json
import statistics
import time

import pytest

from seed_lsp.edits import Diagnostic, Location, Range, RelatedInformation
from seed_lsp.errors import InvalidParams
from seed_lsp.features.actions import (
    KIND_EXPLAIN,
    KIND_EXTRACT_FUNCTION,
    KIND_FIX,
    ActionData,
    kind_matches,
    list_code_actions,
)

from .samples import PY, big_python

URI = "file:///w/store.py"


def _list(**overrides: object) -> list:  # type: ignore[type-arg]
    args: dict[str, object] = {
        "uri": URI,
        "version": 7,
        "text": PY,
        "language_id": "python",
        "range": Range.of(9, 4, 9, 4),
        "diagnostics": [],
        "only": None,
    }
    args.update(overrides)
    return list_code_actions(**args)  # type: ignore[arg-type]


def _diag(line: int, message: str, **kw: object) -> Diagnostic:
    return Diagnostic(Range.of(line, 0, line, 4), message, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "only", "expected"),
    [
        ("refactor.rewrite.seed.simplify", None, True),
        ("refactor.rewrite.seed.simplify", ["refactor"], True),
        ("refactor.rewrite.seed.simplify", ["refactor.rewrite"], True),
        ("refactor.rewrite.seed.simplify", ["refactor.extract"], False),
        ("refactor.rewrite.seed.simplify", ["refactor.rewr"], False),  # prefix by segment
        ("quickfix", ["quickfix"], True),
        ("quickfix", ["quickfix.seed"], False),
        ("quickfix", ["source", "quickfix"], True),
        ("quickfix", [""], True),  # the empty kind admits everything
        ("quickfix", [], False),
    ],
)
def test_kind_matches(kind: str, only: list[str] | None, expected: bool) -> None:
    assert kind_matches(kind, only) is expected


def test_empty_selection_lists_explain_and_refactors_for_the_enclosing_function() -> None:
    specs = _list()
    assert [s.action for s in specs] == ["explain", "simplify", "typeHints", "docstring", "names"]
    assert specs[0].title == "Seed: Explain `load`"
    assert specs[0].kind == KIND_EXPLAIN
    assert all(s.kind.startswith("refactor.") for s in specs)


def test_selection_adds_extract_function() -> None:
    specs = _list(range=Range.of(8, 8, 11, 9))
    extract = [s for s in specs if s.action == "extractFunction"]
    assert len(extract) == 1 and extract[0].kind == KIND_EXTRACT_FUNCTION
    assert specs[0].title == "Seed: Explain selection"


def test_type_hints_only_for_languages_that_have_them() -> None:
    assert "typeHints" not in [s.action for s in _list(language_id="go")]
    assert "typeHints" in [s.action for s in _list(language_id="typescript")]


def test_docstring_title_follows_the_language() -> None:
    titles = [s.title for s in _list(language_id="rust", scope_finder=lambda line: (7, 15))]
    assert "Seed: Add doc comment to `load`" in titles


def test_one_fix_per_diagnostic_first_and_deduplicated() -> None:
    d1 = _diag(9, "Undefined name `read`", severity=1, source="ruff", code="F821")
    d2 = _diag(10, "x" * 200 + "\nsecond line", severity=2, source="pyright")
    specs = _list(diagnostics=[d1, d2, d1])
    fixes = [s for s in specs if s.kind == KIND_FIX]
    assert [f.diagnostics for f in fixes] == [(d1,), (d2,)]
    assert fixes[0].title == 'Seed: Fix "Undefined name `read`"'
    assert fixes[1].title.endswith('…"') and len(fixes[1].title) < 80
    assert specs[: len(fixes)] == fixes
    assert not any(f.is_preferred for f in fixes)


def test_fixes_are_capped() -> None:
    diags = [_diag(i % 20, f"problem {i}") for i in range(50)]
    assert len(_list(diagnostics=diags, only=["quickfix"])) == 20


@pytest.mark.parametrize(
    ("only", "actions"),
    [
        (["quickfix"], ["fix"]),
        (["refactor.extract"], []),
        (["refactor.rewrite"], ["simplify", "typeHints", "docstring", "names"]),
        (["refactor.seed"], ["explain"]),
        (["source"], []),
        (["source.organizeImports"], []),
    ],
)
def test_only_filters_by_prefix(only: list[str], actions: list[str]) -> None:
    specs = _list(diagnostics=[_diag(9, "bad")], only=only)
    assert [s.action for s in specs] == actions


def test_automatic_trigger_with_empty_selection_lists_only_fixes() -> None:
    assert _list(automatic=True) == []
    assert [s.action for s in _list(automatic=True, diagnostics=[_diag(9, "bad")])] == ["fix"]
    assert _list(automatic=True, range=Range.of(8, 0, 9, 3)) != []


def test_data_is_json_and_round_trips() -> None:
    related = RelatedInformation(Location("file:///w/a.py", Range.of(1, 0, 1, 3)), "defined here")
    d = _diag(9, "bad", severity=1, code=42, source="mypy", related_information=(related,))
    for spec in _list(diagnostics=[d]):
        wire = json.loads(json.dumps(spec.data))
        data = ActionData.from_json(wire)
        assert data.uri == URI and data.version == 7 and data.action == spec.action
        assert data.range == Range.of(9, 4, 9, 4)
        if spec.action == "fix":
            assert data.diagnostic == d


@pytest.mark.parametrize(
    "bad",
    [
        None,
        {},
        {"seed": 2, "uri": URI, "action": "explain", "range": Range.of(0, 0, 0, 0).to_json()},
        {"seed": 1, "uri": URI, "action": "nope", "range": Range.of(0, 0, 0, 0).to_json()},
        {"seed": 1, "uri": URI, "action": "fix", "range": Range.of(0, 0, 0, 0).to_json()},
        {"seed": 1, "uri": URI, "action": "explain", "range": {"start": {}, "end": {}}},
        {"seed": 1, "uri": "", "action": "explain", "range": Range.of(0, 0, 0, 0).to_json()},
    ],
)
def test_bad_data_is_refused(bad: object) -> None:
    with pytest.raises(InvalidParams):
        ActionData.from_json(bad)


def test_listing_calls_the_scope_finder_at_most_once() -> None:
    calls: list[int] = []

    def finder(line: int) -> tuple[int, int] | None:
        calls.append(line)
        return None

    _list(scope_finder=finder, diagnostics=[_diag(9, "a"), _diag(10, "b")])
    assert len(calls) <= 1
    calls.clear()
    _list(scope_finder=finder, only=["quickfix"], diagnostics=[_diag(9, "a")])
    assert calls == []


def test_empty_document() -> None:
    assert _list(text="", range=Range.of(0, 0, 0, 0)) == []


def test_listing_is_cheap_on_a_big_document() -> None:
    text = big_python(1000)
    assert text.count("\n") >= 10_000
    diags = [_diag(5000 + i, f"problem {i}", source="ruff") for i in range(50)]
    times = []
    for i in range(30):
        line = 5000 + i * 7
        t0 = time.perf_counter()
        specs = list_code_actions(
            uri=URI,
            version=1,
            text=text,
            language_id="python",
            range=Range.of(line, 4, line, 4),
            diagnostics=diags,
            only=None,
        )
        times.append(time.perf_counter() - t0)
        assert len(specs) > 20
    assert statistics.median(times) < 0.005, statistics.median(times)

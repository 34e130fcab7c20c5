"""What the cursor may use next: the cursor's receiver, what it refers to, the ranking of its
candidates, and the budget step that turns them into whole definitions or signatures."""

from pathlib import Path

import pytest

from seed_lsp.context.budget import doc_skip, select
from seed_lsp.context.candidates import Candidate
from seed_lsp.context.infer import cursor_at
from seed_lsp.context.layout import render_snippets
from tests.unit.context.harness import EngineHarness


@pytest.mark.parametrize(
    ("line", "col", "receiver", "partial", "after_dot", "line_ends"),
    [
        ("    click.", 10, "click", "", True, True),
        ("    click.ec", 12, "click", "ec", True, True),
        ("x = self.app.", 13, "self.app", "", True, True),
        ("a?.b . ", 7, "a.b", "", True, True),
        ("f(x).", 5, "", "", True, True),  # after a call: no plain chain to resolve
        ("y = 1.", 6, "", "", False, True),  # a number
        ("foo(", 4, "", "", False, True),
        ("foo()", 4, "", "", False, True),  # only closers follow
        ("foo(bar)", 4, "", "", False, False),  # code follows: an existing line
    ],
)
def test_cursor(
    line: str, col: int, receiver: str, partial: str, after_dot: bool, line_ends: bool
) -> None:
    c = cursor_at(line, col)
    assert (c.receiver, c.partial, c.after_dot, c.line_ends) == (
        receiver,
        partial,
        after_dot,
        line_ends,
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


LIB = {
    "pkg/__init__.py": "",
    "pkg/models.py": (
        "class Base:\n    def save(self): ...\n\n\n"
        "class Widget(Base):\n    def __init__(self, size: int) -> None:\n"
        "        self.size = size\n\n    def grow(self, by: int) -> 'Widget': ...\n\n\n"
        "def make() -> Widget:\n    return Widget(1)\n"
    ),
    "tests/conftest.py": (
        "import pytest\nfrom pkg.models import Widget\n\n\n"
        "@pytest.fixture\ndef widget():\n    return Widget(2)\n"
    ),
}


MEMBERS = ("def grow(", "self.size = size", "def save(")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("class Mine(Widget):\n    def go(self):\n        self.", MEMBERS),  # bases included
        ("def f(w: Widget):\n    w.", MEMBERS),  # a parameter's annotation
        ("w = Widget(3)\nw.", MEMBERS),  # a constructor call
        ("w = make()\nw.", MEMBERS),  # a function's return annotation
        ("def f(x):\n    if isinstance(x, Widget):\n        x.", MEMBERS),
        ("def test_it(widget):\n    widget.", MEMBERS),  # a pytest fixture in conftest.py
        ("models.", ("class Base:", "class Widget(Base):", "def make() -> Widget:")),
    ],
)
def test_members_of_what_the_receiver_is(
    tmp_path: Path, body: str, expected: tuple[str, ...]
) -> None:
    _write(tmp_path, LIB)
    text = "from pkg.models import Widget, make\nfrom pkg import models\n\n\n" + body
    h = EngineHarness(tmp_path)
    uri = (tmp_path / "tests/test_it.py").as_uri()
    h.open_document(uri, text, "python")
    lines = text.split("\n")
    line = len(lines) - 1
    sent = render_snippets(h.gather(uri, (line, len(lines[line]))))
    assert all(x in sent for x in expected), sent


def test_members_ranked_by_use_whole_for_the_best(tmp_path: Path) -> None:
    funcs = "".join(f"def f{i}(a, b):\n    return a + b + {i}\n\n\n" for i in range(40))
    _write(tmp_path, {"m.py": funcs})
    uses = "".join(f"m.f7({i}, 1)\n" for i in range(5)) + "m.f3(1, 2)\n"
    text = "import m\n\n" + uses + "m."
    h = EngineHarness(tmp_path)
    uri = (tmp_path / "main.py").as_uri()
    h.open_document(uri, text, "python")
    b = h.gather(uri, (len(text.split("\n")) - 1, 2), budget=2000)
    reasons = [s.reason for s in b.snippets]
    assert "definition of m.f7" in reasons and "definition of m.f3" in reasons
    assert any(r.startswith("signature of m.f") for r in reasons)  # the rest: signatures
    assert sum(r.startswith("definition of m.") for r in reasons) <= 3


def test_same_candidates_while_a_member_is_typed(tmp_path: Path) -> None:
    funcs = "".join(f"def f{i}():\n    pass\n\n\n" for i in range(30))
    _write(tmp_path, {"m.py": funcs})
    h = EngineHarness(tmp_path)
    uri = (tmp_path / "main.py").as_uri()
    h.open_document(uri, "import m\n\nm.", "python")
    seen = []
    for typed in ("", "f", "f1", "f12"):
        h.update_document(uri, "import m\n\nm." + typed)
        seen.append(h.gather(uri, (2, 2 + len(typed))).snippets)
    assert all(s == seen[0] for s in seen)


def test_expression_start_offers_imported_names_only_where_the_line_ends(tmp_path: Path) -> None:
    _write(tmp_path, {"lib.py": 'def helper(a, b):\n    """Add."""\n    return a + b\n'})
    h = EngineHarness(tmp_path)
    uri = (tmp_path / "main.py").as_uri()
    head = "from lib import helper\n" + "\n" * 80  # far from the cursor: not "nearby"
    h.open_document(uri, head + "x = ", "python")
    assert "signature of helper" in {s.reason for s in h.gather(uri, (81, 4)).snippets}
    h.update_document(uri, head + "x = 1 + y")
    assert not h.gather(uri, (81, 4)).snippets  # code goes on after the cursor


def _candidate(name: str, score: float, lines: int, anticipated: bool = True) -> Candidate:
    text = [f"def {name}():"] + ["    x = 1"] * (lines - 1)
    return Candidate(
        score, f"{name}.py", text, 0, lines, (0, 1), name, name, True, False, anticipated
    )


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        # Plenty: the best three anticipated whole, the others as signatures; a name written
        # near the cursor is whole whatever the quota.
        (10_000, {"a": True, "b": True, "c": True, "d": False, "e": False, "near": True}),
        # Tight: what does not fit whole falls back to its signature, then nothing fits.
        (60, {"near": True, "a": False}),
        (0, {}),
    ],
)
def test_budget_step(budget: int, expected: dict[str, bool]) -> None:
    candidates = [
        _candidate(n, s, 10) for n, s in (("a", 9), ("b", 8), ("c", 7), ("d", 6), ("e", 5))
    ]
    candidates.append(_candidate("near", 10, 5, anticipated=False))
    chosen = select(candidates, budget, lambda line: len(line.split()) + 1, 3, 40)
    got = {c.candidate.label: c.whole for c in chosen}
    assert got == expected


DOC_CLASS = [
    "class Command:",
    '    """Runs a command.',
    "",
    "    :param name: its name.",
    "    :param help: its help.",
    "    :param epilog: shown last.",
    '    """',
    "",
    "    def __init__(self, name):",
    "        self.name = name",
]


@pytest.mark.parametrize(
    ("lines", "skip"),
    [
        (DOC_CLASS, (4, 6)),  # keeps three docstring lines, then its closing line
        (DOC_CLASS[:1] + DOC_CLASS[6:], None),  # no docstring
        (["def f():", '    """One line."""', "    return 1"], None),
        (["def f():", '    """Two', '    lines."""', "    return 1"], None),  # short: whole
        (["def f():", "    sql = '''", "    a", "    b", "    c", "    d", "    '''"], None),
        (
            ["/**", " * Parses.", " *", " * @param a", " * @param b", " */", "function p(a, b) {"],
            (3, 5),
        ),
        (["def f():", '    """Never closed.', "    a", "    b", "    c"], None),
    ],
)
def test_doc_skip(lines: list[str], skip: tuple[int, int] | None) -> None:
    assert doc_skip(lines, 0, len(lines)) == skip


def test_a_whole_definition_shows_a_long_docstring_head_and_more_of_its_body() -> None:
    body = [*DOC_CLASS, *[f"    def m{i}(self): ..." for i in range(40)]]
    c = Candidate(9, "cmd.py", body, 0, len(body), (0, 2), "Command", "k")
    (chosen,) = select([c], 10_000, lambda line: len(line.split()) + 1, 1, 12)
    shown = chosen.lines()
    assert shown[:4] == DOC_CLASS[:4] and shown[4] == '    """'
    assert "    :param epilog: shown last." not in shown
    assert len(shown) == 12  # twelve lines shown: the two left out do not count


def test_completion_cuts_long_docstrings_an_explanation_keeps_them(tmp_path: Path) -> None:
    doc = "\n".join(f"    line {i} of how to use it." for i in range(12))
    (tmp_path / "lib.py").write_text(f'class Command:\n    """Runs.\n{doc}\n    """\n\n    x = 1\n')
    main = tmp_path / "main.py"
    text = "from lib import Command\n\n\ndef run():\n    c = Command()\n    return c\n"
    main.write_text(text)
    h = EngineHarness(tmp_path)
    h.open_document(main.as_uri(), text, "python")

    def shown(mode: str) -> str:
        bundle = h.gather(main.as_uri(), (5, 4), mode=mode)  # type: ignore[arg-type]
        return "\n".join(s.text for s in bundle.snippets if s.path == "lib.py")

    fim, explain = shown("fim"), shown("explain")
    assert "line 1 of" in fim and "line 11 of" not in fim and "x = 1" in fim
    assert "line 11 of" in explain and "x = 1" in explain

"""Definitions of the document being typed in, updated per edit, equal a full extraction."""

from __future__ import annotations

import random

import pytest

from seed_lsp.documents import Document
from seed_lsp.syntax import livedefs
from seed_lsp.syntax.definitions import Definition, extract_definitions, top_level_header
from seed_lsp.text import Position, Range

PY_BLOCKS = [
    "def f{n}(a, b):\n    x = a + b\n    return x\n",
    "class C{n}:\n    def m{n}(self):\n        return 1\n\n    def k{n}(self):\n        pass\n",
    "@decorator\ndef d{n}():\n    pass\n",
    "V{n} = compute(\n    1,\n    2,\n)\n",
    "async def a{n}():\n    await g()\n",
]
JS_BLOCKS = [
    "function f{n}(a, b) {{\n  return a + b;\n}}\n",
    "export class C{n} {{\n  m{n}(x) {{\n    return x;\n  }}\n}}\n",
    "const h{n} = (x) => {{\n  return x * 2;\n}};\n",
    "let v{n} = 3;\n",
]
GO_BLOCKS = [
    "func F{n}(a int) int {{\n\treturn a\n}}\n",
    "type T{n} struct {{\n\tX int\n}}\n",
    "func (t *T{n}) M{n}() int {{\n\treturn 1\n}}\n",
]
RS_BLOCKS = [
    "fn f{n}(a: i32) -> i32 {{\n    a\n}}\n",
    "#[derive(Debug)]\npub struct S{n} {{\n    x: i32,\n}}\n",
    "impl S{n} {{\n    pub fn m{n}(&self) -> i32 {{\n        1\n    }}\n}}\n",
]
LANGS = {"python": PY_BLOCKS, "typescript": JS_BLOCKS, "go": GO_BLOCKS, "rust": RS_BLOCKS}


def _by_name(defs: list[Definition]) -> dict[str, list[Definition]]:
    out: dict[str, list[Definition]] = {}
    for d in defs:
        out.setdefault(d.name, []).append(d)
    return out


def _blocks(rng: random.Random, blocks: list[str], count: int, start: int) -> str:
    return "\n".join(rng.choice(blocks).format(n=start + i) for i in range(count))


@pytest.mark.parametrize("language", sorted(LANGS))
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("max_region", [256, 3])
def test_live_definitions_equal_full_extraction(
    language: str, seed: int, max_region: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small max_region folds the region into the base on most edits.
    monkeypatch.setattr(livedefs, "_FOLD_LINES", max_region)
    rng = random.Random(seed)
    blocks = LANGS[language]
    text = _blocks(rng, blocks, 30, 0)
    lines = text.split("\n")
    doc = Document("file:///x", language, 1, text)
    doc.definitions()  # extracted once; the edits below update it
    for step in range(40):
        new_lines = list(lines)
        i = rng.randrange(len(new_lines))
        kind = rng.random()
        if kind < 0.5 and max_region > 3:  # type a few characters somewhere in a line
            # (typed characters can leave code that only a whole-document scan reads the
            # same way, e.g. a header without its colon: tested with the default region)
            col = rng.randint(0, len(new_lines[i]))
            typed = "".join(rng.choice("ab_ ") for _ in range(rng.randint(1, 3)))
            new_lines[i] = new_lines[i][:col] + typed + new_lines[i][col:]
        elif kind < 0.8:  # new code (inside a block: only where indentation decides)
            if language != "python":
                while i < len(new_lines) and not top_level_header(new_lines[i], language):
                    i += 1
            while i < len(new_lines) and new_lines[i].strip() in ("1,", "2,", ")"):
                i += 1  # not inside the brackets of an assignment
            new_lines[i:i] = _blocks(rng, blocks, rng.randint(1, 2), 100 + step).split("\n")
        elif language == "python" and len(new_lines) > 5 and max_region > 3:  # delete lines
            del new_lines[i : i + rng.randint(1, 3)]
        else:  # a far edit: a new block at the end
            new_lines += _blocks(rng, blocks, 1, 200 + step).split("\n")
        _apply_as_lsp_edit(doc, lines, new_lines)
        text, lines = "\n".join(new_lines), new_lines
        assert doc.snapshot().text == text
        live = doc.definitions()
        expected = _by_name(extract_definitions(text, lines, language))
        for name in expected.keys() | {"f1", "m3", "C2", "nothing"}:
            assert live.get(name) == expected.get(name, []), (step, name)


def _apply_as_lsp_edit(doc: Document, old: list[str], new: list[str]) -> None:
    """The change from `old` to `new` lines as one range edit, the way an editor sends it."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    if end_old < len(old):
        replaced = Range(Position(start, 0), Position(end_old, 0))
        inserted = "".join(line + "\n" for line in new[start:end_new])
    elif start < len(old):  # the change reaches the end of the text
        replaced = Range(Position(start, 0), Position(len(old) - 1, len(old[-1])))
        inserted = "\n".join(new[start:])
    else:  # lines added after the last one
        replaced = Range(Position(start - 1, len(old[-1])), Position(start - 1, len(old[-1])))
        inserted = "".join("\n" + line for line in new[start:])
    doc.apply_change(replaced, inserted)

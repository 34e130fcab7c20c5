"""Definitions of the document being typed in, updated per edit, equal a full extraction."""

from __future__ import annotations

import random

import pytest

from seed_lsp.context import livedefs
from seed_lsp.context.lines import splice_lines
from seed_lsp.context.livedefs import LiveDefinitions
from seed_lsp.context.symbols import Definition, extract_definitions, top_level_header

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
    live = LiveDefinitions.extract(language, text, lines)
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
        new_text = "\n".join(new_lines)
        spliced, change = splice_lines(text, lines, new_text)
        assert spliced == new_lines
        live.update(spliced, change)
        text, lines = new_text, spliced
        expected = _by_name(extract_definitions(text, lines, language))
        for name in expected.keys() | {"f1", "m3", "C2", "nothing"}:
            assert live.get(name) == expected.get(name, []), (step, name)

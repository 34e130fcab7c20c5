"""From answer to edits: indentation repair, blank lines, imports, truncation."""

from __future__ import annotations

import pytest

from seed_lsp.edits import (
    AnswerCutOff,
    LineSpan,
    NoCodeBlock,
    apply_text_edits,
    edits_from_answer,
    import_insertion,
    insertion_line,
    new_import_lines,
    repair_replacement,
    replace_lines,
    split_lines,
)

DOC = """import os
import sys


class Greeter:
    def greet(self, name):
        msg = "hi " + name
        print(msg)
        return msg

    def other(self):
        pass
"""


def test_edit_keeps_unchanged_lines_and_repairs_dropped_indentation() -> None:
    answer = (
        "Simplified.\n```python\ndef greet(self, name):\n"
        '    msg = f"hi {name}"\n    print(msg)\n    return msg\n```'
    )
    result = edits_from_answer(DOC, LineSpan(5, 9), answer, language_id="python")
    assert result.replacement[0] == "    def greet(self, name):"
    (edit,) = result.edits
    assert edit.range.start.line == edit.range.end.line == 6
    assert apply_text_edits(DOC, result.edits) == result.new_text
    assert '        msg = f"hi {name}"\n' in result.new_text
    assert result.rationale == "Simplified."


def test_partially_dropped_indentation_is_shifted_back() -> None:
    original = ["        if x:", "            y()"]
    assert repair_replacement(original, ["    if x:", "        z()"]) == [
        "        if x:",
        "            z()",
    ]
    # Deeper indentation than the original is the model's choice: left alone.
    assert repair_replacement(["x"], ["    x"]) == ["    x"]


def test_tab_indentation_is_restored_with_tabs() -> None:
    assert repair_replacement(["\tif x {", "\t\ty()", "\t}"], ["if x {", "\tz()", "}"]) == [
        "\tif x {",
        "\t\tz()",
        "\t}",
    ]


def test_blank_lines_around_target_are_kept() -> None:
    original = ["", "def f():", "    return 1", ""]
    assert repair_replacement(original, ["def f():", "    return 2"]) == [
        "",
        "def f():",
        "    return 2",
        "",
    ]
    assert repair_replacement(["x = 1"], ["", "x = 2", "", ""]) == ["x = 2"]


def test_empty_block_deletes_the_target() -> None:
    text = "import os\nimport sys\nx = 1\n"
    result = edits_from_answer(text, LineSpan(0, 1), "Unused.\n```python\n```")
    assert result.new_text == "import sys\nx = 1\n"


def test_crlf_document_stays_crlf() -> None:
    text = "a = 1\r\nb = 2\r\nc = 3\r\n"
    result = edits_from_answer(text, LineSpan(1, 2), "```\nb = 20\nb2 = 4\n```")
    assert result.new_text == "a = 1\r\nb = 20\r\nb2 = 4\r\nc = 3\r\n"
    assert apply_text_edits(text, result.edits) == result.new_text


def test_no_trailing_newline_is_kept() -> None:
    text = "a = 1\nb = 2"
    result = edits_from_answer(text, LineSpan(1, 2), "```\nb = 3\n```\n")
    assert result.new_text == "a = 1\nb = 3"


def test_unchanged_answer_gives_no_edits() -> None:
    result = edits_from_answer(
        DOC, LineSpan(10, 12), "```\n    def other(self):\n        pass\n```"
    )
    assert not result.changed


def test_no_code_block_raises() -> None:
    with pytest.raises(NoCodeBlock):
        edits_from_answer(DOC, LineSpan(0, 1), "Nothing to do here.")


def test_truncated_answer_with_unclosed_block_is_refused() -> None:
    with pytest.raises(AnswerCutOff):
        edits_from_answer(DOC, LineSpan(5, 9), "```python\ndef greet(", truncated=True)
    # Not truncated: an unclosed final block is taken as complete.
    result = edits_from_answer("x = 1\n", LineSpan(0, 1), "```python\nx = 2\n")
    assert result.new_text == "x = 2\n"


def test_imports_block_goes_after_existing_imports_deduplicated() -> None:
    answer = (
        "```python\n    def other(self):\n        return Path.cwd()\n```\n"
        "```imports\nimport os\nfrom pathlib import Path\nfrom pathlib import Path\n```"
    )
    result = edits_from_answer(DOC, LineSpan(10, 12), answer, language_id="python")
    assert result.added_imports == ("from pathlib import Path",)
    lines = result.new_text.splitlines()
    assert lines[:3] == ["import os", "import sys", "from pathlib import Path"]
    assert apply_text_edits(DOC, result.edits) == result.new_text
    # The import edit and the target edits never overlap, and the import is a pure insertion.
    first = result.edits[0]
    assert first.range.start == first.range.end and first.range.start.line == 2


def test_imports_already_in_the_replacement_are_not_added_twice() -> None:
    text = "import os\n\nx = os.sep\n"
    answer = "```\nimport os\nimport re\n```\n```imports\nimport re\n```"
    result = edits_from_answer(text, LineSpan(0, 1), answer, language_id="python")
    assert result.new_text == "import os\nimport re\n\nx = os.sep\n"
    assert result.added_imports == ()


def test_imports_without_an_import_block_go_after_the_header() -> None:
    text = '#!/usr/bin/env python\n"""Doc."""\nx = 1\n'
    result = edits_from_answer(
        text,
        LineSpan(2, 3),
        "```\nx = sys.argv\n```\n```imports\nimport sys\n```",
        language_id="python",
    )
    assert result.new_text == '#!/usr/bin/env python\n"""Doc."""\n\nimport sys\n\nx = sys.argv\n'


def test_imports_when_target_is_the_import_block_itself() -> None:
    text = "import a\nimport b\n\nrun()\n"
    answer = "```\nimport a\nimport b2\n```\n```imports\nimport c\n```"
    result = edits_from_answer(text, LineSpan(0, 2), answer, language_id="python")
    assert result.new_text == "import a\nimport b2\nimport c\n\nrun()\n"
    assert apply_text_edits(text, result.edits) == result.new_text


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("python", "import os\nfrom a import (\n    b,\n    c,\n)\n\nx = 1\n", (5, True)),
        ("python", '"""Module.\n\nMore.\n"""\nx = 1\n', (4, False)),
        ("python", "# comment about x\nx = 1\n", (0, False)),
        ("python", "# Copyright me\n# License\n\nx = 1\n", (2, False)),
        (
            "typescript",
            "import { a } from 'a';\nimport {\n  b,\n} from 'b';\nconst x = 1;\n",
            (4, True),
        ),
        ("go", 'package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {}\n', (5, True)),
        ("rust", "use std::io;\nuse std::fs;\n\nfn main() {}\n", (2, True)),
        ("c", "#ifndef X\n#define X\n\n#include <a.h>\n\nint x;\n", (4, True)),
        ("javascript", "'use strict';\nconst fs = require('fs');\nrun();\n", (2, True)),
        ("java", "package a.b;\n\nclass A {}\n", (1, False)),
    ],
)
def test_insertion_line(language: str, text: str, expected: tuple[int, bool]) -> None:
    lines, _ = split_lines(text)
    assert insertion_line(lines, language) == expected


def test_blank_separators_only_without_an_existing_block() -> None:
    assert import_insertion(["package main", "func main() {}"], "go", ['import "fmt"']) == (
        1,
        ["", 'import "fmt"', ""],
    )
    assert import_insertion(["import a", "x"], "python", ["import b"]) == (1, ["import b"])


def test_new_import_lines_filters_present_blank_and_duplicate() -> None:
    assert new_import_lines("import os\n", ["import os", "", "  import re  ", "import re"]) == [
        "  import re"
    ]


def test_reference_agrees_on_import_insertion() -> None:
    # The imports path and replace_lines agree on line endings.
    text = "import a\r\nx = 1\r\n"
    result = edits_from_answer(
        text, LineSpan(1, 2), "```\nx = b.y\n```\n```imports\nimport b\n```", language_id="python"
    )
    assert result.new_text == replace_lines(
        replace_lines(text, 1, 2, ["x = b.y"]), 1, 1, ["import b"]
    )

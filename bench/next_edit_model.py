"""The fake model of bench/next_edit.py: it reads only the prompt (the last recent edit it shows
and the editable region) and answers the region with that change carried on: the other uses of
a renamed identifier renamed, the calls of a function given a newly added parameter; otherwise
the region unchanged. Scripted as a function of the prompt, so a scenario passes only if the
server put the history and the region in it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from tests.fake_endpoint import RecordedRequest, Reply

_REGION = re.compile(
    r"Editable region \(lines \d+-\d+ of [^)]*\):\n(`{3,})([\w-]*)\n(.*?)\n\1", re.S
)
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def last_edit(prompt: str) -> tuple[str, str] | None:
    """The old and new lines of the last recent edit the prompt shows."""
    if "Recent edits, oldest first:\n" not in prompt:
        return None
    section = prompt.split("Recent edits, oldest first:\n", 1)[1].split("\n\nThe cursor is", 1)[0]
    block = section.split("\n\n")[-1].split("\n")[1:]
    old = "\n".join(x[1:] for x in block if x.startswith("-"))
    new = "\n".join(x[1:] for x in block if x.startswith("+"))
    return old, new


def carry_on(region: str, old: str, new: str) -> str:
    """The region with the change from `old` to `new` carried on."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = [op for op in difflib.SequenceMatcher(None, a, b).get_opcodes() if op[0] != "equal"]
    if len(ops) != 1:
        return region
    tag, i1, i2, j1, j2 = ops[0]
    if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and a[i1].isidentifier():
        return re.sub(rf"\b{re.escape(a[i1])}\b", b[j1], region)  # a rename
    added = "".join(b[j1:j2])
    m = re.search(r"(?:def|function|func|fn)\s+(\w+)\s*\(", new)
    if tag == "insert" and m and added.lstrip(", ").isidentifier():
        name, param = m.group(1), added.lstrip(", ")
        return add_argument(region, name, param)
    return region


def add_argument(region: str, name: str, param: str) -> str:
    """Give every call of `name` in the region the argument `param` (if it lacks it)."""
    out, pos = [], 0
    for m in re.finditer(rf"(?<!def )(?<!function )\b{re.escape(name)}\(", region):
        depth, k = 1, m.end()
        while k < len(region) and depth:
            depth += {"(": 1, ")": -1}.get(region[k], 0)
            k += 1
        inner = region[m.end() : k - 1]
        if param in re.findall(r"\w+", inner):
            continue
        out.append(region[pos : k - 1] + (", " if inner.strip() else "") + param)
        pos = k - 1
    out.append(region[pos:])
    return "".join(out)


@dataclass
class Model:
    prompts: list[str] = field(default_factory=list)
    """Every prompt it was sent, system message included."""

    def __call__(self, request: RecordedRequest) -> Reply:
        prompt = str(request.messages[-1]["content"])
        self.prompts.append(request.prompt_text)
        m = _REGION.search(prompt)
        if m is None:
            return Reply(content="No region.")
        fence, lang, region = m.group(1), m.group(2), m.group(3)
        edit = last_edit(prompt)
        answer = carry_on(region, *edit) if edit else region
        return Reply(content=f"{fence}{lang}\n{answer}\n{fence}\n")

"""Sample documents shared by the tests."""

PY = '''\
import os


@dataclass
class Store:
    """A store."""

    def load(self, path):
        data = read(
            path,
            mode="r",
        )
        if data:
            return data
        return None

    def save(self, path, data):
        write(path, data)


def helper(x):
    return x + 1
'''

TS = """\
import { a } from "a";

export class Box {
  constructor(private size: number) {}

  grow(by: number): void {
    this.size += by;
  }
}

export function area(w: number, h: number): number {
  const r = w *
    h;
  return r;
}
"""


def big_python(functions: int = 1000) -> str:
    """About 10 lines a function: `functions=1000` is a 10k-line module."""
    parts = ["import os", "import sys", ""]
    for i in range(functions):
        parts += [
            "",
            f"def function_{i}(a, b):",
            f'    """Function {i}."""',
            "    total = 0",
            "    for item in range(a):",
            "        if item % 2:",
            "            total += item * b",
            "        else:",
            "            total -= item",
            "    return total",
        ]
    return "\n".join(parts) + "\n"

"""Python summaries with tree-sitter: top-level definitions (looking into ``if``/``try``/
``with`` blocks), class members (``self.x =`` in methods too), imports, ``__all__``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seed_lsp.context.summary import (
    EMPTY,
    MAX_ENTRIES,
    MAX_MEMBERS,
    SIGNATURE_LINES,
    Entry,
    Import,
    Summary,
    first_doc_line,
    node_line,
    node_text,
    parse,
    parser_for,
)
from seed_lsp.context.summary_py_values import (
    BLOCKS,
    HANDLERS,
    annotated_parameters,
    assignment,
    returned_callee,
    self_attributes,
)

if TYPE_CHECKING:
    from tree_sitter import Node


def summarize_python(text: str) -> Summary:
    parser = parser_for("python")
    if parser is None:
        return EMPTY
    root = parse(parser, text.encode("utf-8", "surrogatepass"))
    entries: list[Entry] = []
    imports: list[Import] = []
    all_names: list[str] | None = None
    for node in _top_level(root):
        t = node.type
        if t in ("import_statement", "import_from_statement"):
            imports += _imports(node, True)
        elif t == "expression_statement":
            assign = node.named_children[0] if node.named_children else None
            if assign is not None and assign.type == "assignment":
                left = assign.child_by_field_name("left")
                if node_text(left) == "__all__":
                    all_names = _string_list(assign.child_by_field_name("right"))
                    continue
                entries += assignment(assign, node)
        else:
            entry = _definition(node)
            if entry is not None:
                entries.append(entry)
        if len(entries) >= MAX_ENTRIES:
            break
    # Imports inside functions bind names too (for the cursor's file), marked not top-level.
    if len(imports) < 2_000:
        imports += _nested_imports(root)
    return Summary(
        "python",
        tuple(entries),
        tuple(imports),
        all_names=tuple(all_names) if all_names is not None else None,
    )


MAX_STATEMENTS = 3_500  # module-level statements read (an ``__init__`` of 20,000 imports...)


def _top_level(root: Node) -> list[Node]:
    """Module-level statements, those in if/try/with blocks included, at most
    ``MAX_STATEMENTS``: the module's children are walked one by one (a list of all of them
    would be built in one call that holds the GIL)."""
    out: list[Node] = []
    first = root.named_child(0) if root.named_child_count else None
    siblings: list[Node | None] = [first]
    while siblings and len(out) < MAX_STATEMENTS:
        node = siblings.pop()
        if node is None:
            continue
        siblings.append(node.next_named_sibling)
        if node.type in BLOCKS or node.type in HANDLERS:
            siblings.append(node.named_child(0) if node.named_child_count else None)
        else:
            out.append(node)
    return out


_STATEMENT_CONTAINERS = frozenset(
    {
        "function_definition",
        "class_definition",
        "decorated_definition",
        "block",
        "if_statement",
        "elif_clause",
        "else_clause",
        "try_statement",
        "except_clause",
        "finally_clause",
        "with_statement",
        "for_statement",
        "while_statement",
    }
)


def _nested_imports(root: Node) -> list[Import]:
    """Imports inside functions and classes: statements only, never into expressions."""
    out: list[Import] = []
    definitions = ("function_definition", "class_definition", "decorated_definition")
    stack = [c for c in _top_level(root) if c.type in definitions]
    seen = 0
    while stack and seen < 50_000:
        node = stack.pop()
        seen += 1
        if node.type in ("import_statement", "import_from_statement"):
            out += _imports(node, False)
        elif node.type in _STATEMENT_CONTAINERS:
            stack.extend(node.named_children)
    return out


def _imports(node: Node, top: bool) -> list[Import]:
    line = node_line(node)
    out: list[Import] = []
    if node.type == "import_statement":
        for n in node.children_by_field_name("name"):
            if n.type == "aliased_import":
                dotted = node_text(n.child_by_field_name("name"))
                out.append(Import(dotted, "", node_text(n.child_by_field_name("alias")), line, top))
            else:
                dotted = node_text(n)
                out.append(Import(dotted, "", dotted.split(".")[0], line, top))
        return out
    module = node_text(node.child_by_field_name("module_name")).replace(" ", "")
    if any(c.type == "wildcard_import" for c in node.named_children):
        return [Import(module, "*", "", line, top)]
    for n in node.children_by_field_name("name"):
        if n.type == "aliased_import":
            name = node_text(n.child_by_field_name("name"))
            out.append(Import(module, name, node_text(n.child_by_field_name("alias")), line, top))
        else:
            name = node_text(n)
            out.append(Import(module, name, name, line, top))
    return out


def _string_list(node: Node | None) -> list[str] | None:
    if node is None or node.type not in ("list", "tuple"):
        return None
    out = []
    for c in node.named_children:
        if c.type != "string":
            return None
        out.append("".join(node_text(x) for x in c.named_children if x.type == "string_content"))
    return out


def _docstring(body: Node | None) -> str:
    if body is None or not body.named_children:
        return ""
    first = body.named_children[0]
    if first.type == "expression_statement" and first.named_children:
        s = first.named_children[0]
        if s.type == "string":
            content = "".join(node_text(x) for x in s.named_children if x.type == "string_content")
            return first_doc_line(content)
    return ""


def _definition(node: Node, container: str = "") -> Entry | None:
    start = node_line(node)
    if node.type == "decorated_definition":
        inner = node.child_by_field_name("definition")
        if inner is None:
            return None
        entry = _definition(inner, container)
        if entry is None:
            return None
        value = entry.value
        if entry.kind == "function" and not container:
            # ``@click.group()`` makes the name what the decorator returns; ``@pytest.fixture``
            # and ``@functools.wraps``-style decorators keep the function's own value.
            for d in node.named_children:
                if d.type != "decorator" or not d.named_children:
                    continue
                expr = d.named_children[0]
                fn = expr.child_by_field_name("function") if expr.type == "call" else expr
                callee = node_text(fn) if fn is not None else ""
                if callee and callee.split(".")[-1] not in _TRANSPARENT_DECORATORS:
                    value = "@" + callee
                    break
        return Entry(
            entry.name,
            entry.kind,
            entry.line,
            start,
            entry.end,
            entry.sig_end,
            entry.doc,
            entry.bases,
            entry.returns,
            value,
            entry.members,
        )
    if node.type not in ("function_definition", "class_definition"):
        return None
    name = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    if name is None:
        return None
    line = node_line(name)
    # The signature ends on the line of the ``:`` before the body.
    body_line = node_line(body) if body is not None else line
    head_end = node.child_by_field_name("return_type") or node.child_by_field_name("parameters")
    head_end = head_end or node.child_by_field_name("superclasses") or name
    sig_end = min(max(int(head_end.end_point[0]), line) + 1, line + SIGNATURE_LINES)
    if body is not None and body_line > line and sig_end > body_line:
        sig_end = body_line
    end = int(node.end_point[0]) + 1
    doc = _docstring(body)
    if node.type == "class_definition":
        bases = node.child_by_field_name("superclasses")
        base_names = tuple(
            node_text(b)
            for b in (bases.named_children if bases is not None else [])
            if b.type in ("identifier", "attribute")
        )
        members = _members(body, node_text(name))
        kind = "class"
        return Entry(
            node_text(name), kind, line, start, end, sig_end, doc, base_names, members=members
        )
    returns = node_text(node.child_by_field_name("return_type"))
    kind = "method" if container else "function"
    value = "" if returns else returned_callee(body)
    return Entry(
        node_text(name), kind, line, start, end, sig_end, doc, returns=returns, value=value
    )


_TRANSPARENT_DECORATORS = frozenset(
    {
        "fixture",
        "wraps",
        "cache",
        "lru_cache",
        "cached_property",
        "property",
        "staticmethod",
        "classmethod",
        "contextmanager",
        "asynccontextmanager",
        "overload",
        "abstractmethod",
        "override",
        "setupmethod",
        "dataclass",
        "total_ordering",
        "final",
    }
)


def _members(body: Node | None, cls: str) -> tuple[Entry, ...]:
    if body is None:
        return ()
    out: list[Entry] = []
    seen: set[str] = set()
    for node in body.named_children:
        if node.type == "expression_statement" and node.named_children:
            assign = node.named_children[0]
            if assign.type == "assignment":
                for e in assignment(assign, node, "attribute"):
                    if e.name not in seen:
                        seen.add(e.name)
                        out.append(e)
            continue
        entry = _definition(node, cls)
        if entry is None:
            continue
        if entry.name not in seen:
            seen.add(entry.name)
            out.append(entry)
        if entry.kind == "method":
            inner = node.child_by_field_name("definition") or node
            params = annotated_parameters(inner.child_by_field_name("parameters"))
            for attr in self_attributes(inner.child_by_field_name("body"), params):
                if attr.name not in seen:
                    seen.add(attr.name)
                    out.append(attr)
        if len(out) >= MAX_MEMBERS:
            break
    return tuple(out)

"""What Python statements say about values, for summaries: what a function returns when it
shows (``return C(...)``), the ``self.x =`` attributes of a method, the names an assignment
binds and the class it calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seed_lsp.context.summary import MAX_MEMBERS, Entry, node_line, node_text

if TYPE_CHECKING:
    from tree_sitter import Node

BLOCKS = frozenset(
    {"if_statement", "try_statement", "with_statement", "else_clause", "elif_clause"}
)
HANDLERS = frozenset({"except_clause", "finally_clause", "else_clause", "elif_clause", "block"})


def returned_callee(body: Node | None) -> str:
    """What a function without a return annotation returns, when it shows: the callee of
    ``return C(...)`` / ``yield C(...)``, or of ``x = C(...)`` for a returned ``x`` (pytest
    fixtures are written so)."""
    if body is None:
        return ""
    assigned: dict[str, str] = {}
    for stmt in body.named_children[:200]:
        expr = stmt.named_children[0] if stmt.named_children else None
        if stmt.type == "expression_statement" and expr is not None:
            if expr.type == "assignment":
                left = node_text(expr.child_by_field_name("left"))
                called = callee(expr)
                if called:
                    assigned[left] = called
                continue
            if expr.type == "yield" and expr.named_children:
                expr = expr.named_children[0]
            else:
                continue
        elif stmt.type != "return_statement" or expr is None:
            continue
        if expr.type == "call":
            fn = expr.child_by_field_name("function")
            if fn is not None and fn.type in ("identifier", "attribute"):
                return node_text(fn)
        if expr.type == "identifier":
            return assigned.get(node_text(expr), "")
    return ""


def annotated_parameters(params: Node | None) -> dict[str, str]:
    """Parameter name -> annotation, for the parameters that have one."""
    out: dict[str, str] = {}
    for p in params.named_children if params is not None else []:
        if p.type in ("typed_parameter", "typed_default_parameter"):
            name = p.child_by_field_name("name") or (
                p.named_children[0] if p.named_children else None
            )
            annotation = p.child_by_field_name("type")
            if name is not None and annotation is not None:
                out[node_text(name)] = node_text(annotation)
    return out


def self_attributes(body: Node | None, params: dict[str, str]) -> list[Entry]:
    """``self.x = ...`` statements directly in a method body (and its if/with/try blocks);
    ``self.x = x`` of an annotated parameter takes the parameter's annotation."""
    out: list[Entry] = []
    if body is None:
        return out
    stack = list(reversed(body.named_children))
    while stack and len(out) < MAX_MEMBERS:
        node = stack.pop()
        if node.type in BLOCKS or node.type in HANDLERS:
            stack.extend(reversed(node.named_children))
            continue
        if node.type != "expression_statement" or not node.named_children:
            continue
        assign = node.named_children[0]
        if assign.type != "assignment":
            continue
        left = assign.child_by_field_name("left")
        if left is None or left.type != "attribute":
            continue
        obj, attr = left.child_by_field_name("object"), left.child_by_field_name("attribute")
        if node_text(obj) == "self" and attr is not None:
            line = node_line(node)
            annotation = node_text(assign.child_by_field_name("type"))
            right = assign.child_by_field_name("right")
            if not annotation and right is not None and right.type == "identifier":
                annotation = params.get(node_text(right), "")
            out.append(
                Entry(
                    node_text(attr),
                    "field",  # an instance attribute, set in a method
                    line,
                    line,
                    int(node.end_point[0]) + 1,
                    line + 1,
                    returns=annotation,
                    value=callee(assign),
                )
            )
    return out


def callee(assign: Node) -> str:
    right = assign.child_by_field_name("right")
    if right is not None and right.type == "call":
        fn = right.child_by_field_name("function")
        if fn is not None and fn.type in ("identifier", "attribute"):
            return node_text(fn)
    return ""


def assignment(assign: Node, stmt: Node, kind: str = "variable") -> list[Entry]:
    left = assign.child_by_field_name("left")
    if left is None:
        return []
    names: list[Node] = []
    if left.type == "identifier":
        names = [left]
    elif left.type in ("pattern_list", "tuple_pattern"):
        names = [n for n in left.named_children if n.type == "identifier"]
    line = node_line(stmt)
    end = int(stmt.end_point[0]) + 1
    annotation = node_text(assign.child_by_field_name("type"))
    value = callee(assign)
    return [
        Entry(
            node_text(n),
            kind,
            node_line(n),
            line,
            end,
            min(end, node_line(n) + 1),
            returns=annotation,
            value=value,
        )
        for n in names
    ]

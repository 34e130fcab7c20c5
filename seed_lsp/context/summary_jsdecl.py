"""JavaScript/TypeScript declarations as summary entries: functions, classes (their
members, ``this.x`` fields set in the constructor, bases), interfaces, types, enums,
namespaces, variables (functions, classes and object literals assigned to them), each with the
lines of its signature and the first line of its JSDoc."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seed_lsp.context.summary import (
    MAX_MEMBERS,
    SIGNATURE_LINES,
    Entry,
    first_doc_line,
    node_line,
    node_text,
)

if TYPE_CHECKING:
    from tree_sitter import Node

_DECLARATIONS = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "function_signature": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "enum_declaration": "enum",
    "internal_module": "namespace",
    "module": "namespace",
}
_BODY_OPENERS = ("statement_block", "class_body", "interface_body", "object_type", "enum_body")


def _string(node: Node | None) -> str:
    if node is None or node.type != "string":
        return ""
    return "".join(node_text(c) for c in node.named_children if c.type == "string_fragment")


def _require_spec(value: Node | None) -> str:
    if value is None:
        return ""
    if value.type == "member_expression":  # require("x").y
        return ""
    if value.type != "call_expression":
        return ""
    fn = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    if node_text(fn) != "require" or args is None or not args.named_children:
        return ""
    return _string(args.named_children[0])


def jsdoc(doc: Node | None, line: int) -> str:
    if doc is None or int(doc.end_point[0]) < line - 1:
        return ""
    raw = node_text(doc)
    return first_doc_line(raw) if raw.startswith("/**") else ""


def sig_end(node: Node, line: int) -> int:
    """The line after the one that opens the body (or the node's end), at most 4 lines on."""
    body = node.child_by_field_name("body")
    end = int(node.end_point[0]) + 1
    if body is not None and body.type in _BODY_OPENERS:
        end = node_line(body) + 1
    elif node.type in ("variable_declarator",):
        value = node.child_by_field_name("value")
        if value is not None and value.type in (
            "arrow_function",
            "function_expression",
            "function",
        ):
            inner = value.child_by_field_name("body")
            end = node_line(inner) + 1 if inner is not None else end
        else:
            end = line + 1
    return max(line + 1, min(end, line + SIGNATURE_LINES))


def members(body: Node | None, kind: str) -> tuple[Entry, ...]:
    if body is None:
        return ()
    out: list[Entry] = []
    seen: set[str] = set()
    previous: Node | None = None
    for c in body.named_children:
        doc = previous if previous is not None and previous.type == "comment" else None
        previous = c
        if kind == "namespace":
            inner = c.child_by_field_name("declaration") if c.type == "export_statement" else c
            found = declaration(inner, c, doc) if inner is not None else []
        elif c.type == "property_identifier":  # enum member
            line = node_line(c)
            found = [Entry(node_text(c), "member", line, line, line + 1, line + 1)]
        else:
            name = c.child_by_field_name("name") or c.child_by_field_name("key")
            if c.type == "shorthand_property_identifier":
                name = c
            if name is None or c.type in ("comment", "decorator"):
                continue
            line = node_line(name)
            value = c.child_by_field_name("value")
            member_kind = (
                "method"
                if c.type in ("method_definition", "method_signature", "abstract_method_signature")
                else "property"
            )
            if value is not None and value.type in ("arrow_function", "function_expression"):
                member_kind = "method"
            if c.type == "shorthand_property_identifier":
                member_kind = "shorthand"  # ``{ a }``: the definition is the binding ``a``
            found = [
                Entry(
                    node_text(name).strip("'\""),
                    member_kind,
                    line,
                    node_line(c),
                    int(c.end_point[0]) + 1,
                    sig_end(c, line),
                    jsdoc(doc, node_line(c)),
                    returns=node_text(c.child_by_field_name("return_type")).lstrip(": "),
                )
            ]
            if node_text(name) == "constructor":
                found += _this_attributes(c.child_by_field_name("body"))
        for e in found:
            if e.name not in seen:
                seen.add(e.name)
                out.append(e)
        if len(out) >= MAX_MEMBERS:
            break
    return tuple(out)


def _this_attributes(body: Node | None) -> list[Entry]:
    out: list[Entry] = []
    for stmt in body.named_children if body is not None else []:
        expr = stmt.named_children[0] if stmt.type == "expression_statement" else None
        if expr is None or expr.type != "assignment_expression":
            continue
        left = expr.child_by_field_name("left")
        if left is not None and left.type == "member_expression":
            obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
            if obj is not None and obj.type == "this" and prop is not None:
                line = node_line(stmt)
                out.append(Entry(node_text(prop), "field", line, line, line + 1, line + 1))
    return out


def declaration(node: Node, outer: Node, doc: Node | None) -> list[Entry]:
    t = node.type
    start = node_line(outer)
    if t == "ambient_declaration":
        inner = next((c for c in node.named_children), None)
        return declaration(inner, outer, doc) if inner is not None else []
    found: tuple[Entry, ...] = ()
    if t in ("lexical_declaration", "variable_declaration"):
        out = []
        for d in node.named_children:
            name = d.child_by_field_name("name") if d.type == "variable_declarator" else None
            if name is None or name.type != "identifier":
                continue
            line = node_line(name)
            value = d.child_by_field_name("value")
            if _require_spec(value):
                continue  # ``const m = require("m")`` is an import, not a definition
            kind, callee = "variable", ""
            found = ()
            if value is not None:
                if value.type in ("arrow_function", "function_expression", "function"):
                    kind = "function"
                elif value.type == "class":
                    kind, found = "class", members(value.child_by_field_name("body"), "class")
                elif value.type == "object":
                    kind, found = "object", members(value, "object")
                elif value.type in ("call_expression", "new_expression"):
                    fn = value.child_by_field_name("function") or value.child_by_field_name(
                        "constructor"
                    )
                    if fn is not None and fn.type in ("identifier", "member_expression"):
                        callee = node_text(fn)
            annotation = node_text(d.child_by_field_name("type")).lstrip(": ")
            out.append(
                Entry(
                    node_text(name),
                    kind,
                    line,
                    start,
                    int(d.end_point[0]) + 1,
                    sig_end(d, line),
                    jsdoc(doc, start),
                    returns=annotation,
                    value=callee,
                    members=found,
                )
            )
        return out
    declared = _DECLARATIONS.get(t)
    name = node.child_by_field_name("name")
    if declared is None or name is None:
        return []
    kind = declared
    line = node_line(name)
    body = node.child_by_field_name("body")
    found = ()
    bases: tuple[str, ...] = ()
    if kind in ("class", "interface", "enum", "namespace"):
        found = members(body, kind)
        for c in node.named_children:
            if c.type in ("class_heritage", "extends_type_clause"):
                ext = next((x for x in c.named_children if x.type == "extends_clause"), c)
                bases = tuple(
                    node_text(x)
                    for x in ext.named_children
                    if x.type in ("identifier", "member_expression", "type_identifier")
                )
    returns = node_text(node.child_by_field_name("return_type")).lstrip(": ")
    return [
        Entry(
            node_text(name),
            kind,
            line,
            start,
            int(node.end_point[0]) + 1,
            sig_end(node, line),
            jsdoc(doc, start),
            bases,
            returns,
            members=found,
        )
    ]

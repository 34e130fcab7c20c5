"""JavaScript/TypeScript summaries with tree-sitter: declarations (``export``ed or not), class,
namespace, enum and object-literal members, ESM imports and ``require``, ``export {a} from``,
``export * from``, ``export default``, CommonJS ``exports.x =`` / ``module.exports = {...}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seed_lsp.context.summary import (
    EMPTY,
    MAX_ENTRIES,
    MAX_MEMBERS,
    SIGNATURE_LINES,
    Entry,
    Export,
    Import,
    Summary,
    first_doc_line,
    node_line,
    node_text,
    parse,
    parser_for,
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


def summarize_js(text: str, language: str) -> Summary:
    parser = parser_for(language)
    if parser is None:
        return EMPTY
    root = parse(parser, text.encode("utf-8", "surrogatepass"))
    entries: list[Entry] = []
    imports: list[Import] = []
    exports: list[Export] = []
    exported: set[str] = set()
    cjs: dict[str, Entry] = {}
    aliases = {"exports"}
    previous: Node | None = None
    for node in root.named_children:
        doc_node = previous if previous is not None and previous.type == "comment" else None
        previous = node
        t = node.type
        if t == "import_statement":
            imports += _imports(node)
        elif t == "export_statement":
            decl = node.child_by_field_name("declaration")
            if decl is not None:
                for e in _declaration(decl, node, doc_node):
                    entries.append(e)
                    exported.add(e.name)
            else:
                exports += _exports(node, entries, doc_node)
        elif t == "expression_statement":
            _commonjs(node, cjs, aliases, doc_node)
        elif t in ("lexical_declaration", "variable_declaration"):
            imports += _requires(node)
            _export_aliases(node, aliases)
            entries += _declaration(node, node, doc_node)
        else:
            entries += _declaration(node, node, doc_node)
        if len(entries) >= MAX_ENTRIES:
            break
    entries += [e for name, e in cjs.items() if name not in {x.name for x in entries}]
    exported |= set(cjs)
    return Summary(
        language,
        tuple(entries),
        tuple(imports),
        tuple(exports),
        frozenset(exported),
        commonjs=bool(cjs),
    )


def _string(node: Node | None) -> str:
    if node is None or node.type != "string":
        return ""
    return "".join(node_text(c) for c in node.named_children if c.type == "string_fragment")


def _imports(node: Node) -> list[Import]:
    spec = _string(node.child_by_field_name("source"))
    line = node_line(node)
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    if not spec or clause is None:
        return []
    out: list[Import] = []
    for c in clause.named_children:
        if c.type == "identifier":
            out.append(Import(spec, "default", node_text(c), line))
        elif c.type == "namespace_import":
            ident = next((x for x in c.named_children if x.type == "identifier"), None)
            if ident is not None:
                out.append(Import(spec, "", node_text(ident), line))
        elif c.type == "named_imports":
            for s in c.named_children:
                name = s.child_by_field_name("name")
                alias = s.child_by_field_name("alias") or name
                if name is not None and alias is not None:
                    out.append(Import(spec, node_text(name), node_text(alias), line))
    return out


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


def _requires(node: Node) -> list[Import]:
    out: list[Import] = []
    for d in node.named_children:
        if d.type != "variable_declarator":
            continue
        name, value = d.child_by_field_name("name"), d.child_by_field_name("value")
        spec = _require_spec(value)
        if not spec or name is None:
            continue
        line = node_line(d)
        if name.type == "identifier":
            out.append(Import(spec, "", node_text(name), line))
        elif name.type == "object_pattern":
            for p in name.named_children:
                if p.type == "shorthand_property_identifier_pattern":
                    out.append(Import(spec, node_text(p), node_text(p), line))
                elif p.type == "pair_pattern":
                    k, v = p.child_by_field_name("key"), p.child_by_field_name("value")
                    if k is not None and v is not None and v.type == "identifier":
                        out.append(Import(spec, node_text(k), node_text(v), line))
    return out


def _jsdoc(doc: Node | None, line: int) -> str:
    if doc is None or int(doc.end_point[0]) < line - 1:
        return ""
    raw = node_text(doc)
    return first_doc_line(raw) if raw.startswith("/**") else ""


def _sig_end(node: Node, line: int) -> int:
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


def _members(body: Node | None, kind: str) -> tuple[Entry, ...]:
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
            found = _declaration(inner, c, doc) if inner is not None else []
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
                    _sig_end(c, line),
                    _jsdoc(doc, node_line(c)),
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


def _declaration(node: Node, outer: Node, doc: Node | None) -> list[Entry]:
    t = node.type
    start = node_line(outer)
    if t == "ambient_declaration":
        inner = next((c for c in node.named_children), None)
        return _declaration(inner, outer, doc) if inner is not None else []
    members: tuple[Entry, ...] = ()
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
            members = ()
            if value is not None:
                if value.type in ("arrow_function", "function_expression", "function"):
                    kind = "function"
                elif value.type == "class":
                    kind, members = "class", _members(value.child_by_field_name("body"), "class")
                elif value.type == "object":
                    kind, members = "object", _members(value, "object")
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
                    _sig_end(d, line),
                    _jsdoc(doc, start),
                    returns=annotation,
                    value=callee,
                    members=members,
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
    members = ()
    bases: tuple[str, ...] = ()
    if kind in ("class", "interface", "enum", "namespace"):
        members = _members(body, kind)
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
            _sig_end(node, line),
            _jsdoc(doc, start),
            bases,
            returns,
            members=members,
        )
    ]


def _exports(node: Node, entries: list[Entry], doc: Node | None) -> list[Export]:
    spec = _string(node.child_by_field_name("source"))
    out: list[Export] = []
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is not None:
        for s in clause.named_children:
            name = s.child_by_field_name("name")
            alias = s.child_by_field_name("alias") or name
            if name is not None and alias is not None:
                out.append(Export(node_text(alias), node_text(name), spec))
        return out
    ns = next((c for c in node.named_children if c.type == "namespace_export"), None)
    if ns is not None:
        ident = next((x for x in ns.named_children), None)
        return [Export(node_text(ident), "", spec)] if spec and ident is not None else []
    if spec:
        return [Export("*", "*", spec)]
    if any(c.type == "default" for c in node.children):
        value = node.child_by_field_name("value")
        if value is not None and value.type == "identifier":
            return [Export("default", node_text(value))]
        inner = next((c for c in node.named_children if c.type in _DECLARATIONS), None)
        if inner is not None:
            found = _declaration(inner, node, doc)
            entries += found
            return [Export("default", found[0].name)] if found else []
        if value is not None and value.type == "object":
            line = node_line(value)
            entries.append(
                Entry(
                    "default",
                    "object",
                    line,
                    node_line(node),
                    int(node.end_point[0]) + 1,
                    line + 1,
                    members=_members(value, "object"),
                )
            )
            return [Export("default", "default")]
    return out


def _export_aliases(node: Node, aliases: set[str]) -> None:
    """``var app = exports = module.exports = {}``: ``app.x = ...`` exports ``x``."""
    for d in node.named_children:
        value = d.child_by_field_name("value") if d.type == "variable_declarator" else None
        while value is not None and value.type == "assignment_expression":
            if node_text(value.child_by_field_name("left")) == "module.exports":
                aliases.add(node_text(d.child_by_field_name("name")))
            value = value.child_by_field_name("right")


def _commonjs(node: Node, out: dict[str, Entry], aliases: set[str], doc: Node | None) -> None:
    expr = node.named_children[0] if node.named_children else None
    while expr is not None and expr.type == "assignment_expression":
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if left is None:
            return
        target = node_text(left)
        if target == "module.exports" and right is not None and right.type == "object":
            for m in _members(right, "object"):
                out.setdefault(m.name, m)
        elif left.type == "member_expression":
            obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
            if prop is not None and (
                node_text(obj) in aliases or node_text(obj) == "module.exports"
            ):
                line = node_line(prop)
                kind = (
                    "function"
                    if right is not None
                    and right.type in ("function_expression", "arrow_function", "function")
                    else "variable"
                )
                end = int(node.end_point[0]) + 1
                out.setdefault(
                    node_text(prop),
                    Entry(
                        node_text(prop),
                        kind,
                        line,
                        node_line(node),
                        end,
                        max(line + 1, min(end, line + 1)),
                        _jsdoc(doc, node_line(node)),
                    ),
                )
        expr = right

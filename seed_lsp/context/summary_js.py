"""JavaScript/TypeScript summaries with tree-sitter: declarations (``export``ed or not), class,
namespace, enum and object-literal members, ESM imports and ``require``, ``export {a} from``,
``export * from``, ``export default``, CommonJS ``exports.x =`` / ``module.exports = {...}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seed_lsp.context.summary import (
    EMPTY,
    MAX_ENTRIES,
    Entry,
    Export,
    Import,
    Summary,
    node_line,
    node_text,
    parse,
    parser_for,
)
from seed_lsp.context.summary_jsdecl import (
    _DECLARATIONS,
    _require_spec,
    _string,
    declaration,
    jsdoc,
    members,
)

if TYPE_CHECKING:
    from tree_sitter import Node


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
                for e in declaration(decl, node, doc_node):
                    entries.append(e)
                    exported.add(e.name)
            else:
                exports += _exports(node, entries, doc_node)
        elif t == "expression_statement":
            _commonjs(node, cjs, aliases, doc_node)
        elif t in ("lexical_declaration", "variable_declaration"):
            imports += _requires(node)
            _export_aliases(node, aliases)
            entries += declaration(node, node, doc_node)
        else:
            entries += declaration(node, node, doc_node)
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
            found = declaration(inner, node, doc)
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
                    members=members(value, "object"),
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
            for m in members(right, "object"):
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
                        jsdoc(doc, node_line(node)),
                    ),
                )
        expr = right

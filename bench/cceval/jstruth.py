"""JavaScript/TypeScript ground truth with tree-sitter: imports (ESM, ``require``), exports
(declarations, ``export {a} from``, ``export * from``, barrels, ``export default {..}``,
CommonJS ``exports.x =`` / ``module.exports = {..}``), classes' and namespaces' members, and
the workspace's own packages (``package.json`` ``name`` and ``exports``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.cceval.corpus import JS_EXTS, source_files

Def = tuple[str, int]
Node = Any  # tree_sitter.Node

_MODULE_OBJECT = "<module>"


def _parser(rel: str) -> Any:
    import tree_sitter as ts

    if rel.endswith((".ts", ".mts", ".cts")):
        import tree_sitter_typescript as lang

        return ts.Parser(ts.Language(lang.language_typescript()))
    if rel.endswith(".tsx"):
        import tree_sitter_typescript as lang

        return ts.Parser(ts.Language(lang.language_tsx()))
    import tree_sitter_javascript as js

    return ts.Parser(ts.Language(js.language()))


@dataclass
class Binding:
    kind: str  # "named" | "default" | "namespace" | "require"
    source: str  # resolved relative path
    name: str = ""  # the imported name (named), "" otherwise


@dataclass
class JsModule:
    rel: str
    src: bytes
    lines: list[str]
    root: Node
    decls: dict[str, Node] = field(default_factory=dict)  # top-level declaration name nodes
    values: dict[str, Node] = field(default_factory=dict)  # declaration -> its value/body node
    imports: dict[str, Binding] = field(default_factory=dict)
    exports: dict[str, tuple[str, str]] = field(default_factory=dict)  # ("local"|rel, name)
    export_lines: dict[str, int] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)
    cjs_members: dict[str, Node] = field(default_factory=dict)
    cjs_value: Node | None = None  # what module.exports is set to


def _text(n: Node) -> str:
    return str(n.text.decode("utf-8", "replace"))


def _line(n: Node) -> int:
    return int(n.start_point[0]) + 1


def _string_value(n: Node | None) -> str | None:
    if n is None or n.type not in ("string", "template_string"):
        return None
    return "".join(_text(c) for c in n.children if c.type == "string_fragment")


class Resolver:
    def __init__(self, root: Path, rels: list[str]) -> None:
        self.root = root
        self.rels = set(rels)
        self.packages: dict[str, tuple[str, Any]] = {}
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in ("node_modules", ".git")]
            if "package.json" in filenames:
                try:
                    data = json.loads(Path(dirpath, "package.json").read_text())
                except (OSError, ValueError):
                    continue
                if isinstance(data, dict) and isinstance(data.get("name"), str):
                    rel_dir = Path(dirpath).relative_to(root).as_posix()
                    self.packages[data["name"]] = (rel_dir, data.get("exports"))

    def file(self, base: str) -> str | None:
        base = os.path.normpath(base)
        stems = [base]
        for ext in (".js", ".jsx", ".mjs", ".cjs"):
            if base.endswith(ext):
                stems.insert(0, base[: -len(ext)])
        for stem in stems:
            if stem in self.rels:
                return stem
            for ext in JS_EXTS:
                if stem + ext in self.rels:
                    return stem + ext
        for ext in JS_EXTS:
            if f"{base}/index{ext}" in self.rels:
                return f"{base}/index{ext}"
        return None

    def spec(self, spec: str, importer: str) -> str | None:
        if spec.startswith("."):
            return self.file(os.path.join(os.path.dirname(importer), spec))
        parts = spec.split("/")
        name_len = 2 if spec.startswith("@") else 1
        name, sub = "/".join(parts[:name_len]), "/".join(parts[name_len:])
        pkg = self.packages.get(name)
        if pkg is None:
            return None
        pkg_dir, exports = pkg
        key = "./" + sub if sub else "."
        target = exports.get(key) if isinstance(exports, dict) else None
        for t in _targets(target):
            found = self.file(os.path.join(pkg_dir, t))
            if found is not None:
                return found
        return self.file(os.path.join(pkg_dir, "src", sub or "index"))


def _targets(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _targets(v)]
    if isinstance(value, list):
        return [t for v in value for t in _targets(v)]
    return []


def _declared(node: Node) -> list[tuple[str, Node, Node | None]]:
    """(name, name node, value node) of the names a top-level declaration statement binds."""
    t = node.type
    if t in ("export_statement", "ambient_declaration"):
        inner = node.child_by_field_name("declaration")
        if inner is None and t == "ambient_declaration":
            inner = next((c for c in node.named_children), None)
        return _declared(inner) if inner is not None else []
    if t in ("lexical_declaration", "variable_declaration"):
        out = []
        for d in node.named_children:
            if d.type == "variable_declarator":
                n = d.child_by_field_name("name")
                if n is not None and n.type == "identifier":
                    out.append((_text(n), n, d.child_by_field_name("value")))
        return out
    name = node.child_by_field_name("name")
    if name is not None and t in (
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "interface_declaration",
        "type_alias_declaration",
        "enum_declaration",
        "internal_module",
        "function_signature",
    ):
        return [(_text(name), name, node)]
    return []


def _require_spec(value: Node | None) -> str | None:
    if value is None or value.type != "call_expression":
        return None
    fn = value.child_by_field_name("function")
    if fn is None or _text(fn) != "require":
        return None
    args = value.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    return _string_value(first)


def _is_module_exports(n: Node | None) -> bool:
    return n is not None and n.type == "member_expression" and _text(n) == "module.exports"


def load(root: Path) -> tuple[dict[str, JsModule], Resolver]:
    rels = source_files(root, JS_EXTS)
    resolver = Resolver(root, rels)
    mods: dict[str, JsModule] = {}
    for rel in rels:
        src = (root / rel).read_bytes()
        if len(src) > 1_000_000:
            continue
        tree = _parser(rel).parse(src)
        text = src.decode("utf-8", "replace")
        mod = JsModule(rel, src, text.split("\n"), tree.root_node)
        _index(mod, resolver)
        mods[rel] = mod
    return mods, resolver


def _index(mod: JsModule, resolver: Resolver) -> None:
    aliases = {"exports"}  # identifiers that hold module.exports
    for stmt in mod.root.named_children:
        for name, node, value in _declared(stmt):
            mod.decls[name] = node
            if value is not None:
                mod.values[name] = value
        if stmt.type == "import_statement":
            spec = _string_value(stmt.child_by_field_name("source"))
            target = resolver.spec(spec, mod.rel) if spec else None
            clause = next((c for c in stmt.named_children if c.type == "import_clause"), None)
            if target is None or clause is None:
                continue
            for c in clause.named_children:
                if c.type == "identifier":
                    mod.imports[_text(c)] = Binding("default", target)
                elif c.type == "namespace_import":
                    ident = next((x for x in c.named_children if x.type == "identifier"), None)
                    if ident is not None:
                        mod.imports[_text(ident)] = Binding("namespace", target)
                elif c.type == "named_imports":
                    for spec_node in c.named_children:
                        n = spec_node.child_by_field_name("name")
                        a = spec_node.child_by_field_name("alias") or n
                        if n is not None and a is not None:
                            mod.imports[_text(a)] = Binding("named", target, _text(n))
        elif stmt.type == "export_statement":
            _index_export(mod, stmt, resolver)
        elif stmt.type in ("lexical_declaration", "variable_declaration"):
            for d in stmt.named_children:
                if d.type != "variable_declarator":
                    continue
                n, value = d.child_by_field_name("name"), d.child_by_field_name("value")
                spec = _require_spec(value)
                target = resolver.spec(spec, mod.rel) if spec else None
                if n is not None and target is not None:
                    if n.type == "identifier":
                        mod.imports[_text(n)] = Binding("require", target)
                    elif n.type == "object_pattern":
                        for p in n.named_children:
                            if p.type == "shorthand_property_identifier_pattern":
                                mod.imports[_text(p)] = Binding("named", target, _text(p))
                            elif p.type == "pair_pattern":
                                k, v = p.child_by_field_name("key"), p.child_by_field_name("value")
                                if k is not None and v is not None and v.type == "identifier":
                                    mod.imports[_text(v)] = Binding("named", target, _text(k))
                # var app = exports = module.exports = {}
                while value is not None and value.type == "assignment_expression":
                    left = value.child_by_field_name("left")
                    if _is_module_exports(left) and n is not None and n.type == "identifier":
                        aliases.add(_text(n))
                        mod.cjs_value = value.child_by_field_name("right")
                    value = value.child_by_field_name("right")
        elif stmt.type == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            while expr is not None and expr.type == "assignment_expression":
                left = expr.child_by_field_name("left")
                right = expr.child_by_field_name("right")
                if _is_module_exports(left):
                    mod.cjs_value = right
                    while (
                        mod.cjs_value is not None and mod.cjs_value.type == "assignment_expression"
                    ):
                        mod.cjs_value = mod.cjs_value.child_by_field_name("right")
                elif left is not None and left.type == "member_expression":
                    obj, prop = (
                        left.child_by_field_name("object"),
                        left.child_by_field_name("property"),
                    )
                    exported = obj is not None and (
                        _text(obj) in aliases or _is_module_exports(obj)
                    )
                    if exported and prop is not None:
                        mod.cjs_members.setdefault(_text(prop), prop)
                expr = right


def _index_export(mod: JsModule, stmt: Node, resolver: Resolver) -> None:
    spec = _string_value(stmt.child_by_field_name("source"))
    target = resolver.spec(spec, mod.rel) if spec else None
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    decl = stmt.child_by_field_name("declaration")
    if decl is not None:
        for name, _node, _ in _declared(stmt):
            mod.exports[name] = ("local", name)
        return
    if clause is not None:
        for s in clause.named_children:
            n = s.child_by_field_name("name")
            a = s.child_by_field_name("alias") or n
            if n is None or a is None:
                continue
            if spec is None:
                mod.exports[_text(a)] = ("local", _text(n))
            elif target is not None:
                mod.exports[_text(a)] = (target, _text(n))
        return
    if any(c.type == "namespace_export" for c in stmt.named_children):
        return  # ``export * as ns``: a module object, not a definition line
    if spec is not None:
        if target is not None:
            mod.stars.append(target)
        return
    value = stmt.child_by_field_name("value")
    if any(c.type == "default" for c in stmt.children):
        if value is not None and value.type == "identifier":
            mod.exports["default"] = ("local", _text(value))
        elif value is not None:
            mod.values["default"] = value
            mod.export_lines["default"] = _line(value)
        else:
            inner = [c for c in stmt.named_children if c.type.endswith("declaration")]
            if inner:
                name = inner[0].child_by_field_name("name")
                if name is not None:
                    mod.decls[_text(name)] = name
                    mod.values[_text(name)] = inner[0]
                    mod.exports["default"] = ("local", _text(name))

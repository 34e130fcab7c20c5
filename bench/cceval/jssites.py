"""JS/TS name resolution over the tree-sitter index of ``jstruth`` and the bench sites."""

from __future__ import annotations

from dataclasses import dataclass

from bench.cceval.cases import Site
from bench.cceval.jstruth import Binding, JsModule, Node, _declared, _text

_CLASSES = ("class_declaration", "abstract_class_declaration", "class")
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Target:
    module: JsModule
    name: Node  # the node where the name is written
    value: Node | None  # the declaration (class, function, object, namespace...)

    @property
    def key(self) -> tuple[str, int]:
        return (self.module.rel, int(self.name.start_point[0]) + 1)


Mods = dict[str, JsModule]


def local_target(mods: Mods, m: JsModule, name: str, depth: int = 0) -> Target | None:
    if depth > _MAX_DEPTH:
        return None
    if name in m.decls:
        return Target(m, m.decls[name], m.values.get(name))
    b = m.imports.get(name)
    if b is None:
        return None
    if b.kind == "named":
        return export_target(mods, b.source, b.name, depth + 1)
    if b.kind == "default":
        return default_target(mods, b.source, depth + 1)
    return None


def export_target(mods: Mods, rel: str, name: str, depth: int = 0) -> Target | None:
    m = mods.get(rel)
    if m is None or depth > _MAX_DEPTH:
        return None
    if name in m.exports:
        kind, orig = m.exports[name]
        if kind == "local":
            return local_target(mods, m, orig, depth + 1)
        return export_target(mods, kind, orig, depth + 1)
    if name in m.cjs_members:
        node = m.cjs_members[name]
        assign = node.parent.parent if node.parent is not None else None
        value = assign.child_by_field_name("right") if assign is not None else None
        if value is not None and value.type == "identifier":
            found = local_target(mods, m, _text(value), depth + 1)
            if found is not None:
                return found
        return Target(m, node, value)
    if m.cjs_value is not None:
        found = members(mods, _value_of(mods, m, m.cjs_value, depth), name, depth + 1)
        if found is not None:
            return found
    for star in m.stars:
        found = export_target(mods, star, name, depth + 1)
        if found is not None:
            return found
    return None


def _value_of(mods: Mods, m: JsModule, value: Node, depth: int) -> Target | None:
    if value.type == "identifier":
        return local_target(mods, m, _text(value), depth + 1)
    return Target(m, value, value)


def default_target(mods: Mods, rel: str, depth: int = 0) -> Target | None:
    m = mods.get(rel)
    if m is None or depth > _MAX_DEPTH:
        return None
    if "default" in m.exports:
        return local_target(mods, m, m.exports["default"][1], depth + 1)
    if "default" in m.values:
        return Target(m, m.values["default"], m.values["default"])
    if m.cjs_value is not None:
        return _value_of(mods, m, m.cjs_value, depth)
    return None


def _heritage(cls: Node) -> Node | None:
    for c in cls.named_children:
        if c.type == "class_heritage":
            ext = next((x for x in c.named_children if x.type == "extends_clause"), c)
            for x in ext.named_children:
                if x.type in ("identifier", "member_expression"):
                    return x
    return None


def members(mods: Mods, t: Target | None, name: str, depth: int = 0) -> Target | None:
    """The member ``name`` of the class, namespace, enum or object literal ``t`` declares."""
    if t is None or t.value is None or depth > _MAX_DEPTH:
        return None
    v, m = t.value, t.module
    if v.type in ("lexical_declaration", "variable_declaration", "variable_declarator"):
        return None
    if v.type in _CLASSES:
        body = v.child_by_field_name("body")
        for c in body.named_children if body is not None else []:
            n = c.child_by_field_name("name") or c.child_by_field_name("property")
            if n is not None and _text(n) == name:
                return Target(m, n, c)
        base = _heritage(v)
        if base is not None and base.type == "identifier":
            return members(mods, local_target(mods, m, _text(base), depth + 1), name, depth + 1)
        return None
    if v.type == "internal_module":
        body = v.child_by_field_name("body")
        for stmt in body.named_children if body is not None else []:
            for n, node, value in _declared(stmt):
                if n == name:
                    return Target(m, node, value)
        return None
    if v.type == "enum_declaration":
        body = v.child_by_field_name("body")
        for c in body.named_children if body is not None else []:
            n = c if c.type == "property_identifier" else c.child_by_field_name("name")
            if n is not None and _text(n) == name:
                return Target(m, n, c)
        return None
    if v.type == "object":
        for c in v.named_children:
            if c.type == "pair":
                k, val = c.child_by_field_name("key"), c.child_by_field_name("value")
                if k is not None and _text(k).strip("'\"") == name:
                    if val is not None and val.type == "identifier":
                        found = local_target(mods, m, _text(val), depth + 1)
                        if found is not None:
                            return found
                    return Target(m, k, val)
            elif c.type == "shorthand_property_identifier" and _text(c) == name:
                return local_target(mods, m, name, depth + 1)
            elif c.type == "method_definition":
                n = c.child_by_field_name("name")
                if n is not None and _text(n) == name:
                    return Target(m, n, c)
    return None


def module_member(mods: Mods, b: Binding, name: str) -> Target | bool | None:
    """``name`` of the module object ``b`` binds; False when ``b`` is not a module object."""
    if b.kind in ("namespace", "require"):
        return export_target(mods, b.source, name)
    if b.kind == "default":
        t = default_target(mods, b.source)
        if t is not None and t.value is not None and t.value.type == "object":
            return members(mods, t, name)
    return False


_NOT_USES = frozenset(
    {
        "import_specifier",
        "import_clause",
        "namespace_import",
        "export_specifier",
        "variable_declarator",
        "required_parameter",
        "optional_parameter",
        "formal_parameters",
        "function_declaration",
        "class_declaration",
        "shorthand_property_identifier_pattern",
        "pair_pattern",
    }
)


def _walk(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))
    return out


def _col(m: JsModule, node: Node) -> tuple[int, int]:
    row, byte_col = node.start_point
    line = m.lines[row]
    return row, len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def _enclosing_class(node: Node) -> Node | None:
    n = node.parent
    while n is not None:
        if n.type in _CLASSES:
            return n
        n = n.parent
    return None


def sites(mods: Mods) -> list[Site]:
    out: list[Site] = []
    for m in mods.values():
        for node in _walk(m.root):
            found: Target | None = None
            shape = ""
            name_node: Node | None = None
            if node.type == "member_expression":
                obj = node.child_by_field_name("object")
                prop = node.child_by_field_name("property")
                if obj is None or prop is None or prop.type != "property_identifier":
                    continue
                name_node = prop
                if obj.type == "identifier" and _text(obj) in m.imports:
                    b = m.imports[_text(obj)]
                    member = module_member(mods, b, _text(prop))
                    if member is not False:
                        found, shape = (member or None), "module_attr"
                    else:
                        decl = local_target(mods, m, _text(obj))
                        found, shape = members(mods, decl, _text(prop)), "other"
                elif obj.type == "this":
                    cls = _enclosing_class(node)
                    base = _heritage(cls) if cls is not None else None
                    if base is not None and base.type == "identifier":
                        decl = local_target(mods, m, _text(base))
                        found, shape = members(mods, decl, _text(prop)), "other"
            elif node.type in ("identifier", "type_identifier"):
                parent = node.parent
                if parent is None or parent.type in _NOT_USES or _text(node) not in m.imports:
                    continue
                if (
                    parent.type == "member_expression"
                    and parent.child_by_field_name("object") != node
                ):
                    continue
                b = m.imports[_text(node)]
                if b.kind in ("named", "default"):
                    found, shape, name_node = (
                        local_target(mods, m, _text(node)),
                        "imported_name",
                        node,
                    )
            if found is None or name_node is None or found.module.rel == m.rel:
                continue
            if _text(found.name) != _text(name_node):
                continue  # aliased: the definition line does not carry the name typed
            line, col = _col(m, name_node)
            after_dot = shape == "module_attr" or node.type == "member_expression"
            if after_dot and (col < 1 or m.lines[line][col - 1] != "."):
                continue
            def_file, def_line = found.key
            out.append(Site(shape, m.rel, line, col, _text(name_node), def_file, def_line))
    return out

"""The one language table: LSP id, editor aliases, file extensions, fence tag, display name,
comment and doc style, tree-sitter grammar and scope nodes, indentation-based or not.

Everything that depends on a language asks here (`language(id)`, `for_path(path)`), so adding
one is one entry. This module imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

_JS_SCOPES = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "class_declaration",
        "class",
    }
)
_TS_SCOPES = _JS_SCOPES | {
    "interface_declaration",
    "abstract_class_declaration",
    "function_signature",
}


@dataclass(frozen=True, slots=True)
class Language:
    id: str
    """LSP language id."""
    name: str
    """How prompts name it."""
    extensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other spellings editors send (`py`, `tsx`, `golang`)."""
    fence: str = ""
    """Info string of a fenced code block (defaults to the id)."""
    line_comment: str = ""
    doc_style: str = "the usual doc comment of the language"
    """How a docstring / doc comment is written, for "Add docstring"."""
    grammar: tuple[str, str] | None = None
    """(module, function returning the tree-sitter language pointer)."""
    scope_nodes: frozenset[str] = frozenset()
    """tree-sitter node types that are functions, methods or classes."""
    indent_based: bool = False
    """Blocks by indentation (Python) rather than brackets."""
    typed: bool = False
    """Has optional type annotations ("Add type hints" makes sense)."""
    family: str = ""
    """Languages sharing syntax rules (`js` for JS/TS and their JSX forms)."""

    @property
    def fence_tag(self) -> str:
        return self.fence or self.id


_LANGUAGES: tuple[Language, ...] = (
    Language(
        "python",
        "Python",
        (".py", ".pyi", ".pyw"),
        ("py", "python3"),
        line_comment="#",
        doc_style="a PEP 257 docstring (summary line, then Args/Returns/Raises if useful)",
        grammar=("tree_sitter_python", "language"),
        scope_nodes=frozenset({"function_definition", "class_definition", "decorated_definition"}),
        indent_based=True,
        typed=True,
        family="python",
    ),
    Language(
        "javascript",
        "JavaScript",
        (".js", ".mjs", ".cjs"),
        ("js",),
        line_comment="//",
        doc_style="a JSDoc comment (/** ... */) above it",
        grammar=("tree_sitter_javascript", "language"),
        scope_nodes=_JS_SCOPES,
        family="js",
    ),
    Language(
        "javascriptreact",
        "JavaScript (JSX)",
        (".jsx",),
        ("jsx",),
        fence="jsx",
        line_comment="//",
        doc_style="a JSDoc comment (/** ... */) above it",
        grammar=("tree_sitter_javascript", "language"),
        scope_nodes=_JS_SCOPES,
        family="js",
    ),
    Language(
        "typescript",
        "TypeScript",
        (".ts", ".mts", ".cts"),
        ("ts",),
        line_comment="//",
        doc_style="a TSDoc comment (/** ... */) above it, without repeating the types",
        grammar=("tree_sitter_typescript", "language_typescript"),
        scope_nodes=_TS_SCOPES,
        typed=True,
        family="js",
    ),
    Language(
        "typescriptreact",
        "TypeScript (TSX)",
        (".tsx",),
        ("tsx",),
        fence="tsx",
        line_comment="//",
        doc_style="a TSDoc comment (/** ... */) above it, without repeating the types",
        grammar=("tree_sitter_typescript", "language_tsx"),
        scope_nodes=_TS_SCOPES,
        typed=True,
        family="js",
    ),
    Language(
        "go",
        "Go",
        (".go",),
        ("golang",),
        line_comment="//",
        doc_style="a // comment above it that starts with the identifier's name",
        grammar=("tree_sitter_go", "language"),
        scope_nodes=frozenset(
            {"function_declaration", "method_declaration", "func_literal", "type_declaration"}
        ),
        family="go",
    ),
    Language(
        "rust",
        "Rust",
        (".rs",),
        ("rs",),
        line_comment="//",
        doc_style="/// doc comments above it (with # Errors / # Panics sections if they apply)",
        grammar=("tree_sitter_rust", "language"),
        scope_nodes=frozenset(
            {
                "function_item",
                "impl_item",
                "trait_item",
                "struct_item",
                "enum_item",
                "closure_expression",
            }
        ),
        family="rust",
    ),
    Language(
        "java",
        "Java",
        (".java",),
        line_comment="//",
        doc_style="a Javadoc comment (/** ... */) above it",
    ),
    Language(
        "kotlin",
        "Kotlin",
        (".kt", ".kts"),
        line_comment="//",
        doc_style="a KDoc comment (/** ... */) above it",
    ),
    Language(
        "csharp",
        "C#",
        (".cs",),
        ("cs", "c#"),
        fence="csharp",
        line_comment="//",
        doc_style="/// <summary> XML doc comments above it",
    ),
    Language("c", "C", (".c", ".h"), line_comment="//", doc_style="a /** ... */ comment above it"),
    Language(
        "cpp",
        "C++",
        (".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx"),
        ("c++",),
        line_comment="//",
        doc_style="a /** ... */ or /// comment above it",
    ),
    Language(
        "ruby",
        "Ruby",
        (".rb",),
        ("rb",),
        line_comment="#",
        doc_style="# comments above it in YARD style",
        typed=True,
    ),
    Language(
        "php",
        "PHP",
        (".php",),
        line_comment="//",
        doc_style="a PHPDoc comment (/** ... */) above it",
        typed=True,
    ),
    Language("lua", "Lua", (".lua",), line_comment="--", typed=True),
    Language("dart", "Dart", (".dart",), line_comment="//", typed=True),
    Language("hack", "Hack", (".hack",), line_comment="//", typed=True),
    Language("elixir", "Elixir", (".ex", ".exs"), line_comment="#", typed=True),
    Language("swift", "Swift", (".swift",), line_comment="//"),
    Language("scala", "Scala", (".scala", ".sc"), line_comment="//"),
    Language("haskell", "Haskell", (".hs",), line_comment="--"),
    Language("perl", "Perl", (".pl", ".pm"), line_comment="#"),
    Language("r", "R", (".r", ".R"), line_comment="#"),
    Language(
        "shellscript",
        "shell",
        (".sh", ".bash", ".zsh"),
        ("sh", "bash", "zsh", "shell"),
        fence="sh",
        line_comment="#",
    ),
    Language("sql", "SQL", (".sql",), line_comment="--"),
    Language("html", "HTML", (".html", ".htm")),
    Language("css", "CSS", (".css",)),
    Language("scss", "SCSS", (".scss",), line_comment="//"),
    Language("json", "JSON", (".json",)),
    Language("jsonc", "JSON with comments", (".jsonc",), line_comment="//"),
    Language("yaml", "YAML", (".yaml", ".yml"), ("yml",), line_comment="#", indent_based=True),
    Language("toml", "TOML", (".toml",), line_comment="#"),
    Language("markdown", "Markdown", (".md", ".markdown"), ("md",)),
    Language("dockerfile", "Dockerfile", (), line_comment="#"),
    Language("makefile", "Makefile", (".mk",), ("make",), line_comment="#"),
    Language("coffeescript", "CoffeeScript", (".coffee",), line_comment="#", indent_based=True),
    Language("nim", "Nim", (".nim",), line_comment="#", indent_based=True),
    Language("fsharp", "F#", (".fs", ".fsx"), line_comment="//", indent_based=True),
    Language("elm", "Elm", (".elm",), line_comment="--", indent_based=True),
    Language("gdscript", "GDScript", (".gd",), line_comment="#", indent_based=True),
    Language("sass", "Sass", (".sass",), line_comment="//", indent_based=True),
    Language("pug", "Pug", (".pug",), line_comment="//", indent_based=True),
    Language("haml", "Haml", (".haml",), indent_based=True),
)

_BY_NAME: dict[str, Language] = {}
for _lang in _LANGUAGES:
    for _name in (_lang.id, *_lang.aliases):
        _BY_NAME.setdefault(_name.lower(), _lang)
_BY_EXTENSION: dict[str, Language] = {ext: lang for lang in _LANGUAGES for ext in lang.extensions}
_BY_FILE_NAME: dict[str, Language] = {
    "dockerfile": _BY_NAME["dockerfile"],
    "makefile": _BY_NAME["makefile"],
    "gnumakefile": _BY_NAME["makefile"],
}


@lru_cache(maxsize=256)
def language(language_id: str) -> Language:
    """The entry for an editor's language id (aliases accepted); an unknown id gets a plain
    entry of its own, so callers never need a None check."""
    found = _BY_NAME.get(language_id.lower())
    if found is not None:
        return found
    return Language(language_id.lower(), language_id or "plain text")


def normalize(language_id: str) -> str:
    """The LSP id for an editor's spelling (`py` -> `python`)."""
    return language(language_id).id


@lru_cache(maxsize=4096)
def for_path(path: str | PurePath) -> Language:
    """The language of a file by its name (`plaintext` when unknown)."""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    dot = name.rfind(".")
    suffix = name[dot:] if dot > 0 else ""
    found = _BY_EXTENSION.get(suffix) or _BY_EXTENSION.get(suffix.lower())
    if found is None:
        found = _BY_FILE_NAME.get(name.lower())
    return found if found is not None else language("plaintext")

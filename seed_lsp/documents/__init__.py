"""The document store: the one owner of each open document's text, line index, version,
syntax tree and live definitions. Everything else reads immutable `Snapshot`s.

A change arrives as an LSP range and replaces whole lines in place (no diffing, no joining of
the whole text); the tree-sitter edit and the live definitions' line change come from the same
range. Positions from a client that fall past the end of a line or of the document, or inside
a surrogate pair, are clamped: a bad position never crashes a request. Only this package knows
that LSP counts columns in UTF-16 units by default (or UTF-8 bytes, or UTF-32 code points).

- `encoding.py`: columns in the client's units;
- `document.py`: one open document and its edits;
- `snapshot.py`: a document's text at one revision;
- `store.py`: documents by URI, and the listeners that hear of each change.
"""

from seed_lsp.documents.document import Document, TextChange
from seed_lsp.documents.encoding import Encoding, column_from_units, units
from seed_lsp.documents.snapshot import Snapshot
from seed_lsp.documents.store import ChangeListener, DocumentStore

__all__ = [
    "ChangeListener",
    "Document",
    "DocumentStore",
    "Encoding",
    "Snapshot",
    "TextChange",
    "column_from_units",
    "units",
]

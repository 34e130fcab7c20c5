"""What vulture cannot see used (tests/test_quality.py runs it on seed_lsp with this file):
each name with why it stays. Anything else it finds unused is dead code, and fails the test."""

# ruff: noqa: B018
import logging

from seed_lsp import edits
from seed_lsp.context import ContextEngine
from seed_lsp.documents.document import Document
from seed_lsp.edits.answer import EditResult
from seed_lsp.llm import endpoints
from seed_lsp.llm.transport import Pool
from seed_lsp.log import RedactingStream
from seed_lsp.server.core import SeedLanguageServer

ContextEngine.wait_ready  # ``ready`` for synchronous callers: tests and benches
ContextEngine.shutdown  # stops the index's worker (tests and benches make many engines)
Document.position_at  # the store's API: an offset back to a position (tests, tools)
EditResult.added_imports  # the edit's report, read by tests and benches
EditResult.rationale  # the model's words outside the fence, part of the edit's report
endpoints.FAMILIES  # every family, for tests that go through all of them
Pool._closing  # holds the closing of a replaced pool, so the task is not collected
logging.LogRecord.msg  # Redactor.filter rewrites it: logging reads it
RedactingStream.writable  # the text-stream protocol sys.stderr must keep
edits.__getattr__  # PEP 562: seed_lsp.edits' lazy names, called by the import system
SeedLanguageServer._start_io_async  # pygls' start_io calls it (overridden: stdin on the loop)
SeedLanguageServer._stop_event  # pygls' shutdown() sets it to end its read loop

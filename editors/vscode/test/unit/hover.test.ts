import assert from 'node:assert/strict';
import { test } from 'node:test';

import { hoverMarkdown, symbolTitle } from '../../src/hover';

test('the markdown of a Hover with MarkupContent', () => {
  const hover = { contents: { kind: 'markdown', value: '`total` is the **sum**.' }, range: {} };
  assert.equal(hoverMarkdown(hover), '`total` is the **sum**.');
});

test('no hover, an empty one, or one without contents: nothing', () => {
  assert.equal(hoverMarkdown(null), undefined);
  assert.equal(hoverMarkdown(undefined), undefined);
  assert.equal(hoverMarkdown({}), undefined);
  assert.equal(hoverMarkdown({ contents: { kind: 'markdown', value: '  \n' } }), undefined);
  assert.equal(hoverMarkdown({ contents: [] }), undefined);
});

test('MarkedStrings and plain text', () => {
  assert.equal(
    hoverMarkdown({ contents: ['*a*', { language: 'python', value: 'x = 1' }] }),
    '*a*\n\n---\n\n```python\nx = 1\n```',
  );
  assert.equal(hoverMarkdown({ contents: { kind: 'plaintext', value: 'a*b' } }), 'a\\*b');
});

test('the panel title names the symbol and where it is', () => {
  assert.equal(symbolTitle('explain.py', 2, 'total'), 'Seed: Explain total (explain.py:3)');
  assert.equal(symbolTitle('explain.py', 0, ' '), 'Seed: Explain explain.py:1');
  assert.equal(symbolTitle('a.py', 0), 'Seed: Explain a.py:1');
  assert.match(symbolTitle('a.py', 0, 'x'.repeat(60)), /^Seed: Explain x{39}… \(a\.py:1\)$/);
});

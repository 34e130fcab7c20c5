import assert from 'node:assert/strict';
import { test } from 'node:test';

import { acceptedLength, firstEdit, insertLabel, movedAway, tabAction } from '../../src/nextEditModel';

const range = (sl: number, sc: number, el: number, ec: number) => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
});

test('firstEdit takes the first well-formed edit of an answer', () => {
  const item = { text: 'products', range: range(1, 42, 1, 47), textDocument: { uri: 'file:///a.py', version: 3 } };
  assert.deepEqual(firstEdit({ edits: [item] }), item);
  assert.equal(firstEdit({ edits: [] }), undefined);
  assert.equal(firstEdit(null), undefined);
  assert.equal(firstEdit({ edits: [{ text: 'x', range: range(0, 0, 0, 0) }] }), undefined); // no textDocument
  assert.equal(firstEdit({ edits: [{ ...item, range: { start: { line: 1 } } }] }), undefined);
});

test('insertLabel: the first line, and how many follow', () => {
  assert.equal(insertLabel('products'), 'products');
  assert.equal(insertLabel('a\nb\nc'), 'a (+2 lines)');
  assert.equal(insertLabel('\nb'), '⏎ (+1 line)');
  assert.equal(insertLabel('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
});

test('Tab jumps when the cursor is off the edit, applies when on it', () => {
  assert.equal(tabAction(0, range(1, 42, 1, 47)), 'jump');
  assert.equal(tabAction(1, range(1, 42, 1, 47)), 'apply');
  assert.equal(tabAction(3, range(1, 0, 2, 5)), 'jump');
});

test('moving away: beyond the lines between the cursor and the edit', () => {
  const r = range(5, 0, 5, 3);
  assert.equal(movedAway(2, 2, r), false); // where it was
  assert.equal(movedAway(4, 2, r), false); // on the way
  assert.equal(movedAway(5, 2, r), false); // on the edit
  assert.equal(movedAway(1, 2, r), true);
  assert.equal(movedAway(6, 2, r), true);
});

test('acceptedLength counts UTF-16 units of a strict prefix only', () => {
  assert.equal(acceptedLength('return a + b', 'return '), 7);
  assert.equal(acceptedLength('return a + b', 'return a + b'), undefined); // all of it: a full accept
  assert.equal(acceptedLength('return a + b', ''), undefined);
  assert.equal(acceptedLength('return a + b', 'retx'), undefined);
  assert.equal(acceptedLength('s = "😀" + t', 's = "😀'), 7); // the emoji is two UTF-16 units
});

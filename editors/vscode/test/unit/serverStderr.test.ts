import assert from 'node:assert/strict';
import { test } from 'node:test';

import { StderrTail, startFailure, stderrSummary } from '../../src/serverStderr';

test('the tail keeps the last lines, without blank ones', () => {
  const tail = new StderrTail(3);
  for (const line of ['one', '', '  ', 'two\r', 'three', 'four  ']) {
    tail.push(line);
  }
  assert.deepEqual(tail.lines, ['two', 'three', 'four']);
});

test('a Python traceback is summed up by its exception', () => {
  const lines = [
    'Traceback (most recent call last):',
    '  File "<frozen runpy>", line 189, in _run_module_as_main',
    "ModuleNotFoundError: No module named 'seed_lsp'",
  ];
  assert.equal(stderrSummary(lines), "ModuleNotFoundError: No module named 'seed_lsp'");
  assert.equal(
    startFailure('Pending response rejected since connection got disposed', lines),
    "the server did not start: ModuleNotFoundError: No module named 'seed_lsp'",
  );
});

test('an error line wins over later routine lines; else the last line', () => {
  assert.equal(
    stderrSummary(['12:00 INFO seed: starting', '12:00 ERROR seed: bad setting x', '12:00 INFO seed: bye']),
    '12:00 ERROR seed: bad setting x',
  );
  assert.equal(stderrSummary(['starting', 'exiting now']), 'exiting now');
});

test('no stderr: the client error; long lines are cut', () => {
  assert.equal(stderrSummary([]), undefined);
  assert.equal(startFailure('spawn /nope ENOENT', []), 'the server did not start: spawn /nope ENOENT');
  const long = stderrSummary(['Error: ' + 'x'.repeat(500)], 50);
  assert.equal(long?.length, 50);
  assert.ok(long?.endsWith('…'));
});

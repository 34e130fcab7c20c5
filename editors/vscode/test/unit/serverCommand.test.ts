import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ServerNotFound, serverLaunch, whichOnPath } from '../../src/serverCommand';

const nothing = () => undefined;

test('an explicit path wins, then pythonPath, then PATH', () => {
  const which = (name: string) => (name === 'seed-lsp' ? '/usr/local/bin/seed-lsp' : undefined);
  assert.deepEqual(serverLaunch({ path: '/opt/seed-lsp', pythonPath: '/py' }, which), {
    command: '/opt/seed-lsp',
    args: ['--stdio'],
  });
  assert.deepEqual(serverLaunch({ path: ' ', pythonPath: '/venv/bin/python' }, which), {
    command: '/venv/bin/python',
    args: ['-m', 'seed_lsp', '--stdio'],
  });
  assert.deepEqual(serverLaunch({}, which), { command: '/usr/local/bin/seed-lsp', args: ['--stdio'] });
});

test('no server anywhere says how to fix it', () => {
  assert.throws(() => serverLaunch({}, nothing), (err: Error) => {
    assert.ok(err instanceof ServerNotFound);
    assert.match(err.message, /seedLsp\.server\.path/);
    return true;
  });
});

test('whichOnPath walks PATH in order', () => {
  const files = new Set(['/b/seed-lsp', '/c/seed-lsp']);
  const which = whichOnPath({ PATH: '/a:/b:/c' }, (f) => files.has(f), 'linux');
  assert.equal(which('seed-lsp'), '/b/seed-lsp');
  assert.equal(which('other'), undefined);
  assert.equal(whichOnPath({}, () => true, 'linux')('seed-lsp'), undefined);
});

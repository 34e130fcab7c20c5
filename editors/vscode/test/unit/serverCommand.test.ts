import assert from 'node:assert/strict';
import { test } from 'node:test';

import { serverLaunch, whichOnPath } from '../../src/serverCommand';

const nothing = () => undefined;

test('an explicit path wins, then pythonPath, then PATH', () => {
  const which = (name: string) => (name === 'seed-lsp' ? '/usr/local/bin/seed-lsp' : undefined);
  assert.deepEqual(serverLaunch({ path: '/opt/seed-lsp', pythonPath: '/py' }, which), {
    command: '/opt/seed-lsp',
    args: ['--stdio'],
    origin: 'seedLsp.server.path',
  });
  assert.deepEqual(serverLaunch({ path: ' ', pythonPath: '/venv/bin/python' }, which), {
    command: '/venv/bin/python',
    args: ['-m', 'seed_lsp', '--stdio'],
    origin: 'seedLsp.server.pythonPath',
  });
  assert.deepEqual(serverLaunch({}, which), { command: '/usr/local/bin/seed-lsp', args: ['--stdio'], origin: 'PATH' });
});

test('no server anywhere: undefined (the extension then offers to set one up)', () => {
  assert.equal(serverLaunch({}, nothing), undefined);
  assert.equal(serverLaunch({ path: '  ', pythonPath: '' }, nothing), undefined);
});

test('whichOnPath walks PATH in order', () => {
  const files = new Set(['/b/seed-lsp', '/c/seed-lsp']);
  const which = whichOnPath({ PATH: '/a:/b:/c' }, (f) => files.has(f), 'linux');
  assert.equal(which('seed-lsp'), '/b/seed-lsp');
  assert.equal(which('other'), undefined);
  assert.equal(whichOnPath({}, () => true, 'linux')('seed-lsp'), undefined);
});

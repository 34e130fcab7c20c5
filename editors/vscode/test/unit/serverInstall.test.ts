import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import {
  PROBE_SCRIPT,
  layout,
  noPythonMessage,
  parseProbe,
  pipFailure,
  pipProgress,
  plan,
  unusable,
} from '../../src/serverInstall';

const manifest = { name: 'seed-lsp', version: '0.2.0', wheel: 'seed_lsp-0.2.0-py3-none-any.whl', sourceHash: 'abc' };
const record = { version: '0.2.0', sourceHash: 'abc', python: '/usr/bin/python3', pythonVersion: '3.11.2', installedAt: 'x' };

test('layout: a venv under the storage folder, per platform', () => {
  const posix = layout('/home/u/.config/Code/User/globalStorage/seed-lsp.seed-lsp', 'linux');
  assert.equal(posix.venv, '/home/u/.config/Code/User/globalStorage/seed-lsp.seed-lsp/server/venv');
  assert.equal(posix.seedLsp, `${posix.venv}/bin/seed-lsp`);
  assert.equal(posix.python, `${posix.venv}/bin/python`);
  const win = layout('C:\\Users\\u\\AppData\\Roaming\\Code\\User\\globalStorage\\seed-lsp.seed-lsp', 'win32');
  assert.equal(win.seedLsp, `${win.venv}\\Scripts\\seed-lsp.exe`);
  assert.equal(win.python, `${win.venv}\\Scripts\\python.exe`);
});

test('plan: fresh, ready, or update when the bundled server changed', () => {
  assert.equal(plan(manifest, undefined, false), 'fresh');
  assert.equal(plan(manifest, record, false), 'fresh'); // the record outlived the venv
  assert.equal(plan(manifest, record, true), 'ready');
  assert.equal(plan({ ...manifest, version: '0.3.0' }, record, true), 'update');
  // Same version number, different sources (a rebuilt .vsix): update too.
  assert.equal(plan({ ...manifest, sourceHash: 'def' }, record, true), 'update');
});

test('the probe script runs on a real Python and parses', () => {
  const result = spawnSync(process.env.SEED_LSP_PYTHON || 'python3', ['-c', PROBE_SCRIPT], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const probe = parseProbe(result.stdout);
  assert.ok(probe);
  assert.equal(probe.version.length, 3);
  assert.ok(probe.executable);
  assert.equal(parseProbe('garbage'), undefined);
  assert.equal(parseProbe('{"version": "3.11"}'), undefined);
});

test('unusable: too old, no ensurepip, or fine', () => {
  const good = { version: [3, 11, 2] as [number, number, number], executable: '/usr/bin/python3', venv: true, ensurepip: true };
  assert.equal(unusable(good), undefined);
  assert.equal(unusable({ ...good, version: [3, 13, 0] }), undefined);
  assert.match(unusable({ ...good, version: [3, 10, 12] }) ?? '', /Python 3\.10\.12, older than 3\.11/);
  assert.match(unusable({ ...good, ensurepip: false }, 'linux') ?? '', /without the venv module's ensurepip \(Debian\/Ubuntu: sudo apt install python3\.11-venv\)/);
  assert.equal(unusable(undefined), 'did not run');
});

test('no usable Python: says exactly that, what was tried, and what to install', () => {
  const text = noPythonMessage(
    [
      { candidate: { command: '/usr/bin/python3', args: [], origin: 'python3 on PATH' }, problem: 'is Python 3.9.2, older than 3.11' },
    ],
    'linux',
  );
  assert.match(text, /^Seed needs Python 3\.11 or newer to set up its server, and found none\./);
  assert.match(text, /Tried: python3 on PATH \(\/usr\/bin\/python3\) is Python 3\.9\.2, older than 3\.11\./);
  assert.match(text, /sudo apt install python3 python3-venv/);
  assert.match(text, /"Seed: Set Up Server"/);
  assert.match(noPythonMessage([], 'win32'), /python\.org/);
  assert.match(noPythonMessage([], 'darwin'), /brew install/);
  assert.doesNotMatch(noPythonMessage([], 'linux'), /pip install seed-lsp|pipx/);
});

test('pip progress and failures, from its output lines', () => {
  assert.equal(pipProgress('Collecting httpx<1,>=0.28 (from seed-lsp==0.1.0)'), 'collecting httpx');
  assert.equal(pipProgress('  Downloading tree_sitter-0.25.2-cp311-cp311-manylinux.whl (600 kB)'), 'downloading tree_sitter');
  assert.equal(pipProgress('Processing /x/out/server/seed_lsp-0.1.0-py3-none-any.whl'), 'processing seed_lsp');
  assert.equal(pipProgress('Installing collected packages: a, b, c'), 'installing 3 packages');
  assert.equal(pipProgress('  Using cached idna-3.10-py3-none-any.whl'), undefined);
  assert.equal(
    pipFailure(['Collecting pygls', 'ERROR: Could not find a version that satisfies the requirement pygls<3,>=2.1', 'ERROR: No matching distribution found for pygls<3,>=2.1']),
    'No matching distribution found for pygls<3,>=2.1',
  );
  assert.equal(pipFailure(['Error: [Errno 13] Permission denied']), 'Error: [Errno 13] Permission denied');
  assert.equal(pipFailure([]), 'pip failed');
});

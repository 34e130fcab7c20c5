import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import {
  Inspected,
  contributedKeys,
  documentSelector,
  explicitValue,
  isExtensionKey,
  needsRestart,
  serverSection,
} from '../../src/settings';

const packageJson = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'),
);

test('only values the user set reach the server, nested by their dots', () => {
  const values: Record<string, Inspected> = {
    baseUrl: { globalValue: 'http://127.0.0.1:9/v1' },
    model: {},
    'inlineCompletion.enabled': { globalValue: true, workspaceValue: false },
    'inlineCompletion.debounceMs': { workspaceFolderValue: 0, workspaceValue: 300 },
    'hover.mode': { globalValue: 'explicit' },
    'server.path': { globalValue: '/usr/bin/seed-lsp' },
    'trace.server': { globalValue: 'verbose' },
  };
  const section = serverSection(Object.keys(values), (k) => values[k]);
  assert.deepEqual(section, {
    baseUrl: 'http://127.0.0.1:9/v1',
    inlineCompletion: { enabled: false, debounceMs: 0 },
    hover: { mode: 'explicit' },
  });
});

test('an apiKey in settings is never passed on (the key comes from the secret store)', () => {
  const values: Record<string, Inspected> = { apiKey: { globalValue: 'from-settings' } };
  assert.deepEqual(serverSection(Object.keys(values), (k) => values[k]), {});
});

test('explicitValue prefers folder over workspace over user, and keeps falsy values', () => {
  assert.equal(explicitValue(undefined), undefined);
  assert.equal(explicitValue({}), undefined);
  assert.equal(explicitValue({ globalValue: 1, workspaceValue: 0 }), 0);
  assert.equal(explicitValue({ globalValue: '', workspaceFolderValue: undefined }), '');
  assert.equal(explicitValue({ globalValue: 1, workspaceValue: 2, workspaceFolderValue: 3 }), 3);
});

test('package.json contributes the server settings and the extension own ones, no apiKey', () => {
  const keys = contributedKeys(packageJson);
  assert.ok(keys.includes('baseUrl'));
  assert.ok(keys.includes('inlineCompletion.enabled'));
  assert.ok(keys.includes('server.path'));
  assert.ok(keys.includes('server.pythonPath'));
  assert.ok(!keys.includes('apiKey'));
  const defaults = Object.fromEntries(
    keys.map((k) => [k, packageJson.contributes.configuration.properties[`seedLsp.${k}`].default]),
  );
  // With every default "set", the server section is the defaults, minus the extension's keys.
  const section = serverSection(keys, (k) => ({ globalValue: defaults[k] }));
  assert.equal(section.baseUrl, 'https://api.aimlapi.com/v1');
  assert.equal((section.inlineCompletion as Record<string, unknown>).enabled, true);
  assert.equal(section.server, undefined);
  assert.equal(section.trace, undefined);
});

test('every contributed command has a title and the Seed category', () => {
  for (const command of packageJson.contributes.commands) {
    assert.ok(command.title, command.command);
    assert.equal(command.category, 'Seed');
  }
});

test('only server.* settings need a restart', () => {
  assert.equal(needsRestart((s) => s === 'seedLsp.server'), true);
  assert.equal(needsRestart((s) => s === 'seedLsp'), false);
});

test('seedLsp.enable: every document unless a language turns it off', () => {
  const langs = ['python', 'markdown', 'json'];
  assert.deepEqual(documentSelector(langs, () => true), [{ scheme: 'file' }, { scheme: 'untitled' }]);
  assert.deepEqual(documentSelector(langs, (id) => id === 'python'), [
    { scheme: 'file', language: 'python' },
    { scheme: 'untitled', language: 'python' },
  ]);
  assert.deepEqual(documentSelector(langs, () => false), []);
  assert.equal(isExtensionKey('enable'), true);
  assert.equal(isExtensionKey('inlineCompletion.enabled'), false);
  assert.equal(needsRestart((s) => s === 'seedLsp.enable'), true);
  assert.equal(needsRestart((s) => s === 'seedLsp.model'), false);
});

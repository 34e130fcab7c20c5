// From nothing to ghost text: real VS Code (code-server in headless Chromium) on a machine
// where `seed-lsp` is not on PATH and no setting points at a server. Only the packaged .vsix is
// installed; the extension offers to set its server up, the test accepts ("Set Up"), the
// extension builds a virtual environment with python3 and installs the wheel it ships; then the
// key is set through "Seed: Set API Key" and ghost text appears and is accepted. Last, the
// installed server is made to look out of date and a restart updates it.
//
// pip runs with --no-index against a local wheelhouse of the dependencies
// (tests/editors/wheelhouse.py, filled once from the package index into the test cache), so the
// run itself touches no network. Prints the time from `--install-extension` to the first ghost
// text, and its parts; writes them to .test-artifacts/fresh-report.json.
//
// Exit 0 when every step passed; 1 otherwise. When a part cannot be had (code-server, Chromium,
// the wheelhouse), writes the reason to .test-artifacts/fresh-SKIPPED and exits 0.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  ARTIFACTS,
  HERE,
  REPO,
  Skip,
  TEST_KEY,
  USER_SETTINGS,
  copyLogs,
  elapsed,
  ensureChromium,
  ensureCodeServer,
  installVsix,
  log,
  openWorkbench,
  outputLogs,
  pythonPath,
  sleep,
  startFake,
  writeJson,
} from './lib.mjs';

const SKIPPED = path.join(ARTIFACTS, 'fresh-SKIPPED');

/** The wheelhouse folder (tests/editors/wheelhouse.py), or Skip. */
function wheelhouse(python) {
  const result = spawnSync(python, ['-m', 'tests.editors.wheelhouse'], { cwd: REPO, encoding: 'utf8', timeout: 900_000 });
  if (result.status === 3) {
    throw new Skip(`no wheelhouse for an offline pip install: ${result.stderr.trim()}`);
  }
  if (result.status !== 0) {
    throw new Error(`building the wheelhouse failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout.trim();
}

/** PATH without any folder that holds a `seed-lsp`: the machine of a user who never installed it. */
function pathWithoutSeedLsp() {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const kept = dirs.filter((dir) => !fs.existsSync(path.join(dir, 'seed-lsp')));
  const which = spawnSync('sh', ['-c', 'command -v seed-lsp || true'], { env: { PATH: kept.join(path.delimiter) }, encoding: 'utf8' });
  if (which.stdout.trim()) {
    throw new Error(`seed-lsp is still on the test's PATH: ${which.stdout.trim()}`);
  }
  return kept.join(path.delimiter);
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.rmSync(SKIPPED, { force: true });
  const children = [];
  let browser;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-vscode-fresh-'));
  const userData = path.join(tmp, 'user-data');
  const results = [];
  const times = {};
  const stepDone = (name, since) => {
    const seconds = (Date.now() - since) / 1000;
    results.push({ name, outcome: 'PASS', seconds });
    log(`PASS  ${name} (${seconds.toFixed(1)}s)`);
  };
  let current = 'setup';
  let toasts;
  try {
    ensureChromium();
    const codeServer = ensureCodeServer();
    const python = pythonPath();
    const wheels = wheelhouse(python);
    const fake = await startFake(python, path.join(ARTIFACTS, 'fresh-requests.jsonl'), 'fresh-fake-endpoint');
    children.push(fake.child);

    const workspace = path.join(tmp, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    fs.copyFileSync(path.join(HERE, 'workspace', 'ghost.go'), path.join(workspace, 'ghost.go'));
    // The endpoint is the only setting: no server path, no Python.
    writeJson(path.join(workspace, '.vscode', 'settings.json'), { 'seedLsp.baseUrl': fake.url });
    writeJson(path.join(userData, 'User', 'settings.json'), USER_SETTINGS);
    const extensions = path.join(tmp, 'extensions');
    const env = {
      ...process.env,
      PATH: pathWithoutSeedLsp(),
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
      AIMLAPI_KEY: '',
      SEED_LSP_API_KEY: '',
      // pip from the wheelhouse only, ignoring this machine's pip configuration.
      PIP_NO_INDEX: '1',
      PIP_FIND_LINKS: wheels,
      PIP_CONFIG_FILE: os.devnull,
    };
    delete env.VIRTUAL_ENV;
    delete env.PYTHONPATH;
    log(`setup done (${tmp}); PATH has no seed-lsp; wheelhouse ${wheels}`);

    current = 'only the packaged .vsix is installed';
    const t0 = Date.now();
    times.installVsixMs = installVsix(codeServer, userData, extensions, env);
    stepDone(current, t0);

    current = 'the extension offers to set up its server, and sets it up';
    let since = Date.now();
    const opened = await openWorkbench({ codeServer, userData, extensions, workspace, env, cwd: tmp, name: 'fresh-code-server' });
    children.push(opened.child);
    browser = opened.browser;
    const wb = opened.wb;
    times.workbenchMs = Date.now() - t0;
    toasts = wb.page.locator('.notifications-toasts .notification-toast');
    const offer = toasts.filter({ hasText: 'Seed needs its language server' }).first();
    await offer.waitFor({ timeout: 60_000 });
    times.offerMs = Date.now() - t0;
    await wb.shot('fresh-offer');
    const setupStart = Date.now();
    await offer.getByRole('button', { name: 'Set Up' }).click();
    await toasts.filter({ hasText: 'Seed: setting up its server' }).first().waitFor({ timeout: 20_000 });
    await wb.shot('fresh-progress');
    await wb.until('the server to run', async () => {
      const text = await wb.statusText();
      return /Seed/.test(text) && !/starting|set up the server/.test(text);
    }, 180_000);
    times.setUpMs = Date.now() - setupStart;
    // The fake endpoint is on 127.0.0.1: taken for a keyless local server until it refuses
    // the first request for want of a key.
    await wb.open('ghost.go');
    await wb.goTo(5, 2);
    await wb.command('Trigger Inline Suggestion');
    await wb.until('the status "no API key"', async () => /no API key/.test(await wb.statusText()), 20_000);
    const record = JSON.parse(fs.readFileSync(findInstalled(userData), 'utf8'));
    log(`installed: seed-lsp ${record.version} with Python ${record.pythonVersion} (${record.python})`);
    stepDone(current, since);

    current = 'Seed: Set API Key, then ghost text appears and Tab accepts it';
    since = Date.now();
    await wb.command('Seed: Set API Key');
    const input = wb.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(TEST_KEY);
    await wb.page.keyboard.press('Enter');
    await wb.until('the status bar to leave "no API key"', async () => {
      const text = await wb.statusText();
      return !/no API key|starting/.test(text) && text;
    }, 30_000);
    await wb.open('ghost.go');
    await wb.goTo(5, 2);
    await wb.command('Trigger Inline Suggestion');
    const ghost = wb.page.locator('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text');
    await wb.until('ghost text with "return a + b"', async () =>
      (await ghost.allTextContents()).join('').replace(/\u00a0/g, ' ').includes('return a + b'), 30_000);
    times.installToGhostMs = Date.now() - t0;
    await wb.shot('fresh-ghost-text');
    await wb.page.keyboard.press('Tab');
    await wb.save();
    await wb.until('ghost.go on disk to have the accepted text', () =>
      /return a \+ b/.test(fs.readFileSync(path.join(workspace, 'ghost.go'), 'utf8')));
    stepDone(current, since);

    current = 'a changed bundled server is updated on the next start';
    since = Date.now();
    const recordFile = findInstalled(userData);
    const stale = { ...JSON.parse(fs.readFileSync(recordFile, 'utf8')), sourceHash: 'an-older-build' };
    fs.writeFileSync(recordFile, JSON.stringify(stale));
    await wb.command('Seed: Restart Server');
    await wb.until('the update to be logged', () =>
      outputLogs(userData).some((c) => /Seed LSP\.log$/.test(c.name) && /the bundled server changed/.test(c.text)), 30_000);
    await wb.until('installed.json to name the bundled build again', () =>
      JSON.parse(fs.readFileSync(recordFile, 'utf8')).sourceHash !== 'an-older-build', 120_000);
    await wb.until('the updated server to run', async () => {
      const text = await wb.statusText();
      return !/error|starting|stopped|set up/i.test(text) && text;
    }, 60_000);
    await toasts.filter({ hasText: 'Seed: updating its server' }).first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    times.updateMs = Date.now() - since;
    stepDone(current, since);
  } catch (err) {
    if (err instanceof Skip) {
      fs.writeFileSync(SKIPPED, err.message);
      log(`SKIP: ${err.message}`);
      return 0;
    }
    results.push({ name: current, outcome: 'FAIL', error: String(err?.message ?? err).split('\n').slice(0, 8).join('\n') });
    log(`FAIL  ${current}\n        ${results.at(-1).error.replace(/\n/g, '\n        ')}`);
    await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: path.join(ARTIFACTS, 'fresh-failed.png') }).catch(() => undefined);
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      copyLogs(userData, 'fresh-');
    } catch (err) {
      log(`could not copy logs: ${err}`);
    }
    for (const child of children.reverse()) {
      child.kill('SIGTERM');
    }
    if (process.env.SEED_LSP_E2E_KEEP !== '1') {
      await sleep(300);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const seconds = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  log(
    `from --install-extension to the first ghost text: ${seconds(times.installToGhostMs)} ` +
      `(install ${seconds(times.installVsixMs)}, workbench ready ${seconds(times.workbenchMs)}, ` +
      `offer shown ${seconds(times.offerMs)}, set-up until the server ran ${seconds(times.setUpMs)}); ` +
      `update after a changed bundle ${seconds(times.updateMs)}`,
  );
  writeJson(path.join(ARTIFACTS, 'fresh-report.json'), { seconds: elapsed(), times, results });
  return results.some((r) => r.outcome === 'FAIL') ? 1 : 0;
}

/** The managed server's installed.json under code-server's global storage. */
function findInstalled(userData) {
  const file = path.join(userData, 'User', 'globalStorage', 'seed-lsp.seed-lsp', 'server', 'installed.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing`);
  }
  return file;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[e2e ${elapsed()}] ERROR ${err?.stack ?? err}`);
    process.exit(1);
  },
);

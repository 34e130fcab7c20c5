// What the real-VS-Code tests share: setup (Chromium, code-server), processes, the workbench
// driven through its UI, and the logs code-server writes.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const EXT_DIR = path.resolve(HERE, '..', '..');
export const REPO = path.resolve(EXT_DIR, '..', '..');
export const ARTIFACTS = path.join(EXT_DIR, '.test-artifacts');
export const SCREENSHOT = path.join(REPO, 'docs', 'images', 'vscode-ghost-text.png');
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
export const TEST_KEY = 'sk-test-0123456789abcdef-SECRET'; // tests.fake_endpoint.TEST_KEY

export const started = Date.now();
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
export const log = (...args) => console.log(`[e2e ${elapsed()}]`, ...args);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Skip extends Error {}

// -- setup -------------------------------------------------------------------------------------

export function pythonPath() {
  if (process.env.SEED_LSP_PYTHON) {
    return process.env.SEED_LSP_PYTHON;
  }
  const venv = path.join(REPO, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

/**
 * May the tests install what they miss (Chromium with apt, code-server into the test cache)?
 * Only when asked: SEED_LSP_TEST_INSTALL=1, which .ci/run sets and announces.
 */
export function installsAllowed() {
  return process.env.SEED_LSP_TEST_INSTALL === '1';
}

function notAllowed(what, how) {
  return new Skip(`${what} is missing: ${how}, or run .ci/run (it installs it), or set SEED_LSP_TEST_INSTALL=1`);
}

export function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) {
    return;
  }
  if (!installsAllowed()) {
    throw notAllowed(`Chromium (${CHROMIUM})`, 'apt-get install chromium');
  }
  log('Chromium missing: apt-get install chromium');
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', timeout: 600_000 });
  let result = run(['install', '-y', '-q', 'chromium']);
  if (result.status !== 0) {
    run(['update', '-q']);
    result = run(['install', '-y', '-q', 'chromium']);
  }
  if (result.status !== 0 || !fs.existsSync(CHROMIUM)) {
    throw new Skip('Chromium is not installed and apt-get could not install it (no registry?)');
  }
}

export function ensureCodeServer() {
  const cache = process.env.SEED_LSP_TEST_CACHE || path.join(os.homedir(), '.cache', 'seed-lsp-tests');
  const dir = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  if (fs.existsSync(path.join(dir, '.installed')) && fs.existsSync(bin)) {
    return bin;
  }
  if (!installsAllowed()) {
    throw notAllowed(`code-server ${CODE_SERVER_VERSION} (${dir}, about 310 MB)`, `sh ${path.join(HERE, 'install-code-server.sh')} ${dir}`);
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 310 MB, 40-70 s)`);
  const result = spawnSync('sh', [path.join(HERE, 'install-code-server.sh'), dir], {
    stdio: 'inherit',
    timeout: 900_000,
  });
  if (result.status === 3) {
    throw new Skip('code-server could not be installed: its registry (npm or apt) is out of reach');
  }
  if (result.status !== 0) {
    throw new Error(`installing code-server failed (exit ${result.status})`);
  }
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a child whose output goes to a log file; resolves once `ready(line)` matches. */
export function startProcess(name, command, args, options, ready, timeoutMs = 60_000) {
  const logFile = path.join(ARTIFACTS, `${name}.log`);
  const out = fs.createWriteStream(logFile);
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let buffer = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in ${timeoutMs} ms (see ${logFile})`)), timeoutMs);
    const onData = (chunk) => {
      out.write(chunk);
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const value = ready(line);
        if (value !== undefined) {
          clearTimeout(timer);
          resolve({ child, value });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} (see ${logFile})`));
    });
  });
}

export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

// -- the UI --------------------------------------------------------------------------------------

export class Workbench {
  constructor(page, workspace) {
    this.page = page;
    this.workspace = workspace;
  }

  async ready() {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ timeout: 60_000 });
  }

  async escape(times = 2) {
    for (let i = 0; i < times; i++) {
      await this.page.keyboard.press('Escape');
    }
  }

  /** Runs a command from the command palette by its title. */
  async command(title) {
    await this.escape();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ hasText: title })
      .first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  }

  /** Opens a workspace file through Quick Open and waits for its editor. */
  async open(file) {
    await this.escape();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(file);
    // Wait for the filtered list: the unfiltered one (recently opened files) may also hold the
    // name, below the current file, and Enter would take the current file.
    const row = this.page.locator('.quick-input-widget .monaco-list-row.focused').filter({ hasText: file }).first();
    await row.waitFor({ timeout: 10_000 });
    const rows = await this.page.locator('.quick-input-widget .monaco-list-row').allTextContents();
    await this.page.keyboard.press('Enter');
    await this.page
      .locator('.tabs-container .tab.active')
      .filter({ hasText: file })
      .waitFor({ timeout: 10_000 })
      .catch(async (err) => {
        const tabs = await this.page.locator('.tabs-container .tab').allTextContents();
        throw new Error(`${file} did not open (Quick Open offered ${JSON.stringify(rows)}; tabs ${JSON.stringify(tabs)}): ${err.message}`);
      });
    await this.page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
  }

  /** Moves the cursor with Go to Line (`line:column`, 1-based). */
  async goTo(line, column) {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(column ? `:${line}:${column}` : `:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
  }

  async save() {
    await this.page.keyboard.press('Control+S');
    await sleep(500);
  }

  async closeAll() {
    await this.escape();
    await this.command('View: Close All Editors');
    await sleep(300);
    // A dirty editor asks whether to save: don't.
    const dontSave = this.page.getByRole('button', { name: "Don't Save" });
    if (await dontSave.isVisible().catch(() => false)) {
      await dontSave.click();
    }
  }

  /** The visible text of the focused editor (Monaco renders spaces as no-break spaces). */
  async editorText() {
    const text = await this.page.locator('.monaco-editor.focused .view-lines').textContent();
    return (text ?? '').replace(/\u00a0/g, ' ');
  }

  statusItem() {
    return this.page.locator('.statusbar-item').filter({ hasText: /Seed/ }).first();
  }

  async statusText() {
    return ((await this.statusItem().textContent()) ?? '').trim();
  }

  /** Polls until `predicate()` is truthy; returns its value or throws with `what`. */
  async until(what, predicate, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      try {
        last = await predicate();
        if (last) {
          return last;
        }
      } catch (err) {
        last = err;
      }
      await sleep(200);
    }
    throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
  }

  read(file) {
    return fs.readFileSync(path.join(this.workspace, file), 'utf8');
  }

  async shot(name) {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** The fake endpoint's request log so far (one JSON object per upstream request). */
export function upstreamRequests(file) {
  if (!fs.existsSync(file)) {
    return [];
  }
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** The LSP trace so far: the `Seed LSP` output channel's log files (trace is `verbose`). */
export function lspTrace(userData) {
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) {
    return '';
  }
  return fs.readdirSync(logs, { recursive: true })
    .map(String)
    .filter((name) => /Seed LSP\.log$/.test(name))
    .map((name) => fs.readFileSync(path.join(logs, name), 'utf8'))
    .join('\n');
}

/** The output channels' log files: `{name, text}`. */
export function outputLogs(userData) {
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) {
    return [];
  }
  return fs.readdirSync(logs, { recursive: true })
    .map(String)
    .filter((name) => /Seed LSP/.test(name) && name.endsWith('.log'))
    .map((name) => ({ name, text: fs.readFileSync(path.join(logs, name), 'utf8') }));
}

/** Keeps the extension host's and the Seed output channel's logs with the artifacts. */
export function copyLogs(userData, prefix = '') {
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) {
    return;
  }
  for (const entry of fs.readdirSync(logs, { recursive: true })) {
    const name = String(entry);
    if (/Seed LSP|exthost\.log|remoteexthost\.log/.test(name)) {
      fs.copyFileSync(path.join(logs, name), path.join(ARTIFACTS, prefix + path.basename(name).replace(/\s+/g, '-')));
    }
  }
}

/** User settings for a quiet, predictable workbench. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.accessibilitySupport': 'off',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.inlineSuggest.enabled': true,
  'editor.lightbulb.enabled': 'on',
  'files.autoSave': 'off',
  'window.dialogStyle': 'custom',
};

/** tests/fake_endpoint.py (as `python -m tests.fake_endpoint` from the repository, so its
 * `tests.` imports resolve) with test/e2e/rules.json, logging each request to `requestLog`. */
export async function startFake(python, requestLog, name = 'fake-endpoint') {
  const fake = await startProcess(
    name,
    python,
    ['-m', 'tests.fake_endpoint', '--port', '0', '--rules', path.join(HERE, 'rules.json'),
      '--log', requestLog],
    { cwd: REPO },
    (line) => (line.startsWith('http://') ? line.trim() : undefined),
  );
  return { child: fake.child, url: fake.value };
}

/** `code-server --install-extension` of the packaged .vsix; returns how long it took (ms). */
export function installVsix(codeServer, userData, extensions, env) {
  const vsix = path.join(EXT_DIR, 'out', 'seed-lsp.vsix');
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: run npm run package first`);
  }
  const t0 = Date.now();
  const install = spawnSync(
    codeServer,
    ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0 || !/was successfully installed/.test(install.stdout + install.stderr)) {
    throw new Error(`installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
  }
  return Date.now() - t0;
}

/** code-server on a free port and headless Chromium on it; the caller closes `browser`, kills `child`. */
export async function openWorkbench({ codeServer, userData, extensions, workspace, env, cwd, name = 'code-server' }) {
  const { chromium } = await import('playwright-core');
  const port = await freePort();
  const server = await startProcess(
    name,
    codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userData,
      '--extensions-dir', extensions, '--log', 'trace', workspace],
    { env, cwd },
    (line) => (/HTTP server listening/.test(line) ? true : undefined),
  );
  log(`${name} on port ${port}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => fs.appendFileSync(path.join(ARTIFACTS, `${name}-page-errors.log`), `${err}\n`));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  const wb = new Workbench(page, workspace);
  await wb.ready();
  return { child: server.child, browser, page, wb };
}

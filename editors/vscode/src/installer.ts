// Sets up the server the extension manages itself: finds a Python >= 3.11 (the Python
// extension's interpreter, else python3 / python on PATH), creates a virtual environment in the
// extension's global storage and installs seed-lsp from the wheel shipped in the .vsix
// (dependencies from the package index, or whatever pip is configured to use), with progress.
// The decisions and messages are in serverInstall.ts.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import * as vscode from 'vscode';

import { Which } from './serverCommand';
import {
  InstallRecord,
  Layout,
  Manifest,
  PROBE_SCRIPT,
  Plan,
  PythonCandidate,
  Tried,
  layout,
  noPythonMessage,
  parseProbe,
  pipFailure,
  pipProgress,
  plan,
  unusable,
  versionText,
} from './serverInstall';

/** A failure to set up the server, with a message meant for the user. */
export class SetupError extends Error {}

interface Run {
  code: number | null;
  stdout: string;
  lines: string[];
}

export class ManagedServer {
  readonly paths: Layout;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly which: Which,
  ) {
    this.paths = layout(context.globalStorageUri.fsPath);
  }

  /** The wheel shipped in the .vsix, or undefined in a build without one. */
  bundled(): Manifest | undefined {
    try {
      const dir = path.join(this.context.extensionPath, 'out', 'server');
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
      return fs.existsSync(path.join(dir, manifest.wheel)) ? manifest : undefined;
    } catch {
      return undefined;
    }
  }

  installed(): InstallRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.paths.record, 'utf8')) as InstallRecord;
    } catch {
      return undefined;
    }
  }

  /** What to do with the bundled server: undefined when this build ships none. */
  plan(): Plan | undefined {
    const manifest = this.bundled();
    return manifest && plan(manifest, this.installed(), fs.existsSync(this.paths.seedLsp));
  }

  /** Installs (or updates) the bundled server, with a progress notification. */
  async install(reason: 'fresh' | 'update'): Promise<InstallRecord> {
    const manifest = this.bundled();
    if (!manifest) {
      throw new SetupError('this build of the extension ships no seed-lsp wheel: set "seedLsp.server.path"');
    }
    const title = reason === 'update' ? `Seed: updating its server to ${manifest.version}` : 'Seed: setting up its server';
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const started = Date.now();
        const wheel = path.join(this.context.extensionPath, 'out', 'server', manifest.wheel);
        const report = (message: string) => {
          progress.report({ message });
          this.output.info(`server setup: ${message}`);
        };
        let record = this.installed();
        if (reason === 'fresh' || !record || !fs.existsSync(this.paths.python)) {
          report('looking for Python 3.11+…');
          const python = await this.findPython(token);
          report(`creating a virtual environment with Python ${python.version}…`);
          fs.rmSync(this.paths.root, { recursive: true, force: true });
          fs.mkdirSync(this.paths.root, { recursive: true });
          const venv = await this.run(python.command, [...python.args, '-m', 'venv', this.paths.venv], token);
          if (venv.code !== 0) {
            throw new SetupError(`creating a virtual environment with ${python.executable} failed: ${pipFailure(venv.lines)}`);
          }
          record = {
            version: manifest.version,
            sourceHash: manifest.sourceHash,
            python: python.executable,
            pythonVersion: python.version,
            installedAt: '',
          };
        } else {
          // Same environment, new seed-lsp: replace the package itself even when its version
          // number did not change, then let pip add whatever new dependencies it needs.
          report(`replacing seed-lsp ${record.version}…`);
          const replaced = await this.pip(['--force-reinstall', '--no-deps', wheel], report, token);
          if (replaced.code !== 0) {
            throw new SetupError(`updating seed-lsp failed: ${pipFailure(replaced.lines)}`);
          }
        }
        report(`installing seed-lsp ${manifest.version} and its dependencies…`);
        const installed = await this.pip([wheel], report, token);
        if (installed.code !== 0) {
          throw new SetupError(
            `installing seed-lsp's dependencies failed: ${pipFailure(installed.lines)}. They come from ` +
              'the Python package index (or what pip is configured to use): check the network or proxy, ' +
              'then run "Seed: Set Up Server".',
          );
        }
        const check = await this.run(this.paths.seedLsp, ['--version'], token);
        if (check.code !== 0) {
          throw new SetupError(`the installed server does not run: ${pipFailure(check.lines)}`);
        }
        const done: InstallRecord = {
          ...record,
          version: manifest.version,
          sourceHash: manifest.sourceHash,
          installedAt: new Date().toISOString(),
        };
        fs.writeFileSync(this.paths.record, JSON.stringify(done, null, 2) + '\n');
        this.output.info(
          `server setup: ${check.stdout.trim()} in ${this.paths.venv} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
        return done;
      },
    );
  }

  /** Removes the managed server (the next start offers to set it up again). */
  remove(): void {
    fs.rmSync(this.paths.root, { recursive: true, force: true });
  }

  private pip(args: string[], report: (message: string) => void, token: vscode.CancellationToken): Promise<Run> {
    const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', ...args];
    let last = '';
    return this.run(this.paths.python, pipArgs, token, (line) => {
      const message = pipProgress(line);
      if (message && message !== last) {
        last = message;
        report(message);
      }
    });
  }

  /** The first usable Python: the Python extension's interpreter, then python3 and python. */
  private async findPython(
    token: vscode.CancellationToken,
  ): Promise<PythonCandidate & { version: string; executable: string }> {
    const tried: Tried[] = [];
    for (const candidate of await this.candidates()) {
      const probe = await this.run(candidate.command, [...candidate.args, '-c', PROBE_SCRIPT], token).catch(
        (err: unknown) => ({ code: -1, stdout: '', lines: [String(err)] }),
      );
      const parsed = probe.code === 0 ? parseProbe(probe.stdout) : undefined;
      const problem = unusable(parsed);
      if (!problem && parsed) {
        return { ...candidate, version: versionText(parsed.version), executable: parsed.executable || candidate.command };
      }
      tried.push({ candidate, problem: problem ?? 'did not run' });
    }
    throw new SetupError(noPythonMessage(tried));
  }

  private async candidates(): Promise<PythonCandidate[]> {
    const out: PythonCandidate[] = [];
    const fromExtension = await pythonExtensionInterpreter();
    if (fromExtension) {
      out.push({ command: fromExtension, args: [], origin: "the Python extension's interpreter" });
    }
    for (const name of ['python3', 'python']) {
      const found = this.which(name);
      if (found && !out.some((c) => c.command === found)) {
        out.push({ command: found, args: [], origin: `${name} on PATH` });
      }
    }
    if (process.platform === 'win32') {
      const launcher = this.which('py');
      if (launcher) {
        out.push({ command: launcher, args: ['-3'], origin: 'the py launcher' });
      }
    }
    return out;
  }

  /** Runs a process, its output lines logged (and passed to `onLine`); cancellable. */
  private run(
    command: string,
    args: string[],
    token: vscode.CancellationToken,
    onLine?: (line: string) => void,
  ): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { env: { ...process.env, PYTHONUTF8: '1' }, windowsHide: true });
      const lines: string[] = [];
      let stdout = '';
      const collect = (stream: NodeJS.ReadableStream, isStdout: boolean) => {
        readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          if (isStdout) {
            stdout += line + '\n';
          }
          lines.push(line);
          if (lines.length > 400) {
            lines.shift();
          }
          this.output.debug(`  ${path.basename(command)}: ${line}`);
          onLine?.(line);
        });
      };
      collect(child.stdout, true);
      collect(child.stderr, false);
      const cancel = token.onCancellationRequested(() => child.kill());
      child.on('error', (err) => {
        cancel.dispose();
        reject(err);
      });
      child.on('close', (code) => {
        cancel.dispose();
        if (token.isCancellationRequested) {
          reject(new vscode.CancellationError());
          return;
        }
        resolve({ code, stdout, lines });
      });
    });
  }
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?: (resource?: vscode.Uri) => { path?: string } | undefined;
    resolveEnvironment?: (env: unknown) => Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: {
    getExecutionDetails?: (resource?: vscode.Uri) => { execCommand?: string[] } | undefined;
  };
}

/** The interpreter selected in the Python extension (ms-python.python), if it is installed. */
async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (active) {
      const resolved = await api?.environments?.resolveEnvironment?.(active);
      return resolved?.executable?.uri?.fsPath ?? active.path;
    }
    return api?.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
  } catch {
    return undefined;
  }
}

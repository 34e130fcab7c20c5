// The server the extension sets up itself when no `seed-lsp` is configured or on PATH: a
// virtual environment in the extension's global storage, with seed-lsp installed from the wheel
// shipped in the .vsix (out/server/). This module is the pure part (no `vscode` import; tested
// in test/unit): where things live, which Python is usable, whether to install or update, and
// what to tell the user.

import * as path from 'path';

/** What `scripts/bundle-server.mjs` wrote next to the wheel. */
export interface Manifest {
  name: string;
  version: string;
  wheel: string;
  sourceHash: string;
}

/** What the extension wrote after a successful install (`installed.json`). */
export interface InstallRecord {
  version: string;
  sourceHash: string;
  python: string;
  pythonVersion: string;
  installedAt: string;
}

export interface Layout {
  root: string;
  venv: string;
  /** The venv's interpreter. */
  python: string;
  /** The venv's console script. */
  seedLsp: string;
  record: string;
}

/** Where the managed server lives under `storage` (the extension's global storage). */
export function layout(storage: string, platform: string = process.platform): Layout {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const root = p.join(storage, 'server');
  const venv = p.join(root, 'venv');
  const bin = platform === 'win32' ? p.join(venv, 'Scripts') : p.join(venv, 'bin');
  const exe = platform === 'win32' ? '.exe' : '';
  return {
    root,
    venv,
    python: p.join(bin, `python${exe}`),
    seedLsp: p.join(bin, `seed-lsp${exe}`),
    record: p.join(root, 'installed.json'),
  };
}

export type Plan = 'fresh' | 'update' | 'ready';

/** Fresh install, update (the bundled server changed) or nothing to do. */
export function plan(manifest: Manifest, record: InstallRecord | undefined, binaryExists: boolean): Plan {
  if (!record || !binaryExists) {
    return 'fresh';
  }
  return record.version === manifest.version && record.sourceHash === manifest.sourceHash ? 'ready' : 'update';
}

export const MIN_PYTHON: readonly [number, number] = [3, 11];

/** A Python the extension may build the environment with. */
export interface PythonCandidate {
  command: string;
  args: string[];
  /** Where it came from, for messages: "the Python extension's interpreter", "python3 on PATH". */
  origin: string;
}

/** Run with `-c`: prints one JSON line the extension parses with `parseProbe`. */
export const PROBE_SCRIPT =
  'import json, sys, importlib.util as u; ' +
  'print(json.dumps({"version": list(sys.version_info[:3]), "executable": sys.executable, ' +
  '"venv": u.find_spec("venv") is not None, "ensurepip": u.find_spec("ensurepip") is not None}))';

export interface Probe {
  version: [number, number, number];
  executable: string;
  venv: boolean;
  ensurepip: boolean;
}

export function parseProbe(stdout: string): Probe | undefined {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const raw = JSON.parse(line) as Partial<Probe>;
    const v = raw.version;
    if (!Array.isArray(v) || v.length !== 3 || !v.every((n) => typeof n === 'number')) {
      return undefined;
    }
    return {
      version: [v[0], v[1], v[2]],
      executable: typeof raw.executable === 'string' ? raw.executable : '',
      venv: raw.venv === true,
      ensurepip: raw.ensurepip === true,
    };
  } catch {
    return undefined;
  }
}

export function versionText(v: readonly number[]): string {
  return v.join('.');
}

/** Why a probed Python cannot be used, or undefined when it can. */
export function unusable(probe: Probe | undefined, platform: string = process.platform): string | undefined {
  if (!probe) {
    return 'did not run';
  }
  const [major, minor] = probe.version;
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return `is Python ${versionText(probe.version)}, older than ${versionText(MIN_PYTHON)}`;
  }
  if (!probe.venv || !probe.ensurepip) {
    const apt = platform === 'linux' ? ` (Debian/Ubuntu: sudo apt install python${major}.${minor}-venv)` : '';
    return `is Python ${versionText(probe.version)} without the venv module's ensurepip${apt}`;
  }
  return undefined;
}

/** One tried candidate and what was wrong with it. */
export interface Tried {
  candidate: PythonCandidate;
  problem: string;
}

/** The message when no usable Python was found: what was tried, and what to install. */
export function noPythonMessage(tried: readonly Tried[], platform: string = process.platform): string {
  const how =
    platform === 'win32'
      ? 'install Python 3.11 or newer from python.org (or `winget install Python.Python.3.12`)'
      : platform === 'darwin'
        ? 'install Python 3.11 or newer (python.org, or `brew install python@3.12`)'
        : 'install Python 3.11 or newer with its venv module (Debian/Ubuntu: `sudo apt install python3 python3-venv`; Fedora: `sudo dnf install python3`)';
  const list = tried.length
    ? ` Tried: ${tried.map((t) => `${t.candidate.origin} (${[t.candidate.command, ...t.candidate.args].join(' ')}) ${t.problem}`).join('; ')}.`
    : '';
  return (
    `Seed needs Python 3.11 or newer to set up its server, and found none.${list} ` +
    `To fix: ${how}, then run "Seed: Set Up Server"; or set "seedLsp.server.path" to a seed-lsp executable.`
  );
}

/**
 * A short progress message from one line of pip's output ("Collecting httpx>=0.28" →
 * "collecting httpx"), or undefined for lines not worth showing.
 */
export function pipProgress(line: string): string | undefined {
  const text = line.trim();
  let m = /^(Collecting|Downloading|Processing)\s+(\S+)/.exec(text);
  if (m) {
    const name = path.posix.basename(m[2].replace(/\\/g, '/')).replace(/[<>=!~;[].*$/, '').replace(/-\d.*\.(whl|tar\.gz|zip)$/, '');
    return `${m[1].toLowerCase()} ${name}`;
  }
  m = /^Installing collected packages: (.*)$/.exec(text);
  if (m) {
    const count = m[1].split(',').filter((s) => s.trim()).length;
    return `installing ${count} package${count === 1 ? '' : 's'}`;
  }
  if (/^Successfully installed /.test(text)) {
    return 'installed';
  }
  return undefined;
}

/** The line of pip's output that best says why it failed. */
export function pipFailure(lines: readonly string[]): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (/^(ERROR|error):/.test(line) && !/^ERROR: To modify pip/.test(line)) {
      return line.replace(/^(ERROR|error):\s*/, '');
    }
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].trim()) {
      return lines[i].trim();
    }
  }
  return 'pip failed';
}

// Builds the seed-lsp wheel that ships inside the .vsix (out/server/), from a clean copy of the
// repository's package (so a stale build/ directory can never leak deleted modules into it),
// and writes out/server/manifest.json: the version, the wheel's file name and a hash of the
// sources. The extension installs that wheel into a virtual environment of its own when no
// seed-lsp is configured or on PATH, and reinstalls it when the manifest changes.
//
// Python: $SEED_LSP_PYTHON, else python3 (or python). The wheel is built without build
// isolation when that Python has setuptools (offline, fast), else by pip with isolation.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.resolve(EXT_DIR, '..', '..');
const OUT = path.join(EXT_DIR, 'out', 'server');

/** A Python >= 3.11 with pip: $SEED_LSP_PYTHON, the README's .venv, python3, python. */
function python() {
  const venv = path.join(REPO, '.venv', process.platform === 'win32' ? 'Scripts' : 'bin', 'python');
  const candidates = [process.env.SEED_LSP_PYTHON, fs.existsSync(venv) ? venv : undefined, 'python3', 'python'];
  for (const candidate of candidates.filter(Boolean)) {
    const probe = spawnSync(candidate, ['-c', 'import sys, pip; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === 'True') {
      return candidate;
    }
  }
  throw new Error(
    'bundle-server: no Python 3.11+ with pip found to build the seed-lsp wheel: run the README\'s first ' +
      'command (it makes .venv), or set SEED_LSP_PYTHON',
  );
}

/** The files that make the wheel: pyproject.toml, README.md and seed_lsp/ (no caches). */
function sources() {
  const files = ['pyproject.toml', 'README.md'];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__') {
          walk(rel);
        }
      } else if (!/\.py[co]$/.test(entry.name)) {
        files.push(rel);
      }
    }
  };
  walk('seed_lsp');
  return files.sort();
}

function main() {
  const files = sources();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file.split(path.sep).join('/') + '\0');
    hash.update(fs.readFileSync(path.join(REPO, file)));
    hash.update('\0');
  }
  const sourceHash = hash.digest('hex');
  const init = fs.readFileSync(path.join(REPO, 'seed_lsp', '__init__.py'), 'utf8');
  const version = /__version__\s*=\s*"([^"]+)"/.exec(init)?.[1];
  if (!version) {
    throw new Error('bundle-server: no __version__ in seed_lsp/__init__.py');
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-lsp-wheel-'));
  try {
    const src = path.join(tmp, 'src');
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
      fs.copyFileSync(path.join(REPO, file), path.join(src, file));
    }
    const py = python();
    const wheelDir = path.join(tmp, 'wheel');
    const common = ['-m', 'pip', 'wheel', '--no-deps', '--disable-pip-version-check', '-q', '-w', wheelDir, src];
    let build = spawnSync(py, [...common.slice(0, 3), '--no-build-isolation', ...common.slice(3)], { encoding: 'utf8' });
    if (build.status !== 0) {
      build = spawnSync(py, common, { encoding: 'utf8' });
    }
    if (build.status !== 0) {
      throw new Error(`bundle-server: building the wheel failed:\n${build.stdout}\n${build.stderr}`);
    }
    const wheel = fs.readdirSync(wheelDir).find((name) => name.endsWith('.whl'));
    if (!wheel) {
      throw new Error('bundle-server: pip built no wheel');
    }
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    fs.copyFileSync(path.join(wheelDir, wheel), path.join(OUT, wheel));
    const manifest = { name: 'seed-lsp', version, wheel, sourceHash };
    fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    const kb = (fs.statSync(path.join(OUT, wheel)).size / 1024).toFixed(0);
    console.log(`bundle-server: ${wheel} (${kb} kB), sources ${sourceHash.slice(0, 12)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();

// How to start the server: `seedLsp.server.path`, else `seedLsp.server.pythonPath -m seed_lsp`,
// else `seed-lsp` on PATH. Pure apart from the injected file lookup; tested in test/unit.

import * as path from 'path';

export interface ServerOptions {
  path?: string;
  pythonPath?: string;
}

export interface Launch {
  command: string;
  args: string[];
}

/** Finds an executable on PATH (injected so tests need no real files). */
export type Which = (name: string) => string | undefined;

export class ServerNotFound extends Error {}

export function serverLaunch(options: ServerOptions, which: Which): Launch {
  const explicit = options.path?.trim();
  if (explicit) {
    return { command: expandHome(explicit), args: ['--stdio'] };
  }
  const python = options.pythonPath?.trim();
  if (python) {
    return { command: expandHome(python), args: ['-m', 'seed_lsp', '--stdio'] };
  }
  const found = which('seed-lsp');
  if (found) {
    return { command: found, args: ['--stdio'] };
  }
  throw new ServerNotFound(
    'seed-lsp was not found on PATH. Install it (pip install seed-lsp) or set ' +
      '"seedLsp.server.path" or "seedLsp.server.pythonPath".',
  );
}

function expandHome(p: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home && (p === '~' || p.startsWith('~/')) ? path.join(home, p.slice(1)) : p;
}

/** A `Which` over the real PATH. */
export function whichOnPath(
  env: NodeJS.ProcessEnv,
  exists: (file: string) => boolean,
  platform: string = process.platform,
): Which {
  return (name) => {
    const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
    const exts = platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
    for (const dir of dirs) {
      for (const ext of exts) {
        const candidate = path.join(dir, name + ext);
        if (exists(candidate)) {
          return candidate;
        }
      }
    }
    return undefined;
  };
}

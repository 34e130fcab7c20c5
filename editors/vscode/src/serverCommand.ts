// How to start the server: `seedLsp.server.path`, else `seedLsp.server.pythonPath -m seed_lsp`,
// else `seed-lsp` on PATH, else (undefined) the server the extension sets up itself
// (serverInstall.ts). Pure apart from the injected file lookup; tested in test/unit.

import * as path from 'path';

export interface ServerOptions {
  path?: string;
  pythonPath?: string;
}

export interface Launch {
  command: string;
  args: string[];
  /** Where the command came from, for the status details: a setting, PATH, or our own setup. */
  origin?: string;
}

/** Finds an executable on PATH (injected so tests need no real files). */
export type Which = (name: string) => string | undefined;

export class ServerNotFound extends Error {}

/** The configured or found server, or undefined: none, so the extension offers its own. */
export function serverLaunch(options: ServerOptions, which: Which): Launch | undefined {
  const explicit = options.path?.trim();
  if (explicit) {
    return { command: expandHome(explicit), args: ['--stdio'], origin: 'seedLsp.server.path' };
  }
  const python = options.pythonPath?.trim();
  if (python) {
    return { command: expandHome(python), args: ['-m', 'seed_lsp', '--stdio'], origin: 'seedLsp.server.pythonPath' };
  }
  const found = which('seed-lsp');
  if (found) {
    return { command: found, args: ['--stdio'], origin: 'PATH' };
  }
  return undefined;
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

// The server's stderr. seed-lsp writes every log line to stderr and also sends it as
// `window/logMessage`; vscode-languageclient would copy stderr into the `Seed LSP` channel at
// `[error]` level, so every line showed twice and looked like an error. The extension sends
// stderr to its own channel instead and keeps the last lines here, so that a server that fails
// to start or crashes can still say why. Pure (no `vscode` import); tested in test/unit.

/** The last lines a server process wrote to stderr (bounded). */
export class StderrTail {
  private readonly kept: string[] = [];

  constructor(private readonly maxLines = 40) {}

  push(line: string): void {
    const text = line.replace(/\s+$/, '');
    if (!text) {
      return;
    }
    this.kept.push(text);
    if (this.kept.length > this.maxLines) {
      this.kept.shift();
    }
  }

  get lines(): readonly string[] {
    return this.kept;
  }
}

const LOOKS_LIKE_ERROR = /error|exception|fatal|traceback|not found|no module named|denied|cannot|can't|failed/i;

/**
 * The stderr line that best says why the server stopped: the last one that looks like an error
 * (a Python traceback ends with the exception), else the last line; cut to `maxChars`.
 */
export function stderrSummary(lines: readonly string[], maxChars = 300): string | undefined {
  let best: string | undefined;
  for (let i = lines.length - 1; i >= 0 && best === undefined; i--) {
    if (LOOKS_LIKE_ERROR.test(lines[i]) && !/^Traceback \(most recent call last\):$/.test(lines[i].trim())) {
      best = lines[i];
    }
  }
  best = (best ?? lines[lines.length - 1])?.trim();
  if (!best) {
    return undefined;
  }
  return best.length > maxChars ? `${best.slice(0, maxChars - 1)}…` : best;
}

/** The error shown when the server did not start: its stderr's reason, else the client's. */
export function startFailure(clientError: string, stderr: readonly string[]): string {
  const reason = stderrSummary(stderr);
  return `the server did not start: ${reason ?? clientError}`;
}

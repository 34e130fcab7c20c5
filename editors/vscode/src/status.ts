// The status-bar item's text and tooltip, from the server's `seed/usage` and `seed/status`.
// Pure: no `vscode` import, tested in test/unit.

export interface Usage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  /** null: no endpoint reported a cost (shown as "n/a", never as $0.00). */
  usdSpent: number | null;
}

export interface UsageReport {
  total: Usage;
  features: Record<string, Usage>;
}

/** One feature's suggestion lifecycle, counted by the server (kept on this machine). */
export interface SuggestionStats {
  shown?: number;
  accepted?: number;
  partiallyAccepted?: number;
  charsAccepted?: number;
  dismissed?: number;
  retention?: { ratio?: number | null } | null;
}

export interface ServerStatus {
  version: string;
  model: string;
  baseUrl: string;
  hasKey: boolean;
  positionEncoding: string;
  openDocuments: number;
  usage: UsageReport;
  /** Per feature (`inline`, `nextEdit`), when the server keeps them. */
  suggestions?: Record<string, SuggestionStats>;
}

const FEATURE_LABELS: Record<string, string> = { inline: 'ghost text', nextEdit: 'next edits' };

/** The tooltip's table of suggestion stats (markdown lines), empty when there are none. */
export function suggestionRows(suggestions: Record<string, SuggestionStats> | undefined): string[] {
  const entries = Object.entries(suggestions ?? {}).filter(([, s]) => typeof s === 'object' && s !== null);
  if (entries.length === 0) {
    return [];
  }
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const rows = ['| suggestions | shown | accepted | in part | dismissed | kept after 30 s |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const [name, s] of entries) {
    const ratio = s.retention?.ratio;
    const kept = typeof ratio === 'number' ? `${Math.round(ratio * 100)}%` : '–';
    rows.push(`| ${FEATURE_LABELS[name] ?? name} | ${n(s.shown)} | ${n(s.accepted)} | ${n(s.partiallyAccepted)} | ${n(s.dismissed)} | ${kept} |`);
  }
  return rows;
}

export type State = 'starting' | 'ready' | 'working' | 'noKey' | 'noServer' | 'error' | 'stopped';

export const EMPTY_USAGE: Usage = {
  requests: 0,
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
  usdSpent: 0,
};

const COUNTS = ['requests', 'promptTokens', 'completionTokens', 'cachedTokens', 'reasoningTokens', 'totalTokens'] as const;

/**
 * A usage object from the wire, with missing or non-numeric counts read as 0; `usdSpent: null`
 * (no endpoint reported a cost) stays null.
 */
export function asUsage(value: unknown): Usage {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out = { ...EMPTY_USAGE };
  for (const key of COUNTS) {
    const v = raw[key];
    out[key] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }
  const usd = raw.usdSpent;
  out.usdSpent = usd === null ? null : typeof usd === 'number' && Number.isFinite(usd) ? usd : 0;
  return out;
}

export function asUsageReport(value: unknown): UsageReport {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const features: Record<string, Usage> = {};
  const rawFeatures = raw.features;
  if (typeof rawFeatures === 'object' && rawFeatures !== null) {
    for (const [name, usage] of Object.entries(rawFeatures)) {
      features[name] = asUsage(usage);
    }
  }
  return { total: asUsage(raw.total), features };
}

/** 950 → "950", 12_345 → "12.3k", 2_500_000 → "2.5M". */
export function formatTokens(n: number): string {
  if (n < 1000) {
    return String(Math.round(n));
  }
  if (n < 1_000_000) {
    return trimZero((n / 1000).toFixed(n < 10_000 ? 2 : 1)) + 'k';
  }
  return trimZero((n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)) + 'M';
}

/** 0 → "$0.00", 0.000123 → "$0.00012", 0.0042 → "$0.0042", 1.5 → "$1.50"; null → "n/a". */
export function formatUsd(usd: number | null): string {
  if (usd === null) {
    return 'n/a';
  }
  if (usd <= 0) {
    return '$0.00';
  }
  if (usd >= 0.01) {
    return '$' + usd.toFixed(2);
  }
  // Two significant digits for small amounts, so a session's first requests show as non-zero.
  const digits = Math.min(8, 1 - Math.floor(Math.log10(usd)));
  return '$' + trimZero(usd.toFixed(digits));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function trimZero(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const ICONS: Record<State, string> = {
  starting: '$(loading~spin)',
  ready: '$(sparkle)',
  working: '$(loading~spin)',
  noKey: '$(key)',
  noServer: '$(cloud-download)',
  error: '$(error)',
  stopped: '$(circle-slash)',
};

const LABELS: Record<State, string> = {
  starting: 'starting',
  ready: 'ready',
  working: 'working',
  noKey: 'no API key',
  noServer: 'set up the server',
  error: 'error',
  stopped: 'stopped',
};

export function stateLabel(state: State): string {
  return LABELS[state];
}

/**
 * The status-bar text: state, then this session's tokens and spend once there are any. With
 * `paused` (suggestions are paused), a ready server shows the pause instead of its usage.
 */
export function statusText(state: State, usage: Usage, paused?: string): string {
  const head = `${ICONS[state]} Seed`;
  if (state === 'noKey' || state === 'noServer' || state === 'stopped' || state === 'starting') {
    return `${head}: ${LABELS[state]}`;
  }
  if (paused && state === 'ready') {
    return '$(debug-pause) Seed: paused';
  }
  if (usage.requests === 0) {
    return state === 'ready' ? head : `${head}: ${LABELS[state]}`;
  }
  const cost = usage.usdSpent === null ? 'cost n/a' : formatUsd(usage.usdSpent);
  return `${head} ${formatTokens(usage.totalTokens)} tok · ${cost}`;
}

/** The tooltip (markdown): state, endpoint and a usage line per feature. */
export function statusTooltip(
  state: State,
  status: ServerStatus | undefined,
  usage: UsageReport,
  error?: string,
  paused?: string,
): string {
  const lines = [`**Seed LSP**: ${LABELS[state]}`];
  if (paused) {
    lines.push('', `Suggestions paused ${paused}.`);
  }
  if (error && state === 'error') {
    lines.push('', `Last error: ${error}`);
  }
  if (state === 'noServer') {
    lines.push('', 'No seed-lsp server yet: click to set one up.');
  }
  if (status) {
    lines.push('', `Model \`${status.model}\` at \`${status.baseUrl}\` (server ${status.version})`);
    if (!status.hasKey) {
      lines.push('', 'No API key: run **Seed: Set API Key**.');
    }
  }
  lines.push('', '| | requests | tokens | USD |', '| --- | ---: | ---: | ---: |');
  for (const [name, u] of Object.entries(usage.features)) {
    lines.push(usageRow(name, u));
  }
  lines.push(usageRow('**session**', usage.total));
  if (hasNoCost(usage)) {
    lines.push('', 'USD n/a: the endpoint reports no cost.');
  }
  const stats = suggestionRows(status?.suggestions);
  if (stats.length > 0) {
    lines.push('', ...stats);
  }
  lines.push('', 'Click for details and actions.');
  return lines.join('\n');
}

function usageRow(name: string, u: Usage): string {
  return `| ${name} | ${u.requests} | ${formatTokens(u.totalTokens)} | ${formatUsd(u.usdSpent)} |`;
}

/** One-line summaries for the details quick pick. */
export function usageLines(usage: UsageReport): string[] {
  const lines = Object.entries(usage.features).map(
    ([name, u]) =>
      `${name}: ${plural(u.requests, 'request')}, ${formatTokens(u.promptTokens)} in / ` +
      `${formatTokens(u.completionTokens)} out (${formatTokens(u.reasoningTokens)} reasoning, ` +
      `${formatTokens(u.cachedTokens)} cached), ${formatUsd(u.usdSpent)}`,
  );
  const t = usage.total;
  lines.unshift(
    `Session: ${plural(t.requests, 'request')}, ${formatTokens(t.totalTokens)} tokens, ${formatUsd(t.usdSpent)}`,
  );
  return lines;
}

function hasNoCost(usage: UsageReport): boolean {
  return [usage.total, ...Object.values(usage.features)].some((u) => u.requests > 0 && u.usdSpent === null);
}

/** a + b, field by field (usage carried over a server restart); a cost is n/a only when both are. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out = { ...EMPTY_USAGE };
  for (const key of COUNTS) {
    out[key] = a[key] + b[key];
  }
  // An empty side (no requests) has nothing to say about cost: the other side decides.
  const costs = [a, b].filter((u) => u.requests > 0 || u.usdSpent !== 0).map((u) => u.usdSpent);
  out.usdSpent = costs.length > 0 && costs.every((c) => c === null) ? null : costs.reduce<number>((t, c) => t + (c ?? 0), 0);
  return out;
}

/** The session's report: this server process's usage plus what earlier processes used. */
export function withCarried(report: UsageReport, carried: UsageReport): UsageReport {
  const features: Record<string, Usage> = { ...carried.features };
  for (const [name, usage] of Object.entries(report.features)) {
    features[name] = addUsage(features[name] ?? EMPTY_USAGE, usage);
  }
  return { total: addUsage(carried.total, report.total), features };
}

export const EMPTY_REPORT: UsageReport = { total: EMPTY_USAGE, features: {} };

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  EMPTY_REPORT,
  EMPTY_USAGE,
  asUsageReport,
  formatTokens,
  formatUsd,
  statusText,
  statusTooltip,
  usageLines,
  withCarried,
} from '../../src/status';

const usage = (requests: number, totalTokens: number, usdSpent: number) => ({
  ...EMPTY_USAGE,
  requests,
  totalTokens,
  promptTokens: totalTokens - 10,
  completionTokens: 10,
  usdSpent,
});

test('formatTokens', () => {
  assert.equal(formatTokens(0), '0');
  assert.equal(formatTokens(950), '950');
  assert.equal(formatTokens(1000), '1k');
  assert.equal(formatTokens(1234), '1.23k');
  assert.equal(formatTokens(12_345), '12.3k');
  assert.equal(formatTokens(2_500_000), '2.5M');
  assert.equal(formatTokens(25_000_000), '25M');
});

test('formatUsd keeps small amounts visible', () => {
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatUsd(-1), '$0.00');
  assert.equal(formatUsd(0.000123), '$0.00012');
  assert.equal(formatUsd(0.0042), '$0.0042');
  assert.equal(formatUsd(0.0000001), '$0.0000001');
  assert.equal(formatUsd(0.01), '$0.01');
  assert.equal(formatUsd(1.5), '$1.50');
});

test('statusText per state', () => {
  assert.equal(statusText('ready', EMPTY_USAGE), '$(sparkle) Seed');
  assert.equal(statusText('starting', EMPTY_USAGE), '$(loading~spin) Seed: starting');
  assert.equal(statusText('noKey', usage(3, 100, 0.001)), '$(key) Seed: no API key');
  assert.equal(statusText('error', EMPTY_USAGE), '$(error) Seed: error');
  assert.equal(statusText('working', EMPTY_USAGE), '$(loading~spin) Seed: working');
  assert.equal(statusText('ready', usage(2, 1234, 0.00042)), '$(sparkle) Seed 1.23k tok · $0.00042');
  assert.equal(statusText('working', usage(2, 1234, 0.00042)), '$(loading~spin) Seed 1.23k tok · $0.00042');
});

test('a usage report from the wire tolerates missing and odd fields', () => {
  const report = asUsageReport({
    total: { requests: 2, totalTokens: 30, usdSpent: 0.5, extra: 'x' },
    features: { inline: { requests: 'two' }, explain: null },
  });
  assert.equal(report.total.requests, 2);
  assert.equal(report.total.promptTokens, 0);
  assert.equal(report.features.inline.requests, 0);
  assert.deepEqual(report.features.explain, EMPTY_USAGE);
  assert.deepEqual(asUsageReport(undefined), EMPTY_REPORT);
});

test('usage carried over a restart adds up per feature', () => {
  const before = { total: usage(1, 100, 0.1), features: { inline: usage(1, 100, 0.1) } };
  const now = { total: usage(2, 50, 0.2), features: { inline: usage(1, 20, 0.1), explain: usage(1, 30, 0.1) } };
  const both = withCarried(now, before);
  assert.equal(both.total.requests, 3);
  assert.equal(both.total.totalTokens, 150);
  assert.equal(both.features.inline.requests, 2);
  assert.equal(both.features.explain.totalTokens, 30);
});

test('tooltip and detail lines name each feature and the session', () => {
  const report = { total: usage(2, 2000, 0.003), features: { inline: usage(2, 2000, 0.003) } };
  const status = {
    version: '0.1.0',
    model: 'm',
    baseUrl: 'http://x/v1',
    hasKey: false,
    positionEncoding: 'utf-16',
    openDocuments: 1,
    usage: report,
  };
  const tip = statusTooltip('noKey', status, report);
  assert.match(tip, /no API key/);
  assert.match(tip, /Seed: Set API Key/);
  assert.match(tip, /\| inline \| 2 \| 2k \| \$0\.003 \|/);
  const errorTip = statusTooltip('error', undefined, EMPTY_REPORT, '401 Unauthorized');
  assert.match(errorTip, /Last error: 401 Unauthorized/);
  assert.deepEqual(usageLines(report)[0], 'Session: 2 requests, 2k tokens, $0.003');
  assert.match(usageLines(report)[1], /^inline: 2 requests/);
  const one = { total: usage(1, 10, 0), features: { fix: usage(1, 10, 0) } };
  assert.deepEqual(usageLines(one), [
    'Session: 1 request, 10 tokens, $0.00',
    'fix: 1 request, 0 in / 10 out (0 reasoning, 0 cached), $0.00',
  ]);
});

test('no cost reported: n/a, never $0.00', () => {
  const none = { ...usage(3, 1500, 0), usdSpent: null };
  assert.equal(asUsageReport({ total: { requests: 3, usdSpent: null } }).total.usdSpent, null);
  assert.equal(asUsageReport({ total: { requests: 3 } }).total.usdSpent, 0);
  assert.equal(formatUsd(null), 'n/a');
  assert.equal(statusText('ready', none), '$(sparkle) Seed 1.5k tok · cost n/a');
  const report = { total: none, features: { inline: none } };
  const tooltip = statusTooltip('ready', undefined, report);
  assert.match(tooltip, /\| inline \| 3 \| 1\.5k \| n\/a \|/);
  assert.match(tooltip, /USD n\/a: the endpoint reports no cost/);
  assert.match(usageLines(report)[0], /1\.5k tokens, n\/a$/);
  // Carried over a restart: n/a plus n/a stays n/a; an empty side changes nothing; a reported
  // cost wins over n/a.
  assert.equal(withCarried(report, EMPTY_REPORT).total.usdSpent, null);
  assert.equal(withCarried(EMPTY_REPORT, report).total.usdSpent, null);
  assert.equal(withCarried(report, report).total.usdSpent, null);
  const paid = { total: usage(1, 10, 0.5), features: {} };
  assert.equal(withCarried(report, paid).total.usdSpent, 0.5);
});

test('paused and no-server states', () => {
  assert.equal(statusText('ready', usage(2, 1234, 0.00042), 'for 30 minutes'), '$(debug-pause) Seed: paused');
  assert.equal(statusText('working', usage(2, 1234, 0.00042), 'for python'), '$(loading~spin) Seed 1.23k tok · $0.00042');
  assert.equal(statusText('noServer', EMPTY_USAGE), '$(cloud-download) Seed: set up the server');
  assert.match(statusTooltip('ready', undefined, EMPTY_REPORT, undefined, 'until 14:35'), /Suggestions paused until 14:35\./);
  assert.match(statusTooltip('noServer', undefined, EMPTY_REPORT), /click to set one up/);
});

test('the tooltip shows the suggestion stats seed/status reports', () => {
  const status = {
    version: '0.1.0',
    model: 'm',
    baseUrl: 'http://x/v1',
    hasKey: true,
    positionEncoding: 'utf-16',
    openDocuments: 1,
    usage: EMPTY_REPORT,
    suggestions: {
      inline: { shown: 12, accepted: 7, partiallyAccepted: 1, dismissed: 4, retention: { ratio: 0.925 } },
      nextEdit: { shown: 3, accepted: 1, dismissed: 2, retention: { ratio: null } },
    },
  };
  const tooltip = statusTooltip('ready', status, EMPTY_REPORT);
  assert.match(tooltip, /\| ghost text \| 12 \| 7 \| 1 \| 4 \| 93% \|/);
  assert.match(tooltip, /\| next edits \| 3 \| 1 \| 0 \| 2 \| – \|/);
  assert.doesNotMatch(statusTooltip('ready', { ...status, suggestions: undefined }, EMPTY_REPORT), /suggestions/);
});

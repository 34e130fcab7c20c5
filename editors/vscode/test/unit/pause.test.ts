import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Pause } from '../../src/pause';

test('a pause for a while covers every language and ends by itself', () => {
  let now = new Date(2026, 0, 1, 14, 5).getTime();
  let changes = 0;
  const pause = new Pause(() => changes++, () => now);
  assert.equal(pause.active(), false);
  pause.for(30 * 60_000);
  assert.ok(pause.covers('python') && pause.covers('markdown'));
  assert.equal(pause.describe('python'), 'until 14:35');
  now += 30 * 60_000;
  assert.equal(pause.covers('python'), false);
  assert.equal(pause.active(), false);
  assert.equal(changes, 1);
  pause.dispose();
});

test('a pause for a language covers that language only, until resumed', () => {
  let changes = 0;
  const pause = new Pause(() => changes++);
  pause.language('markdown');
  assert.ok(pause.covers('markdown'));
  assert.equal(pause.covers('python'), false);
  assert.equal(pause.describe('markdown'), 'for markdown');
  assert.equal(pause.describe('python'), '');
  assert.equal(pause.describe(), 'for markdown');
  pause.resume();
  assert.equal(pause.covers('markdown'), false);
  assert.equal(pause.active(), false);
  assert.equal(changes, 2);
});

test('the timer resumes and says so', async () => {
  let changes = 0;
  const pause = new Pause(() => changes++);
  pause.for(20);
  assert.ok(pause.covers('go'));
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(pause.covers('go'), false);
  assert.equal(changes, 2); // paused, then resumed by the timer
});

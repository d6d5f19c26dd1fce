// The decode speed the footer, the status bar and the log show (src/core/requestStats.ts).
import * as assert from 'node:assert/strict';
import { tokensPerSecond, type RequestStats } from '../../src/core/requestStats';

function stats(firstTokenAt: number, lastTokenAt: number, deltas: number, completionTokens?: number): RequestStats {
  const measured: RequestStats = { startedAt: 0, firstTokenAt, lastTokenAt, deltas, usageChunk: false };
  if (completionTokens !== undefined)
    measured.usage = { promptTokens: 10, completionTokens, totalTokens: 10 + completionTokens };
  return measured;
}

describe('decode speed', () => {
  it('tokens after the first over the time since it; the server count wins over the deltas', () => {
    assert.equal(tokensPerSecond(stats(100, 1100, 51)), 50);
    assert.equal(tokensPerSecond(stats(100, 1100, 51, 101)), 100);
  });

  it('says nothing for one token, or for an answer that came in one burst (no 33,000 tok/s)', () => {
    assert.equal(tokensPerSecond(stats(100, 1100, 1)), undefined);
    assert.equal(tokensPerSecond(stats(100, 102.4, 40, 81)), undefined);
    assert.equal(tokensPerSecond(stats(100, 149, 40, 81)), undefined);
    assert.equal(tokensPerSecond(stats(100, 150, 11)), 200, 'a short, fast, real stream keeps its rate');
  });
});

// Which answers of the transcript hold their DOM (src/webview/turnWindow.ts): what a reopened
// conversation renders at once, and which answers may give their DOM up far off screen.
import * as assert from 'node:assert/strict';
import type { AssistantTurnView, TurnView } from '../../src/protocol';
import {
  eagerFrom,
  estimatedGroupHeightPx,
  estimatedHeightPx,
  mayRelease,
  type ReleaseCandidate,
} from '../../src/webview/turnWindow';

function conversation(answerLengths: number[]): TurnView[] {
  return answerLengths.flatMap((length, i): TurnView[] => [
    { role: 'user', id: `q${i}`, text: `Question ${i}` },
    { role: 'assistant', id: `a${i}`, requestId: i, content: 'x'.repeat(length), reasoning: '', status: 'done' },
  ]);
}

describe('chat panel: which answers hold their DOM', () => {
  describe('opening a conversation', () => {
    it('renders the last answers at once until about the eager size, the older ones later', () => {
      const turns = conversation([3000, 3000, 3000, 3000]);
      // The last two answers (6,000 characters) pass 4,000: they render at once (the first is turn 5).
      assert.equal(eagerFrom(turns, 4000), 5);
    });

    it('renders at least the last answer, however long', () => {
      const turns = conversation([10, 50_000]);
      assert.equal(eagerFrom(turns, 4000), 3);
    });

    it('renders a short conversation whole', () => {
      assert.equal(eagerFrom(conversation([100, 100, 100]), 4000), 0);
      assert.equal(eagerFrom([], 4000), 0);
    });

    it('counts the thinking as well as the answer', () => {
      const turns = conversation([3000, 3000]);
      (turns[3] as AssistantTurnView).reasoning = 'y'.repeat(5000);
      assert.equal(eagerFrom(turns, 4000), 3);
    });
  });

  describe('releasing an answer far off screen', () => {
    const idle: ReleaseCandidate = { streaming: false, isLast: false, holdsFocus: false, holdsSelection: false };

    it('releases a finished answer nobody is working in', () => {
      assert.equal(mayRelease(idle), true);
    });

    for (const [what, candidate] of [
      ['a streaming answer', { ...idle, streaming: true }],
      ['the last answer (Regenerate, Continue; the next one streams below it)', { ...idle, isLast: true }],
      ['an answer holding the keyboard focus', { ...idle, holdsFocus: true }],
      ['an answer the selection touches', { ...idle, holdsSelection: true }],
    ] as const)
      it(`keeps ${what}`, () => {
        assert.equal(mayRelease(candidate), false);
      });
  });

  it('estimates a longer answer taller', () => {
    const view = (content: string): AssistantTurnView => ({
      role: 'assistant',
      id: 'a',
      requestId: 1,
      content,
      reasoning: '',
      status: 'done',
    });
    const short = estimatedHeightPx(view('one line'));
    assert.ok(estimatedHeightPx(view('line\n'.repeat(40))) > short + 40 * 17);
    assert.ok(estimatedHeightPx(view('x'.repeat(7000))) > short + 90 * 17);
  });

  it('estimates a group not built yet as its answers, questions and their margins', () => {
    const turns = conversation([700, 1400]);
    const answers = turns.filter((turn): turn is AssistantTurnView => turn.role === 'assistant');
    const expected = answers.reduce((sum, answer) => sum + estimatedHeightPx(answer), 0) + 2 * 34 + 4 * 14;
    assert.equal(estimatedGroupHeightPx(turns), expected);
  });
});

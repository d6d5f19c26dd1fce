// bench:insert's answers are what it claims: through the code filter, the pure-code answer and the prose-first
// one leave exactly the expected document, with every code delta's marker in it and nothing of the prose.
import * as assert from 'node:assert/strict';
import { CodeOnlyFilter, type CodeFilterOutput } from '../../src/insert/codeFilter';
import { proseFirstAnswer, pureCodeAnswer, type BenchAnswer } from '../bench/insert/benchAnswer';

function filtered({ deltas }: BenchAnswer): string {
  const filter = new CodeOnlyFilter();
  const out: CodeFilterOutput[] = [];
  for (const delta of deltas) filter.push(delta, out);
  filter.flush(out);
  assert.ok(
    out.every((output) => output.type === 'code'),
    'nothing is taken back',
  );
  return filter.emitted;
}

describe('bench:insert answers', () => {
  it('bench answers: pure code and prose first leave the expected document, every marker in it', () => {
    for (const count of [200, 205]) {
      for (const answer of [pureCodeAnswer(count), proseFirstAnswer(count)]) {
        assert.equal(filtered(answer), answer.document);
        const markers = answer.markers.filter((marker) => marker !== undefined);
        assert.equal(markers.length, count);
        let from = 0;
        for (const marker of markers) {
          const at = answer.document.indexOf(marker, from);
          assert.ok(at >= from, `${marker} in order`);
          from = at + marker.length;
        }
      }
      assert.ok(proseFirstAnswer(count).deltas[0].startsWith('Sure'), 'the prose-first answer opens with a sentence');
      assert.doesNotMatch(proseFirstAnswer(count).document, /Sure|```|marker/);
    }
  });
});

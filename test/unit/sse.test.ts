// The event-stream line reader on its own: every line end (CRLF, LF, CR) wherever a read cuts it.
import * as assert from 'node:assert/strict';
import { SseReader } from '../../src/api/sse';

interface Seen {
  events: Array<{ type: string | undefined; data: string }>;
  comments: number;
  unknown: string[];
  tooLarge: boolean;
}

function read(pieces: string[], maxLength = 1024): Seen {
  const seen: Seen = { events: [], comments: 0, unknown: [], tooLarge: false };
  const reader = new SseReader(
    {
      onEvent: (type, data) => seen.events.push({ type, data }),
      onComment: () => seen.comments++,
      onUnknownField: (field, value) => seen.unknown.push(`${field}=${value}`),
      onTooLarge: () => (seen.tooLarge = true),
    },
    maxLength,
  );
  for (const piece of pieces) reader.feed(piece);
  return seen;
}

/** The text cut in two at every offset reads as it does whole. */
function everyCut(text: string, expected: Seen): void {
  for (let at = 0; at <= text.length; at++) {
    assert.deepEqual(read([text.slice(0, at), text.slice(at)]), expected, `cut at ${at}`);
  }
}

describe('SSE line reader', () => {
  it('CRLF, LF and CR line ends, cut at every offset: data lines join, a blank line dispatches', () => {
    const text = 'data: a\r\ndata: b\r\n\r\nevent: ping\rdata:c\r\r: keep-alive\n\ndata\nid: 7\nretry: 5\n\n';
    everyCut(text, {
      events: [
        { type: undefined, data: 'a\nb' },
        { type: 'ping', data: 'c' },
        { type: undefined, data: '' },
      ],
      comments: 1,
      unknown: [],
      tooLarge: false,
    });
  });

  it('a CR ending one read and an LF starting the next are one line end, not a blank line', () => {
    const seen = read(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
    assert.deepEqual(seen.events, [{ type: undefined, data: 'a\nb' }]);
  });

  it('unknown fields are reported with their value; a line without a colon is a field without value', () => {
    const seen = read(['error: {"message":"boom"}\n{"error":"bare"}\n\n']);
    assert.deepEqual(seen.unknown, ['error={"message":"boom"}', '{"error"="bare"}']);
    assert.deepEqual(seen.events, []);
  });

  it('a line longer than the limit stops the reader, also when it arrives in many reads', () => {
    const seen = read(['data: ', 'x'.repeat(60), 'x'.repeat(60), '\n\ndata: late\n\n'], 100);
    assert.equal(seen.tooLarge, true);
    assert.deepEqual(seen.events, []);
  });
});

// Code written into a document takes the document's line endings, whatever the model sent.
import * as assert from 'node:assert/strict';
import { withLineEndings } from '../../src/core/lineEndings';

describe('line endings', () => {
  it('into a CRLF document: every "\\n" and "\\r\\n" becomes "\\r\\n", none doubled', () => {
    assert.equal(withLineEndings('a\nb\r\nc\n', '\r\n'), 'a\r\nb\r\nc\r\n');
    assert.equal(withLineEndings('\r\n\n', '\r\n'), '\r\n\r\n');
  });

  it('into an LF document: every "\\r\\n" becomes "\\n"', () => {
    assert.equal(withLineEndings('a\r\nb\nc\r\n', '\n'), 'a\nb\nc\n');
  });

  it('text without line breaks, and a lone "\\r", are left as they are', () => {
    assert.equal(withLineEndings('', '\r\n'), '');
    assert.equal(withLineEndings('one line', '\r\n'), 'one line');
    assert.equal(withLineEndings('a\rb', '\n'), 'a\rb');
    assert.equal(withLineEndings('a\rb', '\r\n'), 'a\rb');
  });
});

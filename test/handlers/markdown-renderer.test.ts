import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../functions/knowledge/markdown-html.ts';
import { markdownRenderer } from '../../functions/knowledge/markdown-renderer.ts';

// Article HTML is rendered at write time and served as is: whatever an author writes, the HTML has
// no script, no event handler, no style beyond table alignment and no link or image target but
// http(s), mailto (links) and relative ones.

const render = (markdown: string) => markdownToHtml(markdown);
const ALLOWED_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'strong', 'em', 's', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

/** Every way the HTML could run code or load something it should not, as messages (none: safe). */
function unsafeParts(html: string): string[] {
  const found: string[] = [];
  for (const [, name, attrs] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    if (!ALLOWED_TAGS.has(name!.toLowerCase())) found.push(`tag ${name}`);
    for (const [, attr, value] of attrs!.matchAll(/([^\s=/]+)\s*=\s*"([^"]*)"/g)) {
      const a = attr!.toLowerCase();
      if (a.startsWith('on')) found.push(`handler ${a}`);
      if (a === 'style' && !/^text-align:(left|right|center);?$/.test(value!)) found.push(`style ${value}`);
      if (a === 'href' || a === 'src') {
        const decoded = value!.replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&').replace(/[\s\u0000-\u001f]/g, '');
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(decoded)?.[1]?.toLowerCase();
        const allowed = a === 'src' ? ['http', 'https'] : ['http', 'https', 'mailto'];
        if (scheme !== undefined && !allowed.includes(scheme)) found.push(`${a} ${value}`);
        if (decoded.startsWith('//')) found.push(`${a} protocol-relative ${value}`);
      }
    }
  }
  if (/<script|<iframe|<svg|<object|<embed|<style|<form|<input|<math/i.test(html)) found.push('active element');
  return found;
}

const VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)">',
  '<svg onload=alert(1)><circle r=1></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="position:fixed;top:0">overlay</p>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<!--<img src=x onerror=alert(1)>-->',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1) )',
  '[click](java\tscript:alert(1))',
  '[click](java&#115;cript:alert(1))',
  '[click](java&#x73;cript:alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](file:///etc/passwd)',
  '[click](//evil.example/phish)',
  '[click]("onmouseover="alert(1))',
  '[click](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](https://example.com/a.png" onerror="alert(1))',
  '[a]: javascript:alert(1)\n\n[ref][a]',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '> <img src=x onerror=alert(1)>',
  '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
  '[![x](https://example.com/i.png)](javascript:alert(1))',
  'www.example.com/<script>alert(1)</script>',
];

describe('Markdown rendering: XSS vectors', () => {
  it.each(VECTORS)('%s renders harmless', (markdown) => {
    const html = render(markdown);
    expect(unsafeParts(html), html).toEqual([]);
  });

  it('raw HTML comes out as text, not markup', () => {
    expect(render('<b>bold</b> <script>alert(1)</script>')).toBe('<p>&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });

  it('a refused link target leaves the text, not a link', () => {
    expect(render('[click](javascript:alert(1))')).not.toContain('<a');
    expect(render('[x](java&#115;cript:alert(1))')).not.toContain('<a');
    expect(render('![x](data:image/png;base64,AAAA)')).not.toContain('<img');
  });

  it('property: any text, with any of the vectors mixed in, renders without unsafe parts', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...VECTORS), fc.constantFrom('[', ']', '(', ')', '<', '>', '`', '\n', '"', '&#', 'javascript:')), { maxLength: 20 }), (parts) => {
        const html = render(parts.join(''));
        expect(unsafeParts(html), html).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the renderer port', () => {
  it('loads the renderer on first use and renders as markdownToHtml does', async () => {
    expect(await markdownRenderer.toHtml('# Hi <script>')).toBe(render('# Hi <script>'));
  });
});

describe('Markdown rendering: normal articles survive', () => {
  it('headings, emphasis, lists, quotes, code, rules', () => {
    const html = render('# Title\n\n## Part\n\nSome *em* and **strong** and ~~gone~~.\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n`inline`\n\n```ts\nconst a = 1 < 2;\n```\n\n---');
    for (const part of ['<h1>Title</h1>', '<h2>Part</h2>', '<em>em</em>', '<strong>strong</strong>', '<s>gone</s>', '<ul>\n<li>one</li>', '<ol start="3">', '<blockquote>', '<code>inline</code>', '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>', '<hr>']) {
      expect(html).toContain(part);
    }
  });

  it('tables with alignment', () => {
    const html = render('| Plan | Price |\n|:-----|------:|\n| Gold | 10 |');
    expect(html).toContain('<th style="text-align:left;">Plan</th>');
    expect(html).toContain('<td style="text-align:right;">10</td>');
  });

  it('links: https and http (external: rel="noopener noreferrer"), mailto, relative; autolinks; https images', () => {
    const html = render('[site](https://example.com/a?b=1&c=2) [old](http://example.com) [mail](mailto:help@example.com) [rel](/help/articles/other) [frag](#part) <https://example.com/auto> https://example.org/bare ![logo](https://example.com/logo.png "Logo")');
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">site</a>');
    expect(html).toContain('<a href="http://example.com" rel="noopener noreferrer">old</a>');
    expect(html).toContain('<a href="mailto:help@example.com">mail</a>');
    expect(html).toContain('<a href="/help/articles/other">rel</a>');
    expect(html).toContain('<a href="#part">frag</a>');
    expect(html).toContain('<a href="https://example.com/auto" rel="noopener noreferrer">https://example.com/auto</a>');
    expect(html).toContain('<a href="https://example.org/bare" rel="noopener noreferrer">https://example.org/bare</a>');
    expect(html).toContain('<img src="https://example.com/logo.png" alt="logo" title="Logo">');
  });
});

import MarkdownIt from 'markdown-it';
import xssModule from 'xss';

// Article Markdown to HTML, rendered once when an article is written (reads never render). Two
// lines of defence: markdown-it with raw HTML off (any HTML in the Markdown comes out escaped, as
// text) and only http, https, mailto and relative link targets; then js-xss with an allowlist of
// exactly the tags and attributes markdown-it produces, which also rechecks every href and src.

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);
const IMAGE_SCHEMES = new Set(['http', 'https']);

/** An absolute URL of an allowed scheme, or a relative one (no scheme at all: a path, query or fragment). */
function allowedUrl(url: string, schemes: ReadonlySet<string>): boolean {
  // Control characters and spaces before a scheme are how `java\tscript:` slips through naive checks.
  const trimmed = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = SCHEME.exec(trimmed)?.[1];
  if (scheme !== undefined) return schemes.has(scheme.toLowerCase());
  return !trimmed.startsWith('//') && !trimmed.startsWith('\\');
}

const isExternal = (href: string) => /^https?:\/\//i.test(href.trim());

const md = new MarkdownIt({ html: false, linkify: true });
// markdown-it validates link and image targets alike; images get the narrower list in the sanitiser.
md.validateLink = (url) => allowedUrl(url, LINK_SCHEMES);
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  if (isExternal(String(token.attrGet('href') ?? ''))) token.attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

const CELL = ['style'];
// js-xss is CommonJS whose helpers Node's ESM interop cannot name: they hang off its default export.
const xss = xssModule as unknown as typeof import('xss');
const { escapeAttrValue, friendlyAttrValue, safeAttrValue } = xss;
const sanitiser = new xss.FilterXSS({
  whiteList: {
    h1: [], h2: [], h3: [], h4: [], h5: [], h6: [],
    p: [], br: [], hr: [], blockquote: [],
    strong: [], em: [], s: [], del: [],
    code: ['class'], pre: [],
    ul: [], ol: ['start'], li: [],
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    table: [], thead: [], tbody: [], tr: [], th: CELL, td: CELL,
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style'],
  allowCommentTag: false,
  // Table alignment (`style="text-align:right"`) is the only CSS markdown-it writes.
  css: { whiteList: { 'text-align': true } },
  safeAttrValue(tag, name, value, cssFilter) {
    if (name === 'href' || name === 'src') {
      const url = friendlyAttrValue(value);
      return allowedUrl(url, tag === 'img' ? IMAGE_SCHEMES : LINK_SCHEMES) ? escapeAttrValue(url) : '';
    }
    if (name === 'class') return /^language-[\w-]{1,40}$/.test(value) ? value : '';
    if (name === 'rel') return value === 'noopener noreferrer' ? value : '';
    if (name === 'start') return /^\d{1,9}$/.test(value) ? value : '';
    return safeAttrValue(tag, name, value, cssFilter);
  },
});

/** Markdown to sanitised HTML. */
export const markdownToHtml = (markdown: string): string => sanitiser.process(md.render(markdown));

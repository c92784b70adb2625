import type { MarkdownRenderer } from '#domain/knowledge/article.ports.ts';

// The renderer is loaded on the first write, not at cold start: markdown-it and js-xss are ~120 KB of
// the knowledge bundle, and the function's reads (staff listings, the public help centre) never render.
let loaded: Promise<typeof import('./markdown-html.ts')> | undefined;

export const markdownRenderer: MarkdownRenderer = {
  async toHtml(markdown) {
    loaded ??= import('./markdown-html.ts');
    return (await loaded).markdownToHtml(markdown);
  },
};

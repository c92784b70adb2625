import { escapeHtml } from '../consent/email-gate.ts';
import { WORD_SEPARATOR } from './search-index.ts';

// Highlighted snippets: the text HTML-escaped, each word whose index term the query matched in
// <mark>, and for the body a window around the densest cluster of matches. Words are compared
// after the same lower-casing and stemming the index applied, so "passwords" in the text is
// marked for a query that matched the term "password".

const BODY_WINDOW = 200;
const WORD = /[^\n\r\p{Z}\p{P}]+/gu;

interface Word {
  readonly start: number;
  readonly end: number;
  readonly hit: boolean;
}

function words(text: string, process: (word: string) => string | null, terms: ReadonlySet<string>): Word[] {
  return [...text.matchAll(WORD)].map((m) => {
    const term = process(m[0]);
    return { start: m.index, end: m.index + m[0].length, hit: term !== null && terms.has(term) };
  });
}

function marked(text: string, list: readonly Word[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const w of list) {
    if (!w.hit || w.start < from || w.end > to) continue;
    out += `${escapeHtml(text.slice(at, w.start))}<mark>${escapeHtml(text.slice(w.start, w.end))}</mark>`;
    at = w.end;
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole (short) text with its matches marked. */
export function highlight(text: string, process: (word: string) => string | null, terms: ReadonlySet<string>): string {
  return marked(text, words(text, process, terms), 0, text.length);
}

/** About BODY_WINDOW characters around the most matches, cut at word boundaries, with ellipses where cut. */
export function bodySnippet(text: string, process: (word: string) => string | null, terms: ReadonlySet<string>): string {
  const list = words(text, process, terms);
  const hits = list.filter((w) => w.hit);
  let start = 0;
  if (hits.length > 0) {
    // The window starting shortly before a hit that holds the most hits.
    let best = 0;
    let bestCount = -1;
    for (let i = 0; i < hits.length; i++) {
      let count = 0;
      for (let j = i; j < hits.length && hits[j]!.end - hits[i]!.start <= BODY_WINDOW; j++) count++;
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    }
    const lead = Math.max(0, hits[best]!.start - 40);
    start = lead === 0 ? 0 : (list.find((w) => w.start >= lead)?.start ?? hits[best]!.start);
  }
  let end = Math.min(text.length, start + BODY_WINDOW);
  if (end < text.length) {
    const lastWord = [...list].reverse().find((w) => w.end <= end && w.start >= start);
    if (lastWord) end = lastWord.end;
  }
  return `${start > 0 ? '…' : ''}${marked(text, list, start, end)}${end < text.length ? '…' : ''}`;
}

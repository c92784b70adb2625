import { escapeHtml } from '../consent/email-gate.ts';
import { headerSafe } from '../shared/email.ts';
import type { FieldIssue } from '../shared/errors.ts';

// Personalisation of campaign mail: `{{firstName}}`, `{{lastName}}`, `{{email}}`,
// `{{attributes.<name>}}`, each with an optional default after a bar: `{{firstName|there}}`.
// Values are HTML-escaped in HTML. A name outside that list is refused when the campaign is
// saved (400), so a typo never reaches a recipient as an empty hole.

/** What a template may name about its recipient. */
export interface TemplatePerson {
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export interface CampaignTemplate {
  readonly subject: string;
  readonly text: string;
  readonly html?: string | null;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^(firstName|lastName|email|attributes\.[A-Za-z0-9_-]{1,64})$/;

interface Placeholder {
  readonly raw: string;
  readonly name: string;
  readonly fallback: string;
}

function parse(inner: string): Omit<Placeholder, 'raw'> {
  const bar = inner.indexOf('|');
  const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
  const fallback = bar === -1 ? '' : inner.slice(bar + 1).trim();
  return { name, fallback };
}

/** The problems of one template part: unknown names, and braces that open or close nothing. */
function partIssues(text: string, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const { name } = parse(match[1]!);
    if (!NAME.test(name)) {
      issues.push({ path, message: `unknown placeholder ${match[0]}: use firstName, lastName, email or attributes.<name>, with an optional default after |` });
    }
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) issues.push({ path, message: 'has a {{ or }} that is not part of a placeholder' });
  return issues;
}

/** Every problem of a template, with the path of the part it is in (`template.subject`, ...). */
export function templateIssues(template: CampaignTemplate, prefix = 'template'): FieldIssue[] {
  return [
    ...partIssues(template.subject, `${prefix}.subject`),
    ...partIssues(template.text, `${prefix}.text`),
    ...(template.html ? partIssues(template.html, `${prefix}.html`) : []),
  ];
}

function valueOf(person: TemplatePerson, name: string): string {
  if (name === 'firstName') return person.firstName ?? '';
  if (name === 'lastName') return person.lastName ?? '';
  if (name === 'email') return person.email;
  const value = person.attributes[name.slice('attributes.'.length)];
  return value === undefined ? '' : String(value);
}

/** Fills the placeholders of one part; an empty value takes the default. */
export function fill(text: string, person: TemplatePerson, html: boolean): string {
  return text.replace(PLACEHOLDER, (_m, inner: string) => {
    const { name, fallback } = parse(inner);
    const value = valueOf(person, name) || fallback;
    return html ? escapeHtml(value) : value;
  });
}

export interface CampaignMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  /** RFC 8058 one-click unsubscribe headers. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The message one person gets: personalised, the subject one line (profile values are stored data
 * and may hold CR/LF), and the visible unsubscribe link and its headers that every marketing email carries.
 */
export function campaignMessage(template: CampaignTemplate, person: TemplatePerson, unsubscribeUrl: string): CampaignMessage {
  const text = fill(template.text, person, false);
  const html = template.html ? fill(template.html, person, true) : null;
  return {
    subject: headerSafe(fill(template.subject, person, false)),
    text: `${text}\n\n--\nUnsubscribe: ${unsubscribeUrl}`,
    html: html === null ? null : `${html}<hr><p><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

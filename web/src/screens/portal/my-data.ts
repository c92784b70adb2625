import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// The data export (GET /me/export): what the document holds, counted for the screen, and the
// file it downloads as. The document itself is the API's, saved byte for byte as JSON.

type CustomerExport = components['schemas']['CustomerExport'];
type ErasureRequest = components['schemas']['ErasureRequest'];

export interface ExportSection {
  key: 'identities' | 'interactions' | 'cases' | 'consents' | 'emails' | 'accounts' | 'ownedProducts' | 'leads';
  label: string;
  count: number;
}

const SECTION_LABELS: Record<ExportSection['key'], string> = {
  identities: 'Linked identities',
  interactions: 'Interactions',
  cases: 'Cases and case comments',
  consents: 'Consent changes',
  emails: 'Emails',
  accounts: 'Business accounts',
  ownedProducts: 'Products owned',
  leads: 'Sales enquiries',
};

export function exportSections(doc: CustomerExport): ExportSection[] {
  return (Object.keys(SECTION_LABELS) as ExportSection['key'][]).map((key) => ({ key, label: SECTION_LABELS[key], count: doc[key].length }));
}

/** `my-data-2026-12-01.json`, dated by the export's own exportedAt (UTC). */
export function exportFileName(doc: Pick<CustomerExport, 'exportedAt'>): string {
  return `my-data-${doc.exportedAt.slice(0, 10)}.json`;
}

export function exportJson(doc: CustomerExport): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const UTC_PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A timestamp in words, in UTC (the API's clock), e.g. "8 December 2026, 09:00 UTC". */
export function utcDateTime(iso: string): string {
  const part = Object.fromEntries(UTC_PARTS.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part['day']} ${part['month']} ${part['year']}, ${part['hour']}:${part['minute']} UTC`;
}

/** What the erasure panel says about a request GET /me/erasure answered. */
export function erasureNotice(request: ErasureRequest): string {
  if (request.status === 'done') return 'Your account is being erased now.';
  if (request.status === 'cancelled') return 'Your erasure request was cancelled.';
  return `Your account will be erased on ${utcDateTime(request.runAt)}. Until then you can cancel.`;
}

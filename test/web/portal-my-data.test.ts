import { describe, expect, it } from 'vitest';
import { erasureNotice, exportFileName, exportJson, exportSections, utcDateTime } from '../../web/src/screens/portal/my-data.ts';
import { authorLabel, canClose, canReply, replyNote, statusQuery } from '../../web/src/screens/portal/my-cases.ts';

const EXPORT = {
  exportedAt: '2026-12-01T23:59:59.000Z',
  customer: { id: 'cus_1', mergedInto: 'cus_2', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 },
  identities: [],
  accounts: [],
  ownedProducts: ['sku-1', 'sku-2'],
  leads: [
    {
      id: 'lead_1',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: null,
      company: 'Analytical Ltd',
      source: 'web',
      campaignId: null,
      notes: null,
      status: 'new' as const,
      captures: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
  ],
  interactions: [],
  cases: [],
  consents: [],
  emails: [],
};

describe('the data export', () => {
  it('counts each section of the document and names the file by its export date', () => {
    expect(exportSections(EXPORT).map((s) => [s.key, s.count])).toEqual([
      ['identities', 0],
      ['interactions', 0],
      ['cases', 0],
      ['consents', 0],
      ['emails', 0],
      ['accounts', 0],
      ['ownedProducts', 2],
      ['leads', 1],
    ]);
    expect(exportFileName(EXPORT)).toBe('my-data-2026-12-01.json');
    expect(JSON.parse(exportJson(EXPORT))).toEqual(EXPORT);
  });
});

describe('the erasure request', () => {
  const request = { customerId: 'cus_1', status: 'pending' as const, requestedAt: '2026-12-01T09:05:00.000Z', runAt: '2026-12-08T09:05:00.000Z', cancelledAt: null };

  it('says when a pending erasure runs, in UTC', () => {
    expect(utcDateTime('2026-12-08T21:05:00.000Z')).toBe('8 December 2026, 21:05 UTC');
    expect(erasureNotice(request)).toBe('Your account will be erased on 8 December 2026, 09:05 UTC. Until then you can cancel.');
  });

  it('says so when the run has begun or the request was cancelled', () => {
    expect(erasureNotice({ ...request, status: 'done' })).toBe('Your account is being erased now.');
    expect(erasureNotice({ ...request, status: 'cancelled', cancelledAt: '2026-12-02T00:00:00.000Z' })).toBe('Your erasure request was cancelled.');
  });
});

describe('a case in the portal', () => {
  it('offers a reply until the case is closed, and closing only once it is solved', () => {
    expect(['open', 'pending', 'on_hold', 'solved', 'closed'].map((status) => [canReply({ status } as never), canClose({ status } as never)])).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [true, true],
      [false, false],
    ]);
  });

  it('warns that a reply reopens a pending or solved case, as the API does', () => {
    expect(replyNote({ status: 'pending' })).toBe('Replying reopens this case.');
    expect(replyNote({ status: 'solved' })).toBe('Replying reopens this case.');
    expect(replyNote({ status: 'on_hold' })).toBeNull();
  });

  it('names authors by kind only and filters by a known status', () => {
    expect(authorLabel({ authorType: 'customer' })).toBe('You');
    expect(authorLabel({ authorType: 'staff' })).toBe('Support');
    expect(statusQuery('solved')).toEqual({ status: 'solved' });
    expect(statusQuery('')).toEqual({});
    expect(statusQuery('toString')).toEqual({});
  });
});

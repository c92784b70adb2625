import { describe, expect, it } from 'vitest';
import { dropOffsOf, funnelOf, outcomeMessage } from '../../web/src/screens/marketer/campaign-funnel.ts';

const REPORT = { targeted: 8, sent: 5, blocked: { no_consent: 2, suppressed: 1 }, held: 0, capped: 0, failed: 0, delivered: 4, bounced: 1, complained: 0, unsubscribed: 1 };

describe('the campaign report', () => {
  it('draws the funnel targeted -> sent -> delivered with shares of the targeted', () => {
    expect(funnelOf(REPORT)).toEqual([
      { label: 'Targeted', count: 8, percentOfTargeted: 100 },
      { label: 'Sent', count: 5, percentOfTargeted: 62.5 },
      { label: 'Delivered', count: 4, percentOfTargeted: 50 },
    ]);
  });

  it('has no shares before anybody was targeted', () => {
    expect(funnelOf({ ...REPORT, targeted: 0, sent: 0, delivered: 0 }).map((s) => s.percentOfTargeted)).toEqual([null, null, null]);
  });

  it('lists what left the funnel, blocked by the reason of the gate, without zeros', () => {
    expect(dropOffsOf(REPORT)).toEqual([
      { label: 'Blocked: no consent', count: 2 },
      { label: 'Blocked: suppressed', count: 1 },
      { label: 'Bounced', count: 1 },
      { label: 'Unsubscribed', count: 1 },
    ]);
  });
});

describe('a one-to-one email', () => {
  it('says a blocked send was not sent, with the reason the gate gave', () => {
    expect(outcomeMessage({ outcome: 'blocked', reason: 'no_consent' })).toEqual({ sent: false, text: expect.stringContaining('(no_consent)') });
    expect(outcomeMessage({ outcome: 'sent', messageId: 'm-1' })).toEqual({ sent: true, text: 'Sent (message m-1).' });
  });
});

import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// Pure helpers of the campaign report: the funnel (targeted -> sent -> delivered) and the outcomes
// that left it, as the chart and its table alternative show them. Counts are the API's.

export type CampaignReport = components['schemas']['CampaignReport'];

export interface FunnelStep {
  readonly label: string;
  readonly count: number;
  /** Share of the targeted recipients, one decimal; null when nobody was targeted. */
  readonly percentOfTargeted: number | null;
}

const share = (count: number, of: number) => (of === 0 ? null : Math.round((1000 * count) / of) / 10);

export function funnelOf(report: CampaignReport): FunnelStep[] {
  const steps: [string, number][] = [
    ['Targeted', report.targeted],
    ['Sent', report.sent],
    ['Delivered', report.delivered],
  ];
  return steps.map(([label, count]) => ({ label, count, percentOfTargeted: share(count, report.targeted) }));
}

/** Outcomes outside the funnel, blocked split by the gate's reason; zeros left out. */
export function dropOffsOf(report: CampaignReport): { label: string; count: number }[] {
  const blocked = Object.entries(report.blocked)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => ({ label: `Blocked: ${reason.replaceAll('_', ' ')}`, count }));
  return [
    ...blocked,
    { label: 'Held (open case)', count: report.held },
    { label: 'Capped (frequency)', count: report.capped },
    { label: 'Failed', count: report.failed },
    { label: 'Bounced', count: report.bounced },
    { label: 'Complained', count: report.complained },
    { label: 'Unsubscribed', count: report.unsubscribed },
  ].filter((row) => row.count > 0);
}

/** What a one-to-one send answered (202 either way), in words; the reason stays the API's code. */
export function outcomeMessage(outcome: components['schemas']['EmailOutcome']): { sent: boolean; text: string } {
  if (outcome.outcome === 'sent') return { sent: true, text: `Sent (message ${outcome.messageId}).` };
  const why: Record<typeof outcome.reason, string> = {
    no_consent: 'the customer has not subscribed to this topic',
    suppressed: 'the address is suppressed after a bounce or complaint',
    erased: 'the customer was erased',
  };
  return { sent: false, text: `Not sent: blocked by the consent gate (${outcome.reason}): ${why[outcome.reason]}.` };
}

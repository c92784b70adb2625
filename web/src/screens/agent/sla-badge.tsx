import { MILESTONE_WORDS, type SlaCase, slaView } from './sla-clock.ts';

const ICONS = { breached: '⚠', overdue: '⚠', 'at-risk': '◔', 'on-track': '●', paused: '❚❚', done: '✓' } as const;

/**
 * A case's SLA in words (state, milestone, countdown) with colour as a second signal only. The
 * countdown ticks with `now`; it is not a live region, so screen readers are not interrupted
 * every second, and the state word is what they read.
 */
export function SlaBadge({ kase, now }: { kase: SlaCase; now: number }) {
  const view = slaView(kase, now);
  return (
    <span class={`sla-badge sla-${view.state}`}>
      <span aria-hidden="true">{ICONS[view.state]} </span>
      <strong class="sla-state">{view.label}</strong>
      {view.milestone && <span class="sla-milestone"> · {MILESTONE_WORDS[view.milestone]}</span>}
      {view.dueAt && view.remainingMs !== null ? (
        <>
          {' · '}
          <time dateTime={view.dueAt} class="sla-countdown">
            {view.countdown}
          </time>
        </>
      ) : view.milestone ? (
        <span> · {view.countdown}</span>
      ) : null}
      {view.earlierBreaches.map((m) => (
        <strong key={m} class="sla-earlier-breach">
          {' '}
          · {MILESTONE_WORDS[m]} breached
        </strong>
      ))}
    </span>
  );
}

import type { EventDefinition } from './define-event.ts';
import { ConsentRequested } from './consent-requested.event.ts';
import { ConsentConfirmed } from './consent-confirmed.event.ts';
import { ConsentGranted } from './consent-granted.event.ts';
import { ConsentWithdrawn } from './consent-withdrawn.event.ts';
import { EmailSuppressed } from './email-suppressed.event.ts';
import { EmailSent } from './email-sent.event.ts';
import { EmailBounced } from './email-bounced.event.ts';
import { EmailComplained } from './email-complained.event.ts';
import { CaseOpened } from './case-opened.event.ts';
import { CaseUpdated } from './case-updated.event.ts';
import { CaseStatusChanged } from './case-status-changed.event.ts';
import { CasePriorityChanged } from './case-priority-changed.event.ts';
import { CaseAssigned } from './case-assigned.event.ts';
import { CaseCommented } from './case-commented.event.ts';
import { CaseSlaWarning } from './case-sla-warning.event.ts';
import { CaseSlaBreached } from './case-sla-breached.event.ts';
import { CaseEscalated } from './case-escalated.event.ts';
import { CustomerCreated } from './customer-created.event.ts';
import { CustomerErased } from './customer-erased.event.ts';
import { CustomerIdentityLinked } from './customer-identity-linked.event.ts';
import { CustomersMerged } from './customers-merged.event.ts';
import { CustomerUpdated } from './customer-updated.event.ts';
import { InteractionRecorded } from './interaction-recorded.event.ts';
import { CampaignScheduled } from './campaign-scheduled.event.ts';
import { CampaignStarted } from './campaign-started.event.ts';
import { CampaignPaused } from './campaign-paused.event.ts';
import { CampaignCompleted } from './campaign-completed.event.ts';
import { CampaignMessageSent } from './campaign-message-sent.event.ts';
import { ArticlePublished } from './article-published.event.ts';
import { ArticleWithdrawn } from './article-withdrawn.event.ts';
import { CaseSurveySent } from './case-survey-sent.event.ts';
import { CaseRated } from './case-rated.event.ts';
import { CustomerErasureRequested } from './customer-erasure-requested.event.ts';
import { CustomerErasureCancelled } from './customer-erasure-cancelled.event.ts';
// sales: leads (issue 12)
import { LeadCaptured } from './lead-captured.event.ts';
// sales: lead conversion (issue 12)
import { LeadConverted } from './lead-converted.event.ts';
import { AccountCreated } from './account-created.event.ts';
import { ActivityDue } from './activity-due.event.ts';
import { PurchaseRecorded } from './purchase-recorded.event.ts';
// sales: opportunities (issue 12)
import { OpportunityStageChanged } from './opportunity-stage-changed.event.ts';
import { OpportunityWon } from './opportunity-won.event.ts';
import { AnalyticsJobRequested } from './analytics-job-requested.event.ts';
import { OpportunityLost } from './opportunity-lost.event.ts';

/** Every event the system publishes; the outbox publisher refuses anything not listed here. */
export const EVENT_CATALOG: readonly EventDefinition[] = [
  CustomerCreated,
  CustomerUpdated,
  CustomerErased,
  CustomerIdentityLinked,
  CustomersMerged,
  InteractionRecorded,
  CaseOpened,
  CaseUpdated,
  CaseStatusChanged,
  CasePriorityChanged,
  CaseAssigned,
  CaseCommented,
  CaseSlaWarning,
  CaseSlaBreached,
  CaseEscalated,
  ConsentRequested,
  ConsentConfirmed,
  ConsentGranted,
  ConsentWithdrawn,
  EmailSuppressed,
  EmailSent,
  EmailBounced,
  EmailComplained,
  CampaignScheduled,
  CampaignStarted,
  CampaignPaused,
  CampaignCompleted,
  CampaignMessageSent,
  CustomerErasureRequested,
  CustomerErasureCancelled,
  // sales: leads (issue 12)
  LeadCaptured,
  AccountCreated,
  ActivityDue,
  ArticlePublished,
  ArticleWithdrawn,
  CaseSurveySent,
  CaseRated,
  PurchaseRecorded,
  // sales: opportunities (issue 12)
  OpportunityStageChanged,
  OpportunityWon,
  OpportunityLost,
  // sales: lead conversion (issue 12)
  LeadConverted,
  // analytics (issue 13)
  AnalyticsJobRequested,
];

export function findEvent(source: string, detailType: string): EventDefinition | undefined {
  return EVENT_CATALOG.find((e) => e.source === source && e.detailType === detailType);
}

/** Pattern matching every catalogued event of the given sources (for audit and archive rules). */
export function sourcesPattern(): { source: string[] } {
  return { source: [...new Set(EVENT_CATALOG.map((e) => e.source))] };
}

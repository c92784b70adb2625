import { nextCheckAt } from '#domain/cases/case-sla.ts';
import type { Case, Comment, Queue } from '#domain/cases/case.schema.ts';
import type { SlaPolicy } from '#domain/cases/sla-policy.ts';
import { TABLE } from '#infra/table.ts';
import { toInteractionItem } from '../customers/customer.keys.ts';

// Keys and item mappers for the cases context (pure; no I/O).
//   case               pk CASE#<id>              sk CASE                      gsi1..gsi7 (see infra/table.ts)
//   comment            pk CASE#<id>              sk COMMENT#<createdAt>#<id>
//   case number        pk COUNTER                sk CASE_NUMBER               value
//   queue              pk QUEUE#<name>           sk QUEUE
//   open cases         pk AGENT#<id>             sk OPEN_CASES                count
//   report day         pk REPORT#SLA#<queue|*>   sk DAY#<yyyy-mm-dd>          counters
//   breached open      pk REPORT#SLA#<queue|*>   sk BREACHED_OPEN             count
//   SLA policy         pk SLA_POLICY             sk V#<version, 6 digits> | CURRENT
//   timeline entries   pk CUSTOMER#<customerId>  sk TL#<at>#<caseId|commentId> (kind case | case_comment)

const I = TABLE.indexes;
export const CASE_NUMBER_START = 1000;

export const caseKey = (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' });
export const commentKey = (c: Pick<Comment, 'caseId' | 'createdAt' | 'id'>) => ({ pk: `CASE#${c.caseId}`, sk: `COMMENT#${c.createdAt}#${c.id}` });
export const counterKey = { pk: 'COUNTER', sk: 'CASE_NUMBER' } as const;
export const queueKey = (name: string) => ({ pk: `QUEUE#${name}`, sk: 'QUEUE' });
export const agentOpenKey = (agentId: string) => ({ pk: `AGENT#${agentId}`, sk: 'OPEN_CASES' });
/** The report days' sort keys begin with it (the analytics forecast lists a queue's days by it). */
export const REPORT_DAY_PREFIX = 'DAY#';
export const reportDayKey = (queue: string, day: string) => ({ pk: `REPORT#SLA#${queue}`, sk: `${REPORT_DAY_PREFIX}${day}` });
export const breachedOpenKey = (queue: string) => ({ pk: `REPORT#SLA#${queue}`, sk: 'BREACHED_OPEN' });
export const policyKey = (version: number) => ({ pk: 'SLA_POLICY', sk: `V#${String(version).padStart(6, '0')}` });
export const CURRENT_POLICY_KEY = { pk: 'SLA_POLICY', sk: 'CURRENT' } as const;
export const ALL_QUEUES = '*';

const stamp = (c: Case) => `${c.createdAt}#${c.id}`;

/** Index attributes of a case: every listing it belongs to, and the SLA watch when due. */
export function indexAttributes(c: Case, policy: SlaPolicy): Record<string, string | undefined> {
  const next = nextCheckAt(c, policy);
  return {
    [I.byCreatedAt.partitionKey]: 'CASES',
    [I.byCreatedAt.sortKey]: stamp(c),
    [I.byQueue.partitionKey]: `QUEUE#${c.queue}`,
    [I.byQueue.sortKey]: `${c.status}#${stamp(c)}`,
    [I.byAssignee.partitionKey]: c.assigneeId ? `ASSIGNEE#${c.assigneeId}` : undefined,
    [I.byAssignee.sortKey]: c.assigneeId ? `${c.status}#${stamp(c)}` : undefined,
    [I.byStatus.partitionKey]: `STATUS#${c.status}`,
    [I.byStatus.sortKey]: stamp(c),
    [I.byCustomer.partitionKey]: `CASES_OF#${c.customerId}`,
    [I.byCustomer.sortKey]: stamp(c),
    [I.byPriority.partitionKey]: `PRIORITY#${c.priority}`,
    [I.byPriority.sortKey]: `${c.status}#${stamp(c)}`,
    [I.slaDue.partitionKey]: next ? 'SLA_DUE' : undefined,
    [I.slaDue.sortKey]: next ? `${next}#${c.id}` : undefined,
  };
}

export function toCaseItem(c: Case, policy: SlaPolicy): Record<string, unknown> {
  return { ...caseKey(c.id), type: 'Case', ...indexAttributes(c, policy), data: c, version: c.version, customerId: c.customerId };
}

/** Cases stored before surveys existed carry no satisfaction: they read as unanswered. */
export function fromCaseItem(item: Record<string, unknown>): Case {
  const stored = item.data as Case;
  return { ...stored, satisfaction: stored.satisfaction ?? null };
}

export function toCommentItem(c: Comment): Record<string, unknown> {
  return { ...commentKey(c), type: 'Comment', data: c };
}

/** Comments written before article links (issue 11) read with none. */
export const fromCommentItem = (item: Record<string, unknown>): Comment => ({ articles: [], ...(item.data as Omit<Comment, 'articles'>) });

export function toQueueItem(q: Queue): Record<string, unknown> {
  return { ...queueKey(q.name), type: 'Queue', data: q };
}

/** The customer's timeline entry for a case or a public comment (the customers context reads it). */
export function caseTimelineItem(c: Case): Record<string, unknown> {
  return toInteractionItem({
    kind: 'case',
    id: c.id,
    customerId: c.customerId,
    anonymousId: null,
    channel: c.channel,
    type: 'case_opened',
    direction: 'inbound',
    occurredAt: c.createdAt,
    recordedAt: c.createdAt,
    summary: `${c.number}: ${c.subject}`,
    data: { caseId: c.id, number: c.number },
    value: null,
  });
}

export function commentTimelineItem(c: Case, comment: Comment): Record<string, unknown> {
  return toInteractionItem({
    kind: 'case_comment',
    id: comment.id,
    customerId: c.customerId,
    anonymousId: null,
    channel: c.channel,
    type: 'case_comment',
    direction: comment.authorType === 'customer' ? 'inbound' : 'outbound',
    occurredAt: comment.createdAt,
    recordedAt: comment.createdAt,
    summary: comment.body.slice(0, 1000),
    data: { caseId: c.id, number: c.number, commentId: comment.id },
    value: null,
  });
}

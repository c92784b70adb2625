import { CaseNotFoundError, ConcurrentUpdateError, CustomerMergedError, isCustomerGone, NoProfileError, StaleVersionError, UnknownCustomerError, ValidationError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { type CaseChange, QueueEmptyError, assignCase, changeCase, commentOn, customerReply, escalateCase, escalationPending, moveToCustomer, openCase, ownedBy, recordSlaDue } from './case.ts';
import { linkArticles, type PublishedArticles } from './article-links.ts';
import { dueChecks } from './case-sla.ts';
import { reportRange, slaReport } from './case-counters.ts';
import type { CaseQuery, CaseRepository } from './case.repository.ts';
import type { AssignInput, Case, CasePatch, CaseStatus, Comment, CommentInput, CreateCaseInput, Milestone, Queue, QueueInput } from './case.schema.ts';
import type { MyCaseInput } from './my-case.schema.ts';
import { newPolicyVersion, type SlaPolicy, type SlaPolicyInput } from './sla-policy.ts';

export interface CaseDeps {
  readonly cases: CaseRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Published knowledge-base articles, for links on comments. */
  readonly articles: PublishedArticles;
}

const MAX_ATTEMPTS = 25;

export function caseUseCases({ cases, clock, ids, articles }: CaseDeps) {
  async function load(id: string): Promise<Case> {
    const found = await cases.get(id);
    if (!found) throw new CaseNotFoundError(id);
    return found;
  }

  /**
   * flow: 1. read 2. check If-Match 3. the entity command 4. conditional write of case, counters,
   * SLA watch and events; a lost race without If-Match is retried from 1.
   */
  async function change(
    id: string,
    ifMatch: number | undefined,
    context: CommandContext,
    command: (current: Case, policy: SlaPolicy) => Promise<CaseChange & { comment?: Comment }> | (CaseChange & { comment?: Comment }),
  ): Promise<CaseChange & { comment?: Comment }> {
    for (let attempt = 1; ; attempt++) {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const policy = await cases.policy(current.sla.policyVersion);
      const result = await command(current, policy);
      if (result.events.length === 0 && !result.comment) return result;
      try {
        const firstComment = await cases.update(current, result.case, result.events, context, policy, result.comment);
        return firstComment ? { ...result, comment: firstComment } : result;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError)) throw error;
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The member of `queue` with the fewest open cases (ties: the first listed), leaving out `except`. */
  async function leastLoaded(queue: Queue, except: string | null = null): Promise<string | null> {
    const members = queue.members.filter((m) => m !== except);
    if (members.length === 0) return null;
    const counts = await cases.openCounts(members);
    return members.reduce((best, m) => ((counts.get(m) ?? 0) < (counts.get(best) ?? 0) ? m : best));
  }

  async function open(input: CreateCaseInput, context: CommandContext) {
    const policy = await cases.policy();
    const { case: opened, events } = openCase(input, ids.next(), await cases.nextNumber(), clock.now(), policy);
    return cases.create(opened, events, context, policy);
  }

  /** Self-service: the token's customer is there (being erased still counts); else a NoProfileError. */
  async function liveProfile(customerId: string): Promise<void> {
    const state = await cases.profileState(customerId);
    if (state !== 'live') throw new NoProfileError(state);
  }

  return {
    open,

    // Self-service (/me/cases): each call names the token's customer; another customer's case is a
    // CaseNotFoundError, checked on the very version a write is conditional on.
    mine: {
      async list(customerId: string, query: { status?: CaseStatus; limit: number; cursor?: string }) {
        await liveProfile(customerId);
        return cases.list({ ...query, customerId });
      },

      async get(customerId: string, id: string): Promise<Case> {
        await liveProfile(customerId);
        return ownedBy(await load(id), customerId);
      },

      /** Channel web, queue general, priority normal: what a customer does not choose; the desk triages. */
      async open(customerId: string, input: MyCaseInput, context: CommandContext) {
        const { subject, description } = input;
        const fields = { customerId, subject, ...(description !== undefined ? { description } : {}) };
        return open({ ...fields, channel: 'web', queue: 'general', priority: 'normal' }, context).catch((error: unknown) => {
          if (error instanceof UnknownCustomerError) throw new NoProfileError('missing');
          if (error instanceof CustomerMergedError) throw new NoProfileError('merged');
          throw error;
        });
      },

      /** Public comments only: internal ones never appear under /me. */
      async comments(customerId: string, id: string, query: { limit: number; cursor?: string }) {
        await liveProfile(customerId);
        ownedBy(await load(id), customerId);
        return cases.comments(id, { ...query, publicOnly: true });
      },

      async reply(customerId: string, id: string, body: string, context: CommandContext): Promise<Comment> {
        await liveProfile(customerId);
        const result = await change(id, undefined, context, (current, policy) => customerReply(ownedBy(current, customerId), body, ids.next(), clock.now(), policy));
        return result.comment!;
      },

      /** Only a solved case closes (status-move otherwise, case-closed once closed): the staff's own move rules. */
      async close(customerId: string, id: string, context: CommandContext): Promise<Case> {
        await liveProfile(customerId);
        const result = await change(id, undefined, context, (current, policy) => changeCase(ownedBy(current, customerId), { status: 'closed' }, clock.now(), policy));
        return result.case;
      },
    },

    get: load,
    list: (query: CaseQuery) => cases.list(query),

    async patch(id: string, patch: CasePatch, ifMatch: number | undefined, context: CommandContext): Promise<Case> {
      return (await change(id, ifMatch, context, (current, policy) => changeCase(current, patch, clock.now(), policy))).case;
    },

    /** `baseUrl`: where the public help centre is, for the URLs of linked articles (`input.articleIds`). */
    async comment(id: string, input: CommentInput, author: { id: string; type: 'staff' | 'customer' }, context: CommandContext, baseUrl = ''): Promise<Comment> {
      const links = input.articleIds ? await linkArticles(articles, input.articleIds, baseUrl) : [];
      const result = await change(id, undefined, context, (current) => commentOn(current, input, author, ids.next(), clock.now(), links));
      return result.comment!;
    },

    async comments(id: string, query: { limit: number; cursor?: string; publicOnly?: boolean }) {
      await load(id);
      return cases.comments(id, query);
    },

    /** `{auto: true}` picks the queue member with the fewest open cases (ties: the first listed). */
    async assign(id: string, input: AssignInput, context: CommandContext): Promise<Case> {
      return (
        await change(id, undefined, context, async (current) => {
          if (!('auto' in input)) return assignCase(current, input.assigneeId, clock.now());
          const queue = await cases.queue(current.queue);
          const pick = queue ? await leastLoaded(queue) : null;
          if (pick === null) throw new QueueEmptyError(current.queue);
          return assignCase(current, pick, clock.now());
        })
      ).case;
    },

    async putQueue(name: string, input: QueueInput): Promise<Queue> {
      if (input.escalateTo === name) throw new ValidationError('A queue cannot escalate to itself.', [{ path: 'escalateTo', message: 'must name another queue' }]);
      const queue: Queue = { name, members: [...new Set(input.members)], managers: [...new Set(input.managers)], escalateTo: input.escalateTo ?? null, updatedAt: clock.now().toISOString() };
      await cases.putQueue(queue);
      return queue;
    },

    async getQueue(name: string): Promise<Queue | undefined> {
      return cases.queue(name);
    },

    policy: () => cases.policy(),

    /** `ifMatch`: the version the editor read; another admin's save since then is a StaleVersionError. */
    async putPolicy(input: SlaPolicyInput, ifMatch?: number): Promise<SlaPolicy> {
      for (let attempt = 1; ; attempt++) {
        const current = await cases.policy();
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        const next = newPolicyVersion(input, current, clock.now());
        try {
          await cases.savePolicy(next, current.version);
          return next;
        } catch (error) {
          if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    /** The scheduled SLA sweep: records warnings and breaches that became due (each once). */
    async sweepSla(context: CommandContext, limit = 100, maxPages = 20): Promise<{ checked: number; warnings: number; breaches: number }> {
      const now = clock.now();
      let warnings = 0;
      let breaches = 0;
      let checked = 0;
      // Each handled case leaves the due range (its next check moves on), so re-querying pages on.
      for (let page = 0; page < maxPages; page++) {
        const due = await cases.dueForSla(now, limit);
        const handled = await sweepPage(due);
        checked += due.length;
        warnings += handled.warnings;
        breaches += handled.breaches;
        if (due.length < limit) break;
      }
      return { checked, warnings, breaches };

      async function sweepPage(due: Case[]) {
        let warnings = 0;
        let breaches = 0;
        for (const found of due) {
        try {
          const result = await change(found.id, undefined, context, (current, policy) => recordSlaDue(current, dueChecks(current, policy, now), now));
          warnings += result.events.filter((e) => e.definition.detailType === 'CaseSlaWarning').length;
          breaches += result.events.filter((e) => e.definition.detailType === 'CaseSlaBreached').length;
          } catch (error) {
            if (!(error instanceof CaseNotFoundError)) throw error;
          }
        }
        return { warnings, breaches };
      }
    },

    /**
     * The escalation consumer: a duplicate delivery of the same breach changes nothing. A case
     * that moves on goes to the new queue's least loaded member, never back to the agent it leaves.
     */
    async escalate(breach: { caseId: string; milestone: Milestone; dueAt: string }, context: CommandContext): Promise<Case | undefined> {
      const result = await change(breach.caseId, undefined, context, async (current) => {
        if (!escalationPending(current, breach)) return { case: current, events: [] };
        const escalateTo = (await cases.queue(current.queue))?.escalateTo ?? null;
        const target = escalateTo !== null && escalateTo !== current.queue ? await cases.queue(escalateTo) : undefined;
        const assignee = target ? await leastLoaded(target, current.assigneeId) : null;
        return escalateCase(current, breach, escalateTo, clock.now(), assignee);
      });
      return result.events.length ? result.case : undefined;
    },

    /**
     * CustomersMerged: the source customer's cases now belong to the target. Idempotent. A target
     * that is erased or being erased takes none: the cases stay with the source, whose remains
     * the target's erasure reaches.
     */
    async followMerge(sourceId: string, targetId: string, context: CommandContext): Promise<number> {
      let moved = 0;
      for (const found of await cases.casesOf(sourceId)) {
        try {
          const result = await change(found.id, undefined, context, (current) => moveToCustomer(current, targetId, clock.now()));
          if (result.events.length) moved++;
        } catch (error) {
          if (!isCustomerGone(error)) throw error;
        }
      }
      return moved;
    },

    /** Without dates: the last 30 days, today included (see reportRange). */
    async report(from?: string, to?: string, queue?: string) {
      const range = reportRange({ ...(from ? { from } : {}), ...(to ? { to } : {}) }, clock.now());
      const { days, breachedOpen } = await cases.reportDays(range.from, range.to, queue);
      return slaReport(days, breachedOpen, range);
    },
  };
}

export type CaseUseCases = ReturnType<typeof caseUseCases>;

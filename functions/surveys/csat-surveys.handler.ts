import type { EventBridgeEvent } from 'aws-lambda';
import * as z from '#domain/shared/zod.ts';
import type { SurveyMail } from '#domain/surveys/survey-mail.use-cases.ts';
import { CaseStatusChanged } from '#events/case-status-changed.event.ts';
import { CustomerErased, erasedIds } from '#events/customer-erased.event.ts';
import { log } from '../shared/log.ts';

// The csatSurveys function's three inputs: the rule `case-status-survey` (CaseStatusChanged), the
// rule `customer-erased-surveys` (CustomerErased), and the survey's own one-off schedule
// (`{caseId, surveyId}`). A thrown error makes EventBridge or Scheduler retry.

const Id = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(128)));
const FromSchedule = z.onFirstUse(() => z.strictObject({ caseId: Id, surveyId: Id }));
const FromRule = z.onFirstUse(() => z.object({ source: z.string(), 'detail-type': z.string(), detail: z.unknown() }));

export function csatSurveysHandler(surveys: SurveyMail) {
  return async (input: unknown) => {
    let decision: string;
    const rule = FromRule.safeParse(input);
    if (rule.success && rule.data['detail-type'] === CaseStatusChanged.detailType && rule.data.source === CaseStatusChanged.source) {
      const { data, metadata } = CaseStatusChanged.detail.parse(rule.data.detail);
      decision = await surveys.onStatusChanged({ ...data, at: metadata.occurredAt });
    } else if (rule.success && rule.data['detail-type'] === CustomerErased.detailType && rule.data.source === CustomerErased.source) {
      const { data } = CustomerErased.detail.parse(rule.data.detail);
      decision = `scrubbed:${await surveys.onErased(erasedIds(data), data.caseIds ?? [])}`;
    } else {
      const due = FromSchedule.parse(input);
      decision = await surveys.fire(due, { correlationId: `csat-${due.caseId}` });
    }
    // Ids and the decision only: never personal data.
    log('info', 'csat surveys', { decision });
    return { decision };
  };
}

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseUseCases } from '../../domain/cases/case.use-cases.ts';
import { emailGate } from '../../domain/consent/email-gate.ts';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import { csatUseCases, SurveyNotFoundError } from '../../domain/surveys/csat.use-cases.ts';
import { surveyMail } from '../../domain/surveys/survey-mail.use-cases.ts';
import { dynamoCaseRepository } from '../../functions/cases/case.dynamodb-repository.ts';
import { dynamoConsentRepository } from '../../functions/consent/consent.dynamodb-repository.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { dynamoOnceGuard } from '../../functions/shared/once-guard.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { dynamoSurveyRepository } from '../../functions/surveys/survey.dynamodb-repository.ts';
import { fakeEmailSender, fakePublishedArticles } from '../support/case-fakes.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeSchedules } from '../support/trigger-fakes.ts';

// Surveys on DynamoDB Local: the send and its figures in one transaction, answers that move the
// survey, the case (its version), the timeline and the figures together, concurrent answers that
// count once, and erasure that keeps the score and drops the words.

let table: Awaited<ReturnType<typeof freshTable>>;
const ctx = { correlationId: 'csat-integration' };
const SECRET = 'csat-integration-secret-0123456789abcdef';

beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

function system() {
  const db = { client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock };
  const casesRepo = dynamoCaseRepository(db);
  const consents = dynamoConsentRepository(db);
  const surveys = dynamoSurveyRepository(db);
  const sender = fakeEmailSender();
  const schedules = fakeSchedules();
  const tokens = tokenSigner(SECRET);
  const gate = emailGate({ consents, sender, clock: systemClock, ids: uuidIds });
  return {
    sender,
    schedules,
    surveys,
    casesRepo,
    customers: customerUseCases({ customers: dynamoCustomerRepository(db), clock: systemClock, ids: uuidIds }),
    cases: caseUseCases({ cases: casesRepo, clock: systemClock, ids: uuidIds, articles: fakePublishedArticles() }),
    mail: surveyMail({
      surveys,
      cases: casesRepo,
      schedules,
      gate,
      people: consents,
      tokens,
      clock: systemClock,
      ids: uuidIds,
      once: dynamoOnceGuard(table.client, table.tableName, systemClock),
      delaySeconds: 3600,
      linkBase: () => 'https://api.example.test',
    }),
    csat: csatUseCases({ surveys, cases: casesRepo, people: consents, tokens, clock: systemClock, ids: uuidIds }),
  };
}

/** A customer's solved case whose survey went out; returns the score links' tokens. */
async function sentSurvey(app: ReturnType<typeof system>, label: string) {
  const { customer } = await app.customers.create({ email: `${label}@example.com`, tags: [] }, ctx);
  const { case: opened } = await app.cases.open({ customerId: customer.id, subject: `Survey ${label}`, channel: 'web', queue: 'support', priority: 'normal' }, ctx);
  await app.cases.assign(opened.id, { assigneeId: `${label}@agents.test` }, ctx);
  await app.cases.patch(opened.id, { status: 'solved' }, undefined, ctx);
  const at = new Date().toISOString();
  expect(await app.mail.onStatusChanged({ caseId: opened.id, customerId: customer.id, from: 'open', to: 'solved', at })).toBe('scheduled');
  const input = app.schedules.pending.get(`csat-${opened.id}`)!.input as { caseId: string; surveyId: string };
  expect(await app.mail.fire(input, ctx)).toBe('sent');
  const tokens = [...app.sender.sent.at(-1)!.text.matchAll(/csat\?token=([^&\s]+)&score=/g)].map((m) => decodeURIComponent(m[1]!));
  expect(tokens).toHaveLength(5);
  return { customer, caseId: opened.id, tokens, assignee: `${label}@agents.test` };
}

const today = () => new Date().toISOString().slice(0, 10);

describe('surveys on DynamoDB', () => {
  it('sends once and counts it in every bucket with the survey in one transaction; a retried schedule sends nothing', async () => {
    const app = system();
    const { caseId, assignee } = await sentSurvey(app, 'send-once');
    expect(await app.surveys.get(caseId)).toMatchObject({ status: 'sent', queue: 'support', assigneeId: assignee });
    for (const [queue, who] of [[undefined, undefined], ['support', undefined], [undefined, assignee], ['support', assignee]] as const) {
      expect((await app.surveys.totals(today(), today(), queue, who)).surveysSent).toBeGreaterThanOrEqual(1);
    }
    expect(await app.surveys.totals(today(), today(), undefined, assignee)).toEqual({ surveysSent: 1, responses: 0, scoreSum: 0, satisfied: 0 });
    const survey = (await app.surveys.get(caseId))!;
    expect(await app.mail.fire({ caseId, surveyId: survey.surveyId }, ctx)).toBe('stale');
    expect(app.sender.sent).toHaveLength(1);
  });

  it('records an answer with the case (new version), the timeline entry and the figures; a re-answer replaces it', async () => {
    const app = system();
    const { customer, caseId, tokens, assignee } = await sentSurvey(app, 'answer');
    const before = (await app.casesRepo.get(caseId))!;
    await app.csat.answer({ token: tokens[0]!, score: 2, comment: 'Slow' }, ctx);
    const rated = (await app.casesRepo.get(caseId))!;
    expect(rated.satisfaction).toMatchObject({ score: 2, comment: 'Slow' });
    expect(rated.version).toBe(before.version + 1);
    await app.csat.answer({ token: tokens[3]!, score: 5 }, ctx);
    expect((await app.casesRepo.get(caseId))!.satisfaction).toMatchObject({ score: 5, comment: null });
    expect(await app.surveys.totals(today(), today(), 'support', assignee)).toEqual({ surveysSent: 1, responses: 1, scoreSum: 5, satisfied: 1 });
    const { Items = [] } = await table.client.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)', ExpressionAttributeValues: { ':pk': `CUSTOMER#${customer.id}`, ':tl': 'TL#' } }),
    );
    expect(Items.filter((i) => i.interactionType === 'case_rated').map((i) => i.data.score).sort()).toEqual([2, 5]);
  });

  it('concurrent answers all land one after another: one response, the figures match the answer that won', async () => {
    const app = system();
    const { caseId, tokens, assignee } = await sentSurvey(app, 'concurrent');
    await Promise.all([1, 2, 3, 4, 5].map((score) => app.csat.answer({ token: tokens[score - 1]!, score }, ctx)));
    const survey = (await app.surveys.get(caseId))!;
    const totals = await app.surveys.totals(today(), today(), undefined, assignee);
    expect(totals).toEqual({ surveysSent: 1, responses: 1, scoreSum: survey.score, satisfied: survey.score! >= 4 ? 1 : 0 });
    expect((await app.casesRepo.get(caseId))!.satisfaction?.score).toBe(survey.score);
  });

  it('erasure drops the comment from the survey and the case and keeps the score; the link then finds nothing', async () => {
    const app = system();
    const { customer, caseId, tokens, assignee } = await sentSurvey(app, 'erased');
    await app.csat.answer({ token: tokens[0]!, score: 1, comment: 'Call me on 0170 1234567' }, ctx);
    const profile = (await app.customers.get(customer.id))!;
    await app.customers.erase(customer.id, profile.version, ctx);
    await app.casesRepo.scrubCustomer(customer.id, ctx, [caseId]);
    expect(await app.mail.onErased([customer.id], [caseId])).toBe(1);
    expect((await app.casesRepo.get(caseId))!.satisfaction).toMatchObject({ score: 1, comment: null });
    expect(await app.surveys.get(caseId)).toMatchObject({ score: 1, comment: null });
    expect(await app.surveys.totals(today(), today(), undefined, assignee)).toMatchObject({ responses: 1, scoreSum: 1 });
    await expect(app.csat.answer({ token: tokens[4]!, score: 5 }, ctx)).rejects.toBeInstanceOf(SurveyNotFoundError);
  });
});

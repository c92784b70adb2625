import * as z from '#domain/shared/zod.ts';

// Customer satisfaction (CSAT) surveys (issue 11): one per solved case, scores 1-5.

export const Score = z.onFirstUse(() => z.int().check(z.gte(1, 'must be 1-5'), z.lte(5, 'must be 1-5')));

/** POST /csat form body (the answer page's form): the token from the email link, the score, an optional comment. */
export const CsatForm = z.onFirstUse(() => z
  .strictObject({
    token: z.string().check(z.minLength(1), z.maxLength(2048)),
    score: z.pipe(z.string().check(z.regex(/^[1-5]$/, 'must be 1-5')), z.transform(Number)),
    comment: z.optional(z.string().check(z.maxLength(2000))),
  })
  .register(z.globalRegistry, { id: 'CsatForm' }));
export type CsatForm = z.output<typeof CsatForm>;

/** GET /reports/csat: from counters (per UTC day of the survey's sending); csatPercent is the share of 4 and 5 among responses. */
export const CsatReport = z.onFirstUse(() => z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    queue: z.nullable(z.string()),
    assignee: z.nullable(z.string()),
    surveysSent: z.int(),
    /** Surveys of those days answered (a survey counts once however often it is answered). */
    responses: z.int(),
    responseRate: z.nullable(z.number().check(z.gte(0), z.lte(100)).register(z.globalRegistry, { description: 'Responses per survey sent, in percent (one decimal); null when none was sent' })),
    averageScore: z.nullable(z.number().check(z.gte(1), z.lte(5)).register(z.globalRegistry, { description: 'Mean of the last answers, two decimals; null without responses' })),
    csatPercent: z.nullable(z.number().check(z.gte(0), z.lte(100)).register(z.globalRegistry, { description: 'Share of responses scoring 4 or 5, in percent (one decimal); null without responses' })),
  })
  .register(z.globalRegistry, { id: 'CsatReport' }));
export type CsatReport = z.infer<typeof CsatReport>;

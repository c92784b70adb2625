import * as z from '#domain/shared/zod.ts';

// Customer satisfaction (CSAT) surveys (issue 11): one per solved case, scores 1-5.

export const Score = z.int().check(z.gte(1, 'must be 1-5'), z.lte(5, 'must be 1-5'));

/** POST /csat form body (the answer page's form): the token from the email link, the score, an optional comment. */
export const CsatForm = z
  .strictObject({
    token: z.string().check(z.minLength(1), z.maxLength(2048)),
    score: z.pipe(z.string().check(z.regex(/^[1-5]$/, 'must be 1-5')), z.transform(Number)),
    comment: z.optional(z.string().check(z.maxLength(2000))),
  })
  .register(z.globalRegistry, { id: 'CsatForm' });
export type CsatForm = z.output<typeof CsatForm>;

/** GET /reports/csat: from counters; csatPercent is the share of 4 and 5 among responses. */
export const CsatReport = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    queue: z.nullable(z.string()),
    assignee: z.nullable(z.string()),
    surveysSent: z.int(),
    responses: z.int(),
    responseRate: z.nullable(z.number()),
    averageScore: z.nullable(z.number()),
    csatPercent: z.nullable(z.number()),
  })
  .register(z.globalRegistry, { id: 'CsatReport' });
export type CsatReport = z.infer<typeof CsatReport>;

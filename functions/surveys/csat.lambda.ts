import type { CsatDeps } from '#domain/surveys/csat.use-cases.ts';
import { lazyPort, once } from '../shared/lazy.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { tableConfig } from '../shared/table-config.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/ssm-token-keys-on-first-use.ts';
import { csatHandler } from './csat.app.ts';

// Composition root: the table client and config at cold start; the adapters (surveys, cases,
// people, link tokens) are built by the first request that uses them, from a chunk of their own.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const adapters = once(async () => (await import('./surveys.composition.ts')).csatDepsFor(infra, tokenKeys));

export const handler = csatHandler({
  surveys: lazyPort<CsatDeps['surveys']>(async () => (await adapters()).surveys),
  cases: lazyPort<CsatDeps['cases']>(async () => (await adapters()).cases),
  people: lazyPort<CsatDeps['people']>(async () => (await adapters()).people),
  tokens: lazyPort<CsatDeps['tokens']>(async () => (await adapters()).tokens),
  clock: systemClock,
  ids: uuidIds,
});

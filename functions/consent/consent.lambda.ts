import { lazyPort, once } from '../shared/lazy.ts';
import { sesMailerOnFirstUse } from '../shared/ses-mailer-on-first-use.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { tableConfig } from '../shared/table-config.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/ssm-token-keys-on-first-use.ts';
import { consentHandler } from './consent.app.ts';
import type { ConsentApp } from './consent.http.ts';

// Composition root: the table client and config at cold start; the use cases and their adapters
// with the first request (a chunk of their own), SES with the first mail, the token keys with the
// first link token.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const sender = sesMailerOnFirstUse();
const app = once(async () => (await import('./consent-app.composition.ts')).consentAppOver(infra, sender, tokenKeys));

export const handler = consentHandler({
  consent: lazyPort<ConsentApp['consent']>(async () => (await app()).consent),
  gate: lazyPort<ConsentApp['gate']>(async () => (await app()).gate),
});

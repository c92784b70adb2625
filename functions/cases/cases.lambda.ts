import { lazyPort } from '../shared/lazy.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { tableConfig } from '../shared/table-config.ts';
import { casesHandler } from './cases.app.ts';

// Composition root: config and the table client once per cold start; the DynamoDB adapters are
// built on their first call (their modules are chunks of their own, loaded by the first request
// that reads or writes), so the cold start compiles neither them nor the key mappers they use.
// Imported one by one, not through cases.composition.ts: an import() keeps every export of its
// module, and that one also builds the notification consumer (SES, consent).
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = casesHandler({
  cases: lazyPort(async () => (await import('./case.dynamodb-repository.ts')).dynamoCaseRepository(infra)),
  clock: systemClock,
  ids: uuidIds,
  articles: lazyPort(async () => (await import('./published-articles.ts')).dynamoPublishedArticles(infra.client, infra.tableName)),
});

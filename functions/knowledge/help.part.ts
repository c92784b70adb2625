import { helpUseCases } from '#domain/knowledge/help.use-cases.ts';
import { lazyPort } from '../shared/lazy.ts';
import { dynamoCaseTexts } from './case-texts.dynamodb.ts';
import { dynamoFeedbackStore } from './feedback.dynamodb.ts';
import type { KnowledgeInfra } from './knowledge.composition.ts';
import { dynamoLiveArticles } from './live-articles.dynamodb.ts';

// The help centre's use cases over their adapters, loaded by the first /help or suggestions
// request. The search indexes (MiniSearch, the Snowball stemmers, the stored index) load on the
// first search: reading one article or the category tree does not need them.

export function helpUseCasesFor(infra: KnowledgeInfra, options: { freshnessMs?: number } = {}) {
  const table = { client: infra.client, tableName: infra.tableName };
  return helpUseCases({
    articles: dynamoLiveArticles(table),
    indexes: lazyPort(async () => (await import('./search.part.ts')).searchIndexesFor(infra, options.freshnessMs)),
    feedback: dynamoFeedbackStore(table),
    cases: dynamoCaseTexts(table),
    clock: infra.clock,
    ids: infra.ids,
  });
}

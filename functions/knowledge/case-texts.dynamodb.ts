import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseTexts } from '#domain/knowledge/help.ports.ts';
import { caseKey, fromCaseItem } from '../cases/case.keys.ts';
import { customerKey } from '../customers/customer.keys.ts';

// Read-only adapter for case suggestions: a case's subject and description, and its customer's
// locale (only that attribute of the profile is read: nothing else personal reaches this function).

export function dynamoCaseTexts({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): CaseTexts {
  return {
    async read(caseId) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId) }));
      if (!out.Item) return undefined;
      const found = fromCaseItem(out.Item);
      const profile = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(found.customerId), ProjectionExpression: 'locale' }));
      const locale = profile.Item?.locale;
      return { subject: found.subject, description: found.description, locale: typeof locale === 'string' ? locale : null };
    },
  };
}

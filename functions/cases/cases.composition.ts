import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { caseNotifications } from '#domain/cases/case-notifications.ts';
import { caseUseCases } from '#domain/cases/case.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { dynamoOnceGuard } from '../shared/once-guard.ts';
import type { SesConfig } from '../shared/ses-mailer.ts';
import { gatedServiceSender, gateFor } from '../consent/consent.composition.ts';
import { dynamoCaseRepository } from './case.dynamodb-repository.ts';
import { dynamoCustomerDirectory } from './customer-directory.ts';
import { dynamoPublishedArticles } from './published-articles.ts';

// Builders shared by the cases Lambdas' composition roots and the local runtime.

export interface CaseInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export const caseRepository = ({ client, tableName, clock, ids }: CaseInfra) => dynamoCaseRepository({ client, tableName, clock, ids });

export const publishedArticlesFor = ({ client, tableName }: CaseInfra) => dynamoPublishedArticles(client, tableName);

export const caseUseCasesFor = (infra: CaseInfra) => caseUseCases({ cases: caseRepository(infra), clock: infra.clock, ids: infra.ids, articles: publishedArticlesFor(infra) });

export function caseNotificationsFor(infra: CaseInfra, ses: SESv2Client, email: SesConfig) {
  return caseNotifications({
    cases: caseRepository(infra),
    customers: dynamoCustomerDirectory(infra.client, infra.tableName),
    // Service mail to staff still passes the one gate (suppressed addresses are never mailed).
    mailer: gatedServiceSender(gateFor(infra, ses, email)),
    once: dynamoOnceGuard(infra.client, infra.tableName, infra.clock),
  });
}

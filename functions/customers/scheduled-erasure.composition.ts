import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import { erasureNotices } from '#domain/customers/erasure-notice.ts';
import { erasureRunUseCases } from '#domain/customers/erasure-request.use-cases.ts';
import type { Clock, IdGenerator, OneOffSchedules } from '#domain/shared/ports.ts';
import { gateFor } from '../consent/consent.composition.ts';
import { dynamoConsentRepository } from '../consent/consent.dynamodb-repository.ts';
import { dynamoOnceGuard } from '../shared/once-guard.ts';
import type { SesConfig } from '../shared/ses-mailer.ts';
import { dynamoCustomerRepository } from './customer.dynamodb-repository.ts';
import { gatedCustomerMail } from './customer-mail.ts';
import { dynamoErasureRequests } from './erasure-request.dynamodb-repository.ts';

type Infra = { client: DynamoDBDocumentClient; tableName: string; clock: Clock; ids: IdGenerator };

/** The scheduledErasure function's use cases from its adapters (the Lambda and the local runtime build it alike). */
export function erasureRunFor(infra: Infra, schedules: OneOffSchedules, mail: { ses: SESv2Client; email: SesConfig }) {
  const consents = dynamoConsentRepository(infra);
  return erasureRunUseCases({
    requests: dynamoErasureRequests(infra),
    clock: infra.clock,
    schedules,
    customers: customerUseCases({ customers: dynamoCustomerRepository(infra), clock: infra.clock, ids: infra.ids }),
    notices: erasureNotices({ mail: gatedCustomerMail(gateFor(infra, mail.ses, mail.email, consents), consents), once: dynamoOnceGuard(infra.client, infra.tableName, infra.clock) }),
  });
}

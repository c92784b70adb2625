import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { consentUseCases } from '#domain/consent/consent.use-cases.ts';
import { type EmailGate, emailGate } from '#domain/consent/email-gate.ts';
import type { EmailSender } from '#domain/shared/email.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { emailGateMetric } from '../shared/crm-metrics.ts';
import { type TokenKeySource, tokenSigner } from '../shared/hmac-tokens.ts';
import { dynamoConsentRepository } from './consent.dynamodb-repository.ts';

// The consent API and the gate over any EmailSender. Apart from consent.composition.ts (which
// wraps an SES client) so that the consent function can load this with its first request and the
// SES code only with its first mail (a lazy sender: consent.lambda.ts).

export interface ConsentInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The one mailer: every email of the system goes through this gate. */
export function gateOver(infra: ConsentInfra, sender: EmailSender, consents = dynamoConsentRepository(infra)) {
  const gate = emailGate({ consents, sender, clock: infra.clock, ids: infra.ids });
  return {
    ...gate,
    async send(...[message, context]: Parameters<EmailGate['send']>) {
      const outcome = await gate.send(message, context);
      emailGateMetric(message.kind, outcome);
      return outcome;
    },
  } satisfies EmailGate;
}

export function consentAppOver(infra: ConsentInfra, sender: EmailSender, tokenKeys: TokenKeySource) {
  const consents = dynamoConsentRepository(infra);
  const gate = gateOver(infra, sender, consents);
  return { gate, consent: consentUseCases({ consents, gate, tokens: tokenSigner(tokenKeys), clock: infra.clock, ids: infra.ids }) };
}

import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { consentUseCases } from '#domain/consent/consent.use-cases.ts';
import { optInMail } from '#domain/consent/optin-mail.use-cases.ts';
import { type EmailGate, emailGate } from '#domain/consent/email-gate.ts';
import type { EmailSender } from '#domain/shared/email.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { type TokenKeySource, tokenSigner } from '../shared/hmac-tokens.ts';
import { dynamoOnceGuard } from '../shared/once-guard.ts';
import { type SesConfig, sesMailer } from '../shared/ses-mailer.ts';
import { consentAppOver, type ConsentInfra, gateOver } from './consent-app.composition.ts';
import { dynamoConsentRepository } from './consent.dynamodb-repository.ts';
import { currentCorrelationId } from '../shared/log.ts';

export type { ConsentInfra };

/** The one mailer: every email of the system goes through this gate. */
export function gateFor(infra: ConsentInfra, ses: SESv2Client, email: SesConfig, consents = dynamoConsentRepository(infra)) {
  return gateOver(infra, sesMailer(ses, email), consents);
}

export function consentAppFor(infra: ConsentInfra, ses: SESv2Client, email: SesConfig, tokenKeys: TokenKeySource) {
  return consentAppOver(infra, sesMailer(ses, email), tokenKeys);
}

/** The ConsentRequested consumer: sends the double opt-in mail through the gate, once per event. */
export function optInMailFor(infra: ConsentInfra, ses: SESv2Client, email: SesConfig, tokenKeys: TokenKeySource) {
  const consents = dynamoConsentRepository(infra);
  const gate = gateFor(infra, ses, email, consents);
  return optInMail({ consents, gate, tokens: tokenSigner(tokenKeys), clock: infra.clock, once: dynamoOnceGuard(infra.client, infra.tableName, infra.clock) });
}

const unusable = (what: string) => () => {
  throw new Error(`${what} is not available in this function`);
};

/** For consumers that only record feedback or anonymise: no email, no link tokens (least privilege). */
export function consentRecordsFor(infra: ConsentInfra) {
  const consents = dynamoConsentRepository(infra);
  const gate = emailGate({ consents, sender: { send: unusable('Sending email') }, clock: infra.clock, ids: infra.ids });
  return consentUseCases({ consents, gate, tokens: { sign: unusable('Signing tokens'), verify: unusable('Verifying tokens') }, clock: infra.clock, ids: infra.ids });
}

/** An EmailSender for other contexts' service mail that goes through the gate (suppression, erasure). */
export function gatedServiceSender(gate: EmailGate): EmailSender {
  return {
    async send({ to, subject, text, html, deliveryKey }) {
      const message = { to, subject, text, ...(html ? { html } : {}), ...(deliveryKey ? { deliveryKey } : {}) };
      const outcome = await gate.send({ kind: 'service', customerId: null, topic: null, ...message }, { correlationId: currentCorrelationId() ?? 'service-mail' });
      return { messageId: outcome.outcome === 'sent' ? outcome.messageId : `blocked:${outcome.reason}` };
    },
  };
}

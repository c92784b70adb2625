import type { ConsentUseCases } from '#domain/consent/consent.use-cases.ts';
import type { EmailGate } from '#domain/consent/email-gate.ts';

export interface ConsentApp {
  readonly consent: ConsentUseCases;
  readonly gate: EmailGate;
}

import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator, OneOffSchedules } from '#domain/shared/ports.ts';
import type { CsatDeps } from '#domain/surveys/csat.use-cases.ts';
import { surveyMail } from '#domain/surveys/survey-mail.use-cases.ts';
import { dynamoCaseRepository } from '../cases/case.dynamodb-repository.ts';
import { gateFor } from '../consent/consent.composition.ts';
import { dynamoConsentRepository } from '../consent/consent.dynamodb-repository.ts';
import { type TokenKeySource, tokenSigner } from '../shared/hmac-tokens.ts';
import { dynamoOnceGuard } from '../shared/once-guard.ts';
import type { SesConfig } from '../shared/ses-mailer.ts';
import { dynamoSurveyRepository } from './survey.dynamodb-repository.ts';

// Builders shared by the surveys Lambdas' composition roots and the local runtime.

export interface SurveyInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The csat function: surveys and cases on the table, people's profiles through the consent context's read, link tokens. */
export function csatDepsFor(infra: SurveyInfra, tokenKeys: TokenKeySource): CsatDeps {
  return {
    surveys: dynamoSurveyRepository(infra),
    cases: dynamoCaseRepository(infra),
    people: dynamoConsentRepository(infra),
    tokens: tokenSigner(tokenKeys),
    clock: infra.clock,
    ids: infra.ids,
  };
}

export interface SurveyMailSettings {
  readonly ses: SESv2Client;
  readonly email: SesConfig;
  readonly tokenKeys: TokenKeySource;
  readonly schedules: OneOffSchedules;
  readonly delaySeconds: number;
  readonly linkBase: () => string;
}

/** The csatSurveys function: arms, cancels and sends surveys; the mail goes through the gate. */
export function surveyMailFor(infra: SurveyInfra, settings: SurveyMailSettings) {
  const consents = dynamoConsentRepository(infra);
  return surveyMail({
    surveys: dynamoSurveyRepository(infra),
    cases: dynamoCaseRepository(infra),
    schedules: settings.schedules,
    gate: gateFor(infra, settings.ses, settings.email, consents),
    people: consents,
    tokens: tokenSigner(settings.tokenKeys),
    clock: infra.clock,
    ids: infra.ids,
    once: dynamoOnceGuard(infra.client, infra.tableName, infra.clock),
    delaySeconds: settings.delaySeconds,
    linkBase: settings.linkBase,
  });
}

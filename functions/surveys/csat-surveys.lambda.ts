import { linkConfig } from '../campaigns/delivery.config.ts';
import { emailConfig, scheduleConfig, tableConfig } from '../shared/config.ts';
import { oneOffSchedulesFor } from '../shared/one-off-schedules.ts';
import { createSesClient } from '../shared/ses-client.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { csatConfig } from './csat.config.ts';
import { csatSurveysHandler } from './csat-surveys.handler.ts';
import { surveyMailFor } from './surveys.composition.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/ssm-token-keys-on-first-use.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const { linkBase } = linkConfig();

export const handler = observedConsumer('csatSurveys', csatSurveysHandler(
  surveyMailFor(infra, {
    ses: createSesClient(),
    email: emailConfig(),
    tokenKeys,
    schedules: oneOffSchedulesFor(scheduleConfig(), systemClock),
    delaySeconds: csatConfig().delaySeconds,
    linkBase: () => linkBase,
  }),
));

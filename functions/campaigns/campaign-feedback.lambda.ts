import { tableConfig } from '../shared/config.ts';
import { systemClock } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { campaignFeedbackHandler } from './campaign-feedback.handler.ts';
import { dynamoFeedbackCounters } from './campaign-feedback.dynamodb.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

export const handler = observedConsumer('campaignFeedback', campaignFeedbackHandler(dynamoFeedbackCounters(createTableClient(), tableConfig().tableName, systemClock)));

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { docsHandler } from './docs.app.ts';
import { cloudWatchUsageSource } from './usage.cloudwatch-source.ts';
import { usagePricesConfig } from './usage.config.ts';
import { clientOnFirstUse } from '../shared/client-on-first-use.ts';

export const handler = docsHandler({ usage: cloudWatchUsageSource(clientOnFirstUse(() => new CloudWatchClient({}))), prices: usagePricesConfig() });

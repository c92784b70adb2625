import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { docsHandler } from './docs.app.ts';
import { cloudWatchUsageSource } from './usage.cloudwatch-source.ts';
import { usagePricesConfig } from './usage.config.ts';

export const handler = docsHandler({ usage: cloudWatchUsageSource(new CloudWatchClient({})), prices: usagePricesConfig() });

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csatConfig } from '#functions/surveys/csat.config.ts';
import { deliveryConfig } from '#functions/campaigns/delivery.config.ts';
import { erasureConfig } from '#functions/customers/erasure.config.ts';
import { analyticsConfig } from '#functions/analytics/analytics.config.ts';
import { startLocalRuntime } from './runtime.ts';
import { usagePricesConfig } from '#functions/docs/usage.config.ts';

// npm start: the whole system on this machine. Ctrl-C or SIGTERM stops every child process.

const port = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number (0-65535), got "${raw}".`);
    process.exit(2);
  }
  return value;
};

// The console `npm start` built (npm run build) into web/dist; CONSOLE_DIR serves another build.
const webDir = resolve(process.env.CONSOLE_DIR ?? join(import.meta.dirname, '../../web/dist'));
const consoleBuilt = existsSync(join(webDir, 'index.html'));

const dataDir = process.env.CRM_DATA_DIR ? resolve(process.env.CRM_DATA_DIR) : undefined;

/** TOKEN_SECRET from the environment; else one generated for this data directory (or this run). */
function tokenSecret(): string {
  if (process.env.TOKEN_SECRET) return process.env.TOKEN_SECRET;
  const secret = randomBytes(32).toString('base64url');
  if (!dataDir) return secret;
  const file = join(dataDir, 'token-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

try {
  const runtime = await startLocalRuntime({
    port: port('PORT', 3000),
    sesPort: port('SES_PORT', 8005),
    dynamodbPort: port('DYNAMODB_PORT', 8000),
    ...(dataDir ? { dataDir } : {}),
    ...(process.env.CORS_ORIGINS !== undefined ? { corsOrigins: process.env.CORS_ORIGINS } : {}),
    logEvents: true,
    logRequests: true,
    tokenSecret: tokenSecret(),
    // Unpaced unless asked: CAMPAIGN_SEND_RATE=14 sends campaign mail at SES's default account rate.
    campaignSendRate: deliveryConfig({ CAMPAIGN_SEND_RATE: process.env.CAMPAIGN_SEND_RATE ?? '0' }).sendRate,
    // ERASURE_GRACE_DAYS as on AWS (7 unless set; 0 erases at the next clock tick).
    erasureGraceDays: erasureConfig().graceDays,
    // CSAT_DELAY_SECONDS as on AWS (default an hour of the virtual clock).
    csatDelaySeconds: csatConfig().delaySeconds,
    // ANALYTICS_CURRENCY as on AWS (EUR unless set).
    analyticsCurrency: analyticsConfig().currency,
    // USAGE_PRICES (JSON over the default price table) as on AWS: GET /usage prices the units with it.
    usagePrices: usagePricesConfig(),
    webDir,
  });
  console.log(
    [
      'eCRM is running locally.',
      consoleBuilt ? `  Console        ${runtime.url}/   (sign in with any role)` : '  Console        not built (npm run build, or npm start, builds it)',
      `  Local links    ${runtime.url}/_local   (start here: links to everything)`,
      `  API reference  ${runtime.url}/docs`,
      `  OpenAPI        ${runtime.url}/openapi.json`,
      `  Health         ${runtime.url}/health`,
      `  Recent events  ${runtime.url}/_local/events?limit=50`,
      `  Clock          GET ${runtime.url}/_local/clock, POST ${runtime.url}/_local/clock/advance {"seconds": n}`,
      `  SES inbox      ${runtime.sesUrl}/   (JSON: ${runtime.sesUrl}/store)`,
      `  DynamoDB Local ${runtime.dynamodbEndpoint}   table "${runtime.tableName}" (any credentials/region)`,
      `  Data           ${dataDir ?? 'in memory (set CRM_DATA_DIR to keep it)'}`,
      '  Token          npm run -s token -- --role agent',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    await runtime.stop();
    process.exit(0);
  };
  // SIGHUP too: a closed terminal or a parent that goes away must not leave Java running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
} catch (error) {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

import type { Construct } from 'constructs';
import { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS } from '#domain/customers/erasure-request.ts';
import type { TableBackup } from './crm-table.construct.ts';
import { usagePricesConfig } from '#functions/docs/usage.config.ts';

/**
 * Deploy-time knobs, read from CDK context (`cdk.json` or `cdk deploy -c key=value`). Everything
 * else is fixed by infra/topology.ts and infra/table.ts.
 */
export interface StackSettings {
  /**
   * Browser origins allowed by CORS. Default: none, so no CORS configuration at all: a deployment
   * starts closed and each frontend origin is opted in explicitly
   * (`-c corsOrigins=https://app.example.com,https://admin.example.com`). `*` is accepted for
   * development; it is safe-ish here because the API authenticates with bearer tokens, never
   * cookies, but it still lets any page call the public routes from a browser.
   */
  readonly corsOrigins: readonly string[];
  /** Stage-wide steady-state requests per second (`-c throttleRateLimit=100`). */
  readonly throttleRateLimit: number;
  /** Stage-wide burst bucket (`-c throttleBurstLimit=200`). */
  readonly throttleBurstLimit: number;
  /**
   * Each public route's own limits (`-c publicThrottleRateLimit=10`, `-c publicThrottleBurstLimit=20`):
   * lower than the staff routes', so a flood on the public form, link and help routes takes at
   * most their sum of the account's API and Lambda capacity and cannot starve the staff routes.
   */
  readonly publicThrottleRateLimit: number;
  readonly publicThrottleBurstLimit: number;
  /** The SES sending identity and From address (used only when a function has `access.email`). */
  readonly email: EmailSettings;
  /**
   * Campaign mail per second, all lanes together (`-c campaignSendRate=50`): the SES account's
   * maximum send rate (14 for a new production account; see the SES console's sending limits).
   */
  readonly campaignSendRate: number;
  /**
   * Days between a person's own erasure request (DELETE /me) and the erasure (`-c erasureGraceDays=14`):
   * a whole number from 0 (at once) to 30 (GDPR asks for erasure within a month). Default 7.
   */
  readonly erasureGraceDays: number;
  /** Seconds from a case's solving to its satisfaction survey (`-c csatDelaySeconds=7200`; 1 to 30 days' worth). */
  readonly csatDelaySeconds: number;
  /** The customer value models' currency (`-c analyticsCurrency=USD`; ISO 4217): ANALYTICS_CURRENCY of the analytics functions. */
  readonly analyticsCurrency: string;
  /**
   * Bytes an Athena query of the warehouse workgroup may scan before Athena cancels it
   * (`-c athenaBytesScannedCutoff=10737418240`): a whole number, at least 10 MB (Athena's minimum).
   * Default 1 GB (about half a cent a query at $5 per TB).
   */
  readonly athenaBytesScannedCutoff: number;
  /** The table's on-demand ceiling, request units per second for it and each index (`-c tableMaxReadUnits=`, `-c tableMaxWriteUnits=`). */
  readonly tableMaxReadUnits: number;
  readonly tableMaxWriteUnits: number;
  /** `-c backup=daily`: an AWS Backup plan of the table (daily, kept 35 days); `none` by default. */
  readonly backup: TableBackup;
  /**
   * Opt-in monitoring (`-c alarmEmail=ops@example.com`): an SNS topic mailing this address, the
   * alarms and a dashboard (infra/cdk/crm-monitoring.stack.ts; their monthly price is in the
   * README). Absent: no alarm, no topic, no dashboard, nothing to pay while idle.
   */
  readonly alarmEmail?: string;
  /**
   * GET /usage's price table (`-c usagePrices='{"lambdaGbSecondArm64":0.0000133334}'`): JSON, any
   * subset of the keys over the defaults (domain/operations/usage.ts), validated at synth.
   */
  readonly usagePrices?: string;
  /** The web console on CloudFront with its Cognito sign-in (infra/cdk/console-site.construct.ts); `-c console=false` deploys none. */
  readonly console: ConsoleSettings;
}

export interface ConsoleSettings {
  readonly enabled: boolean;
  /**
   * The Cognito hosted UI's domain prefix (`-c authDomainPrefix=acme-crm`: https://acme-crm.auth.<region>.amazoncognito.com).
   * Absent: derived from the stack name and its stack id, unique without being chosen.
   */
  readonly authDomainPrefix?: string;
  /**
   * More sign-in callback (and sign-out) URLs of the console's app client besides the deployed console's own
   * (`-c consoleCallbackUrls=https://crm.example.com/,http://localhost:3000/`): other front doors of the same user pool.
   */
  readonly callbackUrls: readonly string[];
  /**
   * The console's own domain (`-c consoleDomainName=crm.example.com -c consoleCertificateArn=arn:aws:acm:us-east-1:…`):
   * an alternate name of the distribution, with its ACM certificate (us-east-1, as CloudFront requires).
   * Its URL comes first among the callback URLs and is the console's redirect URI.
   */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/**
 * `-c emailDomain=example.com` verifies the whole domain (DKIM records from the stack outputs);
 * without it, `-c emailFromAddress=crm@example.com` verifies that one address (SES mails it a
 * link). The From address defaults to `no-reply@<emailDomain>`, or to `no-reply@example.com`,
 * which nobody can verify: a placeholder until one of the two is set.
 */
export interface EmailSettings {
  /** Domain identity; absent: the From address itself is the identity. */
  readonly domain?: string;
  readonly fromAddress: string;
  /**
   * SES open and click tracking (`-c emailTracking=true`): SES adds a tracking pixel and rewrites
   * links only for the event types the configuration set publishes. Off by default: a recipient's
   * reading is nobody's business unless the company decides and says so in its privacy notice.
   */
  readonly tracking: boolean;
}

export const DEFAULT_EMAIL_LOCAL_PART = 'no-reply';
export const PLACEHOLDER_EMAIL_DOMAIN = 'example.com';

export const DEFAULT_SETTINGS: StackSettings = {
  corsOrigins: [],
  throttleRateLimit: 100,
  publicThrottleRateLimit: 10,
  publicThrottleBurstLimit: 20,
  throttleBurstLimit: 200,
  email: { fromAddress: `${DEFAULT_EMAIL_LOCAL_PART}@${PLACEHOLDER_EMAIL_DOMAIN}`, tracking: false },
  campaignSendRate: 14,
  erasureGraceDays: DEFAULT_GRACE_DAYS,
  csatDelaySeconds: 3600,
  analyticsCurrency: 'EUR',
  athenaBytesScannedCutoff: 1024 ** 3,
  tableMaxReadUnits: 12_000,
  tableMaxWriteUnits: 4_000,
  backup: 'none',
  console: { enabled: true, callbackUrls: [] },
};

/** Athena refuses a smaller BytesScannedCutoffPerQuery. */
export const MIN_ATHENA_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 2;

/** Validated once at synth time: a typo in a context value fails `cdk synth`, not a deployment. */
export function settingsFromContext(scope: Construct): StackSettings {
  const read = (key: string): unknown => scope.node.tryGetContext(key);
  return {
    corsOrigins: origins(read('corsOrigins')),
    throttleRateLimit: positiveNumber('throttleRateLimit', read('throttleRateLimit'), DEFAULT_SETTINGS.throttleRateLimit),
    throttleBurstLimit: positiveInteger('throttleBurstLimit', read('throttleBurstLimit'), DEFAULT_SETTINGS.throttleBurstLimit),
    publicThrottleRateLimit: positiveNumber('publicThrottleRateLimit', read('publicThrottleRateLimit'), DEFAULT_SETTINGS.publicThrottleRateLimit),
    publicThrottleBurstLimit: positiveInteger('publicThrottleBurstLimit', read('publicThrottleBurstLimit'), DEFAULT_SETTINGS.publicThrottleBurstLimit),
    email: emailSettings(read('emailDomain'), read('emailFromAddress'), read('emailTracking')),
    campaignSendRate: positiveNumber('campaignSendRate', read('campaignSendRate'), DEFAULT_SETTINGS.campaignSendRate),
    erasureGraceDays: graceDays(read('erasureGraceDays')),
    csatDelaySeconds: csatDelay(read('csatDelaySeconds')),
    analyticsCurrency: currencyCode('analyticsCurrency', read('analyticsCurrency'), DEFAULT_SETTINGS.analyticsCurrency),
    athenaBytesScannedCutoff: bytesScannedCutoff(read('athenaBytesScannedCutoff')),
    tableMaxReadUnits: requestUnits('tableMaxReadUnits', read('tableMaxReadUnits'), DEFAULT_SETTINGS.tableMaxReadUnits),
    tableMaxWriteUnits: requestUnits('tableMaxWriteUnits', read('tableMaxWriteUnits'), DEFAULT_SETTINGS.tableMaxWriteUnits),
    backup: tableBackup(read('backup')),
    ...alarmEmail(read('alarmEmail')),
    ...usagePrices(read('usagePrices')),
    console: consoleSettings(read('console'), read('authDomainPrefix'), read('consoleCallbackUrls'), read('consoleDomainName'), read('consoleCertificateArn')),
  };
}

function consoleSettings(rawEnabled: unknown, rawPrefix: unknown, rawCallbacks: unknown, rawDomain: unknown, rawCertificate: unknown): ConsoleSettings {
  const enabled = blank(rawEnabled) ? true : flag('console', rawEnabled);
  const customDomain = consoleDomain(rawDomain, rawCertificate);
  const callbackUrls = list(rawCallbacks).map((url) => {
    // Cognito accepts http only for localhost; the console signs in with its own origin's URL.
    if (!/^https:\/\/[^/\s?#]+\/[^\s?#]*$/.test(url) && !/^http:\/\/localhost(:\d+)?\/[^\s?#]*$/.test(url)) {
      throw new Error(`consoleCallbackUrls: "${url}" is not an https URL with a path (e.g. https://crm.example.com/) or an http://localhost one`);
    }
    return url;
  });
  if (blank(rawPrefix)) return { enabled, callbackUrls, ...customDomain };
  const authDomainPrefix = String(rawPrefix).trim();
  // Cognito's rule for a prefix domain: lowercase letters, digits and hyphens, and no AWS brand name.
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(authDomainPrefix) || /aws|amazon|cognito/.test(authDomainPrefix)) {
    throw new Error(`authDomainPrefix: "${authDomainPrefix}" must be 1-63 lowercase letters, digits or inner hyphens, without "aws", "amazon" or "cognito"`);
  }
  return { enabled, authDomainPrefix, callbackUrls, ...customDomain };
}

function consoleDomain(rawDomain: unknown, rawCertificate: unknown): Pick<ConsoleSettings, 'customDomain'> {
  if (blank(rawDomain) && blank(rawCertificate)) return {};
  if (blank(rawDomain) || blank(rawCertificate)) throw new Error('consoleDomainName and consoleCertificateArn go together: the domain needs its certificate');
  const domainName = String(rawDomain).trim().toLowerCase();
  if (!DOMAIN.test(domainName)) throw new Error(`consoleDomainName: "${domainName}" is not a domain name (e.g. crm.example.com)`);
  const certificateArn = String(rawCertificate).trim();
  // CloudFront takes certificates from ACM in us-east-1 only.
  if (!/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
    throw new Error(`consoleCertificateArn: "${certificateArn}" is not an ACM certificate ARN in us-east-1 (CloudFront's only region for certificates)`);
  }
  return { customDomain: { domainName, certificateArn } };
}

/** `-c key=a,b` arrives as a string; cdk.json may hold an array. */
function list(raw: unknown): string[] {
  if (blank(raw)) return [];
  return (Array.isArray(raw) ? raw : String(raw).split(',')).map((v) => String(v).trim()).filter(Boolean);
}

/** Metering (issue 14): a price table override, checked with the very schema the function parses it with. */
function usagePrices(raw: unknown): { usagePrices?: string } {
  if (blank(raw)) return {};
  const json = typeof raw === 'string' ? raw : JSON.stringify(raw);
  try {
    usagePricesConfig({ USAGE_PRICES: json });
  } catch (error) {
    throw new Error(`usagePrices: ${(error as Error).message}`);
  }
  return { usagePrices: json };
}

function alarmEmail(raw: unknown): { alarmEmail?: string } {
  if (blank(raw)) return {};
  const address = String(raw).trim();
  const at = address.lastIndexOf('@');
  if (at < 1 || !LOCAL_PART.test(address.slice(0, at)) || !DOMAIN.test(address.slice(at + 1).toLowerCase())) {
    throw new Error(`alarmEmail: "${address}" is not a plain email address (e.g. ops@example.com)`);
  }
  return { alarmEmail: address };
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

function emailSettings(rawDomain: unknown, rawFrom: unknown, rawTracking: unknown): EmailSettings {
  const tracking = flag('emailTracking', rawTracking);
  const domain = blank(rawDomain) ? undefined : String(rawDomain).trim().toLowerCase();
  if (domain !== undefined && !DOMAIN.test(domain)) {
    throw new Error(`emailDomain: "${domain}" is not a domain name (e.g. mail.example.com)`);
  }
  const fromAddress = blank(rawFrom) ? `${DEFAULT_EMAIL_LOCAL_PART}@${domain ?? PLACEHOLDER_EMAIL_DOMAIN}` : String(rawFrom).trim();
  const at = fromAddress.lastIndexOf('@');
  const [local, host] = [fromAddress.slice(0, at), fromAddress.slice(at + 1).toLowerCase()];
  if (at < 1 || !LOCAL_PART.test(local) || !DOMAIN.test(host)) {
    throw new Error(`emailFromAddress: "${fromAddress}" is not a plain email address (no display name, e.g. crm@example.com)`);
  }
  // The grant names the identity ARN, so the From address must belong to exactly that identity.
  if (domain !== undefined && host !== domain) {
    throw new Error(`emailFromAddress: "${fromAddress}" is not in emailDomain "${domain}"`);
  }
  return domain === undefined ? { fromAddress, tracking } : { domain, fromAddress, tracking };
}

/** `-c key=true|false` arrives as a string, cdk.json may hold a boolean; absent is false. */
function flag(key: string, raw: unknown): boolean {
  if (blank(raw)) return false;
  const value = String(raw).trim().toLowerCase();
  if (value !== 'true' && value !== 'false') throw new Error(`${key}: expected true or false, got "${String(raw)}"`);
  return value === 'true';
}

function blank(raw: unknown): boolean {
  return raw === undefined || raw === null || String(raw).trim() === '';
}

function origins(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  // `-c corsOrigins=a,b` arrives as a string; cdk.json may hold an array.
  const list = Array.isArray(raw) ? raw : String(raw).split(',');
  const values = list.map((o) => String(o).trim()).filter(Boolean);
  for (const origin of values) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`corsOrigins: "${origin}" is not an origin (scheme://host[:port], no path) or "*"`);
    }
  }
  return values;
}

function positiveNumber(key: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${key}: expected a positive number, got "${String(raw)}"`);
  return value;
}

/** DynamoDB's on-demand maximum: at least 1 request unit per second, at most the default per-table quota of 40,000. */
function requestUnits(key: string, raw: unknown, fallback: number): number {
  const value = positiveInteger(key, raw, fallback);
  if (value > 40_000) throw new Error(`${key}: at most 40000 (DynamoDB's default per-table quota), got "${String(raw)}"`);
  return value;
}

function tableBackup(raw: unknown): TableBackup {
  if (blank(raw)) return DEFAULT_SETTINGS.backup;
  const value = String(raw).trim();
  if (value !== 'none' && value !== 'daily') throw new Error(`backup: expected none or daily, got "${String(raw)}"`);
  return value;
}

function bytesScannedCutoff(raw: unknown): number {
  const value = positiveInteger('athenaBytesScannedCutoff', raw, DEFAULT_SETTINGS.athenaBytesScannedCutoff);
  if (value < MIN_ATHENA_BYTES_SCANNED_CUTOFF) throw new Error(`athenaBytesScannedCutoff: at least ${MIN_ATHENA_BYTES_SCANNED_CUTOFF} (10 MB, Athena's minimum), got "${String(raw)}"`);
  return value;
}

/** The function's own config (functions/surveys/csat.config.ts) takes at most 30 days. */
function csatDelay(raw: unknown): number {
  const value = positiveInteger('csatDelaySeconds', raw, DEFAULT_SETTINGS.csatDelaySeconds);
  if (value > 30 * 24 * 3600) throw new Error(`csatDelaySeconds: at most 2592000 (30 days), got "${String(raw)}"`);
  return value;
}

function currencyCode(key: string, raw: unknown, fallback: string): string {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^[A-Z]{3}$/.test(raw)) throw new Error(`${key}: expected an ISO 4217 code such as EUR, got "${String(raw)}"`);
  return raw;
}

function positiveInteger(key: string, raw: unknown, fallback: number): number {
  const value = positiveNumber(key, raw, fallback);
  if (!Number.isInteger(value)) throw new Error(`${key}: expected a positive integer, got "${String(raw)}"`);
  return value;
}

function graceDays(raw: unknown): number {
  if (blank(raw)) return DEFAULT_SETTINGS.erasureGraceDays;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_GRACE_DAYS) {
    throw new Error(`erasureGraceDays: expected a whole number of days from 0 to ${MAX_GRACE_DAYS}, got "${String(raw)}"`);
  }
  return value;
}

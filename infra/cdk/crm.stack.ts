import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  ASYNC_INVOKE,
  type AsyncInvokeDef,
  FUNCTIONS,
  type FunctionDef,
  type FunctionName,
  ROUTES,
  type RouteDef,
  RULES,
  type RuleDef,
  SCHEDULES,
  type ScheduleDef,
  STREAM_CONSUMERS,
} from '#infra/topology.ts';
import { CrmAnalytics, TABLES_PREFIX } from './crm-analytics.construct.ts';
import { CrmApi } from './crm-api.construct.ts';
import { CrmAuth } from './crm-auth.construct.ts';
import { CrmBus } from './crm-bus.construct.ts';
import { CAMPAIGN_CONTROL_TARGETS, CrmCampaignControl } from './crm-campaign-control.construct.ts';
import { CrmEmail } from './crm-email.construct.ts';
import { CrmEventRouting, type StreamConsumerDef } from './crm-event-routing.construct.ts';
import { CrmFunction } from './crm-function.construct.ts';
import { CrmMonitoring } from './crm-monitoring.stack.ts';
import { FAILURE_QUEUES, failureQueueOutputKey } from '#infra/failure-queues.ts';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { CrmTable } from './crm-table.construct.ts';
import { ConsoleSite, consoleBuild } from './console-site.construct.ts';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { settingsFromContext } from './stack-settings.ts';
import { tagContext } from './cost-tags.ts';

/** What the stack realizes. Always infra/topology.ts in the app; tests may extend it. */
export interface Topology {
  readonly functions: Readonly<Record<FunctionName, FunctionDef>>;
  readonly routes: readonly Pick<RouteDef, 'method' | 'path' | 'function' | 'access'>[];
  readonly streamConsumers: readonly StreamConsumerDef[];
  readonly rules: readonly RuleDef[];
  readonly schedules: readonly ScheduleDef[];
  /** Retries of the asynchronously invoked functions (infra/topology.ts ASYNC_INVOKE). */
  readonly asyncInvoke: Readonly<Partial<Record<FunctionName, AsyncInvokeDef>>>;
}

export const TOPOLOGY: Topology = {
  asyncInvoke: ASYNC_INVOKE,
  functions: FUNCTIONS,
  routes: ROUTES,
  streamConsumers: STREAM_CONSUMERS,
  rules: RULES,
  schedules: SCHEDULES,
};

export interface CrmStackProps extends StackProps {
  /** Repository root (entries and package-lock.json are resolved against it). */
  readonly projectRoot: string;
  readonly topology?: Topology;
  /** The built console to upload; default: web/ built by web/build.ts at synth (consoleBuild). */
  readonly consoleApp?: s3deploy.ISource;
}

/**
 * The eCRM on AWS. Environment-agnostic (no account or region, no lookups), so `cdk synth` works
 * offline; only pay-per-use resources, so an idle deployment costs (almost) nothing.
 */
export class CrmStack extends Stack {
  readonly functions: ReadonlyMap<FunctionName, CrmFunction>;
  /** Present only when some function of the topology has `access.email`. */
  readonly email?: CrmEmail;
  /** Present only when some function of the topology has `access.warehouse`. */
  readonly analytics?: CrmAnalytics;
  /** Present only with `-c alarmEmail=...`. */
  readonly monitoring?: CrmMonitoring;
  /** The web console and its sign-in; absent with `-c console=false`. */
  readonly console?: ConsoleSite;
  /** The failure queues that exist, by their name in infra/failure-queues.ts. */
  readonly failureQueues: ReadonlyMap<string, sqs.IQueue>;

  constructor(scope: Construct, id: string, props: CrmStackProps) {
    super(scope, id, props);
    const topology = props.topology ?? TOPOLOGY;
    const settings = settingsFromContext(this);

    const { table } = new CrmTable(this, 'Data', { maxReadRequestUnits: settings.tableMaxReadUnits, maxWriteRequestUnits: settings.tableMaxWriteUnits, backup: settings.backup });
    const { bus } = new CrmBus(this, 'Events');

    const definitions = Object.entries(topology.functions) as [FunctionName, FunctionDef][];
    // Only a topology that sends email gets an SES identity: an unused identity would still ask
    // for DNS records or send a verification mail, and an unused forwarding rule is noise.
    const email = definitions.some(([, d]) => d.access.email === true) ? new CrmEmail(this, 'Email', { settings: settings.email, bus }) : undefined;
    this.email = email;
    const emailResources = email?.resources;
    // Sign-in mail (invitations, codes) goes out through the same identity when there is one.
    const auth = new CrmAuth(this, 'Auth', email ? { email: { settings: settings.email, configurationSetName: email.configurationSet.configurationSetName } } : {});

    // Link tokens (opt-in, unsubscribe, CSAT) are signed with keys kept in an SSM SecureString
    // parameter (standard tier, AWS-managed key: no monthly price, no Secrets Manager fee). The
    // template names the parameter, never a key: CloudFormation cannot create SecureStrings, and a
    // custom resource would add a Lambda to the stack, so `npm run token-keys -- init` creates it
    // once before the first deploy (README "Security").
    const tokenKeysParameter = definitions.some(([, d]) => d.access.tokens === true) ? tokenKeysParameterName(this.stackName) : undefined;

    // The warehouse (bucket, Glue tables, Athena workgroup) exists when some function writes or queries it.
    // Its id is not 'Analytics': that is the analytics function's (pascal of its name).
    const analytics = definitions.some(([, d]) => d.access.warehouse === true || d.access.warehouseQueries === true)
      ? new CrmAnalytics(this, 'Warehouse', { bytesScannedCutoffPerQuery: settings.athenaBytesScannedCutoff })
      : undefined;
    this.analytics = analytics;
    if (analytics) tagContext(analytics, 'analytics');

    // Campaign rules and schedules name their target functions' ARNs in other functions' (and their
    // own) environment: those functions get names fixed at synth (crm-campaign-control.construct.ts).
    const controlled = definitions.some(([, d]) => d.access.rules === true || d.access.schedules === true);
    const fixedNames = new Set<FunctionName>(controlled ? CAMPAIGN_CONTROL_TARGETS : []);
    const functions = new Map<FunctionName, CrmFunction>();
    for (const [name, definition] of definitions) {
      functions.set(
        name,
        new CrmFunction(this, pascal(name), {
          name,
          definition,
          projectRoot: props.projectRoot,
          table,
          bus,
          email: emailResources,
          ...(tokenKeysParameter ? { tokenKeysParameter } : {}),
          ...(analytics ? { warehouse: { analytics, prefix: TABLES_PREFIX } } : {}),
          ...(fixedNames.has(name) ? { fixedName: true } : {}),
        }),
      );
    }
    this.functions = functions;
    for (const [name, retries] of Object.entries(topology.asyncInvoke) as [FunctionName, AsyncInvokeDef][]) {
      const fn = functions.get(name);
      if (!fn) throw new Error(`asyncInvoke names function "${name}", which the topology does not declare`);
      fn.function.configureAsyncInvoke({ retryAttempts: retries.retryAttempts, maxEventAge: Duration.seconds(retries.maxEventAgeSeconds) });
      Validations.of(fn.function.node.findChild('EventInvokeConfig')).acknowledge({
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason: `An invocation of ${name} that fails every retry goes to the function's dead-letter queue (DeadLetterConfig), which npm run redrive reads; an on-failure destination as well would put each failure there twice.`,
      });
    }

    // The console (opt-out): its app client and origin exist before the API, which accepts the
    // client's tokens and the origin's requests; its config.json names the API once that exists.
    const site = settings.console.enabled
      ? new ConsoleSite(this, 'Console', { userPool: auth.userPool, settings: settings.console, app: props.consoleApp ?? consoleBuild(props.projectRoot) })
      : undefined;
    this.console = site;

    const api = new CrmApi(this, 'Api', {
      routes: topology.routes,
      functions: new Map([...functions].map(([name, fn]) => [name, fn.function])),
      userPool: auth.userPool,
      appClients: [auth.appClient, ...(site ? [site.client] : [])],
      settings,
      ...(site ? { extraCorsOrigins: site.origins } : {}),
    });
    site?.publish({ apiUrl: api.api.apiEndpoint });

    // Functions that mail links outside a request learn the API's address here (none of them is
    // behind the API, so this adds no dependency cycle).
    for (const [name, definition] of definitions) if (definition.access.links) functions.get(name)!.function.addEnvironment('LINK_BASE_URL', api.url);
    // The functions that send campaign mail pace it at the SES account's rate.
    for (const name of ['campaignSender', 'campaignTrigger'] as const) functions.get(name)?.function.addEnvironment('CAMPAIGN_SEND_RATE', String(settings.campaignSendRate));
    // The customers function dates a person's own erasure request (DELETE /me) this many days ahead.
    functions.get('customers')?.function.addEnvironment('ERASURE_GRACE_DAYS', String(settings.erasureGraceDays));
    // The survey function waits this long after a case is solved.
    functions.get('csatSurveys')?.function.addEnvironment('CSAT_DELAY_SECONDS', String(settings.csatDelaySeconds));
    // The analytics functions record purchases naming no currency in it, and fit the models in it.
    for (const name of ['analytics', 'analyticsJobs', 'analyticsFeed'] as const) functions.get(name)?.function.addEnvironment('ANALYTICS_CURRENCY', settings.analyticsCurrency);
    // Metering (issue 14): GET /usage prices the measured units with the configured table.
    if (settings.usagePrices) for (const [name, definition] of definitions) if (definition.access.metricsRead) functions.get(name)!.function.addEnvironment('USAGE_PRICES', settings.usagePrices);

    const routing = new CrmEventRouting(this, 'EventRouting', {
      table,
      bus,
      functions,
      streamConsumers: topology.streamConsumers,
      rules: topology.rules,
      schedules: topology.schedules,
    });
    tagContext(new CrmCampaignControl(this, 'CampaignControl', { functions, deadLetters: routing.deliveryFailures }), 'campaigns');

    this.failureQueues = new Map(
      FAILURE_QUEUES.flatMap((q): [string, sqs.IQueue][] => {
        const queue =
          q.kind === 'async' ? functions.get(q.function)?.deadLetterQueue
          : q.kind === 'stream' ? routing.streamFailures.get(q.function)
          : q.kind === 'delivery' ? routing.deliveryFailures
          : email?.forwardingFailures;
        return queue ? [[q.name, queue]] : [];
      }),
    );
    // Opt-in: without an alarm address there is no topic, alarm or dashboard (nothing to pay while idle).
    const outboxPublisher = functions.get('outboxPublisher');
    if (settings.alarmEmail && outboxPublisher) {
      this.monitoring = new CrmMonitoring(this, 'Monitoring', {
        alarmEmail: settings.alarmEmail,
        failureQueues: this.failureQueues,
        outboxPublisher: outboxPublisher.function,
        api: api.api,
        sendsEmail: email !== undefined,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.appClient.userPoolClientId, description: 'Audience of the JWT authorizer' });
    if (site) {
      new CfnOutput(this, 'ConsoleUrl', { value: `${site.origin}/`, description: 'The web console (sign in with a Cognito user of the pool)' });
      new CfnOutput(this, 'ConsoleSignInDomain', { value: site.domain.baseUrl(), description: 'Cognito hosted UI the console signs in through' });
      new CfnOutput(this, 'ConsoleClientId', { value: site.client.userPoolClientId, description: 'App client of the console (authorization code with PKCE)' });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    if (email) this.emailOutputs(email);
    // Where `npm run redrive -- --queue <name>` finds each failure queue (FailureQueue<name>, letters and digits only).
    for (const [name, queue] of this.failureQueues) {
      new CfnOutput(this, failureQueueOutputKey(name), { value: queue.queueUrl, description: `Failure queue "${name}" (npm run redrive -- --queue ${name})` });
    }
    if (analytics) {
      new CfnOutput(this, 'AnalyticsBucket', { value: analytics.bucket.bucketName, description: `The warehouse: Parquet tables under ${TABLES_PREFIX}` });
      new CfnOutput(this, 'AnalyticsDatabase', { value: analytics.databaseName, description: 'Glue database of the warehouse tables' });
      new CfnOutput(this, 'AthenaWorkGroup', { value: analytics.workGroup.ref, description: 'Athena workgroup for warehouse queries (bytes-scanned cutoff per query)' });
    }
  }

  private emailOutputs(email: CrmEmail): void {
    new CfnOutput(this, 'EmailIdentity', {
      value: email.identity.emailIdentityName,
      description: email.domain ? 'SES domain identity: publish the DkimRecord outputs to verify it' : 'SES address identity: verify it through the link SES mails to it',
    });
    new CfnOutput(this, 'EmailFromAddress', { value: email.fromAddress });
    new CfnOutput(this, 'EmailConfigurationSet', { value: email.configurationSet.configurationSetName });
    if (!email.domain) return;
    // Easy DKIM: three CNAMEs; SES verifies the domain once they resolve.
    const records = [
      [email.identity.dkimDnsTokenName1, email.identity.dkimDnsTokenValue1],
      [email.identity.dkimDnsTokenName2, email.identity.dkimDnsTokenValue2],
      [email.identity.dkimDnsTokenName3, email.identity.dkimDnsTokenValue3],
    ] as const;
    records.forEach(([name, value], i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${name} CNAME ${value}`, description: `DKIM record ${i + 1} of 3 for ${email.domain}` });
    });
  }
}

/** outboxPublisher -> OutboxPublisher: readable logical ids and console names. */
function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Where the link-token keys live: one SSM parameter per stack (scripts/token-keys.ts writes it). */
export function tokenKeysParameterName(stackName: string): string {
  return `/${stackName}/token-keys`;
}

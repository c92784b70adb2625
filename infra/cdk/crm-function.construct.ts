import { ArnFormat, Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KEY_PREFIXES, SCANS } from '#infra/key-prefixes.ts';
import type { FunctionDef, FunctionName } from '#infra/topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.construct.ts';
import type { CrmAnalytics } from './crm-analytics.construct.ts';
import { contextOfEntry, tagContext } from './cost-tags.ts';
import { lambdaCode } from './lambda-code.ts';

/**
 * Lambda power is proportional to memory. 512 MB gives cold starts of a minified, bundled ESM
 * handler enough CPU while keeping an I/O-bound request cheap; a function that needs more says so
 * with `memoryMb` in the topology (measure with Lambda Power Tuning before raising it).
 */
export { DEFAULT_MEMORY_MB } from '../routes.ts';
import { DEFAULT_MEMORY_MB } from '../routes.ts';
/** API Gateway gives up after 30 s; a request handler that needs more than 10 s has a design problem. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * DynamoDB actions on the table per access level. Written out instead of `grantReadData`/
 * `grantReadWriteData` so that: no function Scans the table, none reads the stream (only the
 * event-source mapping does), and indexes are granted by name instead of `table/index/*`.
 * TransactWriteItems/TransactGetItems are authorised per contained Put/Update/Delete/
 * ConditionCheck/Get, so they need no action of their own, and each item's key meets the
 * LeadingKeys condition (README "Security").
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
} as const;

/** Every partition key a request names must match one of the patterns (`*` any characters). */
export const LEADING_KEYS_OPERATOR = 'ForAllValues:StringLike';

/** Seam for issue 5 (SES): the stack passes these once it owns an identity and configuration set. */
export interface EmailResources {
  readonly identityArn: string;
  readonly configurationSetArn: string;
  readonly configurationSetName: string;
  readonly fromAddress: string;
}

export interface CrmFunctionProps {
  /** The function's key in the topology; used in error messages only. */
  readonly name: string;
  readonly definition: FunctionDef;
  /** Repository root: entries are relative to it and it holds node_modules. */
  readonly projectRoot: string;
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  readonly email?: EmailResources;
  /** The SSM parameter holding the link-token keys (functions whose access names `tokens`). */
  readonly tokenKeysParameter?: string;
  /** The warehouse the export writes (functions whose access names `warehouse`). */
  readonly warehouse?: { readonly analytics: CrmAnalytics; readonly prefix: string };
  /**
   * Name it at synth instead of letting CloudFormation generate a name, so that its ARN can be
   * written without a reference to it (`arnWithoutReference`): an environment variable may then
   * hold it, even the function's own (a reference there would be a circular dependency).
   */
  readonly fixedName?: boolean;
}

/**
 * The one way this project builds a Lambda function: Node.js 24 on arm64, ESM bundled by esbuild
 * with the AWS SDK inside and split (index.mjs, lazily imported chunks/: ./lambda-code.ts), source maps, X-Ray, its own log group with retention, a dead-letter
 * queue for async invocations, and exactly the permissions its `access` names, each granted next
 * to the environment variable that tells the code where the resource is.
 */
export class CrmFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;
  /** Its entry in the topology (what `access` it has). */
  readonly definition: FunctionDef;
  /** Its ARN as plain text from the stack's pseudo parameters; only with `fixedName`. */
  readonly arnWithoutReference?: string;

  constructor(scope: Construct, id: string, props: CrmFunctionProps) {
    super(scope, id);
    const { definition, projectRoot } = props;
    this.definition = definition;
    tagContext(this, contextOfEntry(definition.entry));
    // From the construct path (stack name included): stable across deploys, unique per stack.
    const functionName = props.fixedName ? Names.uniqueResourceName(this, { maxLength: 64 }) : undefined;
    if (functionName) {
      this.arnWithoutReference = Stack.of(this).formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: FUNCTION_LOG_RETENTION });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: `failed asynchronous invocations of ${props.name}`,
      usedAs: 'function-dlq',
    }).queue;

    // Own role instead of AWSLambdaBasicExecutionRole: logs:CreateLogGroup and a log-group
    // wildcard are not needed when the group exists and is named here.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.name}`,
    });
    this.logGroup.grantWrite(this.role);

    // lambda.Function, not NodejsFunction: the same logical IDs, with code bundled by
    // infra/bundling.ts's esbuild options as they are (NodejsFunction's CLI call cannot split).
    this.function = new lambda.Function(this, 'Function', {
      code: lambdaCode(projectRoot, definition.entry),
      handler: 'index.handler',
      ...(functionName ? { functionName } : {}),
      description: definition.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: this.deadLetterQueue,
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords (added by Tracing.ACTIVE) need Resource "*": X-Ray has no resource-level permissions.',
    });

    this.grantAccess(props);
  }

  private grantAccess({ name, definition, table, bus, email, tokenKeysParameter, warehouse }: CrmFunctionProps): void {
    const { access } = definition;
    if (access.table) {
      this.function.addEnvironment('TABLE_NAME', table.tableName);
      // Issue 14: the context's own partition keys only (infra/key-prefixes.ts), each key of a
      // request (every item of a batch or transaction) matching one of its patterns.
      const keys = KEY_PREFIXES[contextOfEntry(definition.entry)];
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [...TABLE_ACTIONS[access.table]],
          resources: [table.tableArn],
          conditions: { [LEADING_KEYS_OPERATOR]: { 'dynamodb:LeadingKeys': [...keys.table] } },
        }),
      );
      // Index Queries name the index's partition key, which LeadingKeys is not documented to
      // read: the context's indexes by name, without the condition.
      const indexArn = (index: string) => `${table.tableArn}/index/${index}`;
      if (keys.indexes.length > 0) {
        this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: keys.indexes.map(indexArn) }));
      }
      // Scan names no key at all (a LeadingKeys condition would let it through): only where the
      // function's work is reading every item of an index.
      const scans = SCANS[name as FunctionName] ?? [];
      if (scans.length > 0) {
        this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: scans.map(indexArn) }));
      }
    }
    if (access.bus) {
      this.function.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
      bus.grantPutEventsTo(this.function);
    }
    if (access.warehouse) {
      if (!warehouse) throw new Error(`${name} writes the warehouse, but the stack passes no analytics bucket`);
      this.function.addEnvironment('ANALYTICS_BUCKET', warehouse.analytics.bucket.bucketName);
      this.function.addEnvironment('WAREHOUSE_PREFIX', warehouse.prefix);
      warehouse.analytics.grantTableWrites(this.role);
    }
    if (access.warehouseQueries) {
      if (!warehouse) throw new Error(`${name} queries the warehouse, but the stack passes no analytics workgroup`);
      this.function.addEnvironment('ATHENA_WORKGROUP', warehouse.analytics.workGroup.name);
      this.function.addEnvironment('ANALYTICS_DATABASE', warehouse.analytics.databaseName);
      warehouse.analytics.grantQueries(this.role);
    }
    if (access.metricsRead) {
      // Metering (issue 14): GET /usage reads the eCRM metrics. GetMetricData has no resource-level
      // permissions (nor a namespace condition), so "*" is the narrowest grant there is.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudwatch:GetMetricData (GET /usage) has no resource-level permissions; xray:PutTraceSegments and xray:PutTelemetryRecords need "*" too.',
      });
    }
    if (access.tokens) {
      if (!tokenKeysParameter) throw new Error(`${name} signs link tokens, but the stack passes no token keys parameter`);
      // The name only: the keys are read by the first token (functions/shared/ssm-token-keys.ts). The
      // SecureString uses the AWS-managed key aws/ssm, whose key policy already lets SSM decrypt for
      // any principal of the account allowed to get the parameter: no kms:Decrypt statement needed.
      // PutParameter: the first read after the first deploy creates the parameter (never
      // overwriting one), as CloudFormation cannot create a SecureString.
      this.function.addEnvironment('TOKEN_KEYS_PARAMETER', tokenKeysParameter);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['ssm:GetParameter', 'ssm:PutParameter'],
          resources: [Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: tokenKeysParameter.slice(1) })],
        }),
      );
    }
    if (access.email) {
      if (!email) {
        throw new Error(`${name} needs email access, but the stack has no SES identity and configuration set yet`);
      }
      this.function.addEnvironment('EMAIL_FROM', email.fromAddress);
      this.function.addEnvironment('SES_CONFIGURATION_SET', email.configurationSetName);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [email.identityArn, email.configurationSetArn],
        }),
      );
    }
  }
}

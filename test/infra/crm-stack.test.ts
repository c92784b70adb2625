import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { sourcesPattern } from '#events/catalog.ts';
import { CustomerCreated } from '#events/customer-created.event.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, TABLE_ACTIONS } from '#infra/cdk/crm-function.construct.ts';
import { STREAM_RETRY_ATTEMPTS } from '#infra/cdk/crm-event-routing.construct.ts';
import { TOPOLOGY } from '#infra/cdk/crm.stack.ts';
import { KEY_PREFIXES, SCANS } from '#infra/key-prefixes.ts';
import { ALL_INDEXES, KEY_ATTRIBUTES, TABLE } from '#infra/table.ts';
import { type Access, FUNCTIONS, type FunctionDef, type FunctionName, ROLES, ROUTES, RULES, routeKey, STREAM_CONSUMERS } from '#infra/topology.ts';
import { asArray, logicalId, type Statement, synthCrm } from './crm-app.ts';

const crm = synthCrm();
const functionNames = Object.keys(FUNCTIONS) as FunctionName[];
const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

describe('the single table', () => {
  // Resolved inside each test, so a missing resource fails that test rather than the file.
  const table = () => only(crm.resources('AWS::DynamoDB::Table'))[1];

  it('is on-demand, point-in-time recoverable, deletion protected and retained', () => {
    expect(table().DeletionPolicy).toBe('Retain');
    expect(table().UpdateReplacePolicy).toBe('Retain');
    expect(table().Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('streams new and old images and expires items by the TTL attribute of infra/table().ts', () => {
    expect(table().Properties?.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table().Properties?.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.timeToLiveAttribute, Enabled: true });
  });

  it('has the keys and exactly the GSIs of infra/table().ts, all projecting ALL', () => {
    expect(table().Properties?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = (table().Properties?.GlobalSecondaryIndexes as any[]).map((gsi) => ({
      name: gsi.IndexName,
      partitionKey: gsi.KeySchema[0].AttributeName,
      sortKey: gsi.KeySchema[1].AttributeName,
      projection: gsi.Projection.ProjectionType,
    }));
    expect(indexes).toEqual(ALL_INDEXES.map((i) => ({ name: i.name, partitionKey: i.partitionKey, sortKey: i.sortKey, projection: 'ALL' })));
    expect(table().Properties?.AttributeDefinitions).toEqual(
      expect.arrayContaining(KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(table().Properties?.AttributeDefinitions).toHaveLength(KEY_ATTRIBUTES.length);
  });
});

describe('functions', () => {
  const lambdas = crm.resources('AWS::Lambda::Function');

  it('are exactly the topology functions, besides CDK\'s copy function of the console upload', () => {
    // It runs only while CloudFormation deploys the console (test/infra/console-site.test.ts).
    const upload = Object.keys(lambdas).filter((id) => id.startsWith('CustomCDKBucketDeployment'));
    expect(upload).toHaveLength(1);
    expect(Object.keys(lambdas).filter((id) => !upload.includes(id)).sort()).toEqual(functionNames.map(crm.functionId).sort());
  });

  it.each(functionNames)('%s runs Node.js 24 on arm64 with active tracing, a DLQ and its own JSON log group', (name) => {
    const props = lambdas[crm.functionId(name)]?.Properties;
    const definition: FunctionDef = FUNCTIONS[name];
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      MemorySize: definition.memoryMb ?? DEFAULT_MEMORY_MB,
      Timeout: definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
    });
    // Stack traces are source-mapped on demand inside the bundle, not by Node at every cold start.
    expect(props?.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
    const logGroup = crm.resources('AWS::Logs::LogGroup')[props?.LoggingConfig.LogGroup.Ref];
    expect(logGroup?.Properties?.RetentionInDays).toBe(30);
  });

  it.each(functionNames)('%s gets TABLE_NAME, EVENT_BUS_NAME and EMAIL_FROM exactly when its access names them', (name) => {
    const variables = lambdas[crm.functionId(name)]?.Properties?.Environment?.Variables ?? {};
    const access: Access = FUNCTIONS[name].access;
    expect('TABLE_NAME' in variables).toBe(access.table !== undefined);
    expect('EVENT_BUS_NAME' in variables).toBe(access.bus === true);
    expect('EMAIL_FROM' in variables).toBe(access.email === true);
    expect('SES_CONFIGURATION_SET' in variables).toBe(access.email === true);
  });

  it('roles use no AWS managed policies, and only the functions of SCANS may Scan, their named indexes only', () => {
    for (const name of functionNames) {
      expect(crm.resources('AWS::IAM::Role')[crm.roleId(name)]?.Properties?.ManagedPolicyArns).toBeUndefined();
      const statements = crm.statementsOfRole(crm.roleId(name));
      const actions = statements.flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
      const scans = statements.filter((s) => asArray(s.Action).includes('dynamodb:Scan'));
      const scanned = scans.flatMap((s) => asArray(s.Resource).map((r) => JSON.stringify(r)));
      expect(scanned, name).toHaveLength((SCANS[name] ?? []).length);
      for (const index of SCANS[name] ?? []) expect(scanned.some((r) => r.includes(`/index/${index}`)), name).toBe(true);
      expect(scanned.filter((r) => !r.includes('/index/')), name).toEqual([]);
    }
    expect(Object.keys(SCANS).sort()).toEqual(['audienceScanner', 'campaigns']);
  });
});

// Issue 14: each context's role names only its own partition keys (infra/key-prefixes.ts).
describe('per-context key prefixes (dynamodb:LeadingKeys)', () => {
  // What the stream consumers' event-source mappings read is the stream, not the table.
  const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
  const dynamoStatements = (name: FunctionName) =>
    crm.statementsOfRole(crm.roleId(name)).filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:') && !STREAM_ACTIONS.includes(a)));
  const onTable = (name: FunctionName) => dynamoStatements(name).filter((s) => asArray(s.Resource).some((r) => !JSON.stringify(r).includes('/index/')));
  const tableFunctions = functionNames.filter((name) => (FUNCTIONS[name].access as Access).table !== undefined);

  it.each([
    ['cases', ['cases', 'slaSweeper', 'caseEscalation', 'caseNotifications'], ['CASE#*', 'QUEUE#*', 'SLA_POLICY', 'REPORT#SLA#*', 'CUSTOMER#*', 'OUTBOX#*', 'IDEMPOTENCY#*', 'SUPPRESSION#*'], ['CONSENT#*', 'CAMPAIGN#*', 'ARTICLE#*', 'LEAD#*']],
    ['consent', ['consent', 'optInMail', 'emailFeedback', 'consentErasure'], ['CONSENT#*', 'SUPPRESSION#*', 'CONFIG', 'CUSTOMER#*', 'OUTBOX#*'], ['CASE#*', 'CAMPAIGN#*', 'IDEMPOTENCY#*', 'OPPORTUNITY#*']],
  ] as const)('the %s functions read and write the table under the condition of their context patterns only', (context, names, includes, excludes) => {
    for (const name of names) {
      const [statement, ...others] = onTable(name);
      expect(others, name).toEqual([]);
      expect(asArray(statement!.Action).sort()).toEqual([...TABLE_ACTIONS.readWrite].sort());
      expect(statement!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...KEY_PREFIXES[context].table] } });
      const patterns = (statement!.Condition as Record<string, Record<string, string[]>>)['ForAllValues:StringLike']!['dynamodb:LeadingKeys']!;
      expect(patterns).toEqual(expect.arrayContaining([...includes]));
      for (const pattern of excludes) expect(patterns, `${name} ${pattern}`).not.toContain(pattern);
    }
  });

  it('leaves no function an unconditioned table statement, nor Scan, nor a write action on an index', () => {
    for (const name of tableFunctions) {
      for (const statement of onTable(name)) {
        expect(statement.Condition, name).toBeDefined();
        expect(asArray(statement.Action), name).not.toContain('dynamodb:Scan');
      }
      const onIndexes = dynamoStatements(name).filter((s) => !onTable(name).includes(s));
      expect([...new Set(onIndexes.flatMap((s) => asArray(s.Action)))].filter((a) => a !== 'dynamodb:Query' && a !== 'dynamodb:Scan'), name).toEqual([]);
    }
  });
});

describe('the customers function role', () => {
  const statements = crm.statementsOfRole(crm.roleId('customers'));
  const actions = statements.flatMap((s) => asArray(s.Action));

  it('has no SES permission', () => {
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.toLowerCase().startsWith('ses:'))).toEqual([]);
  });

  it('uses Resource "*" only for the X-Ray actions, which have no resource-level permissions', () => {
    const wildcard = statements.filter((s) => asArray(s.Resource).includes('*'));
    expect(wildcard.flatMap((s) => asArray(s.Action)).sort()).toEqual(XRAY_ACTIONS);
  });

  it("reads and writes the table's customer partitions only, and queries its named indexes, nothing else in DynamoDB", () => {
    const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(2);
    const [onTable, onIndexes] = [dynamo.find((s) => s.Condition !== undefined)!, dynamo.find((s) => s.Condition === undefined)!];
    expect(asArray(onTable.Action).sort()).toEqual([...TABLE_ACTIONS.readWrite].sort());
    expect(JSON.stringify(onTable.Resource)).not.toContain('/index/');
    expect(onTable.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...KEY_PREFIXES.customers.table] } });
    expect(asArray(onIndexes.Action)).toEqual(['dynamodb:Query']);
    const indexes = JSON.stringify(onIndexes.Resource);
    for (const index of KEY_PREFIXES.customers.indexes) expect(indexes).toContain(`/index/${index}`);
    expect(indexes.match(/\/index\//g)).toHaveLength(KEY_PREFIXES.customers.indexes.length);
    expect(indexes).not.toContain('/index/*');
  });

  it('cannot publish to the bus (it writes events to the outbox)', () => {
    expect(actions).not.toContain('events:PutEvents');
  });
});

describe('the HTTP API', () => {
  const routes = Object.values(crm.resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties!);
  const authorizer = () => only(crm.resources('AWS::ApiGatewayV2::Authorizer'));
  // The frontends' client (the console has its own: test/infra/console-site.test.ts).
  const client = () => only(Object.fromEntries(Object.entries(crm.resources('AWS::Cognito::UserPoolClient')).filter(([id]) => id.includes('FrontendClient'))));
  const consoleClientId = logicalId(crm.stack.console!.client);
  const consoleOrigin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(crm.stack.console!.distribution), 'DomainName'] }]] };

  it('has one route per topology route', () => {
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s is guarded as the topology says', (key, route) => {
    const created = routes.find((r) => r.RouteKey === key);
    if (route.access === 'public') {
      expect(created?.AuthorizationType).toBe('NONE');
      expect(created?.AuthorizerId).toBeUndefined();
    } else {
      expect(created?.AuthorizationType).toBe('JWT');
      expect(created?.AuthorizerId).toEqual({ Ref: authorizer()[0] });
    }
  });

  it.each(ROUTES.map((r) => [routeKey(r), r.function] as const))('%s reaches %s through a payload 2.0 Lambda integration', (key, fn) => {
    const target = routes.find((r) => r.RouteKey === key)?.Target;
    const integrationId = target['Fn::Join'][1][1].Ref as string;
    const integration = crm.resources('AWS::ApiGatewayV2::Integration')[integrationId]?.Properties;
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(integration?.IntegrationUri).toEqual({ 'Fn::GetAtt': [crm.functionId(fn), 'Arn'] });
  });

  it('has one integration per routed function', () => {
    expect(Object.keys(crm.resources('AWS::ApiGatewayV2::Integration'))).toHaveLength(new Set(ROUTES.map((r) => r.function)).size);
  });

  it('verifies Cognito JWTs from the Authorization header for the frontend and console app clients', () => {
    expect(authorizer()[1].Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: client()[0] }, { Ref: consoleClientId }] },
    });
    expect(JSON.stringify(authorizer()[1].Properties?.JwtConfiguration.Issuer)).toContain('cognito-idp.');
    expect(client()[1].Properties?.GenerateSecret).toBe(false);
  });

  it('throttles and access-logs the default stage as JSON', () => {
    const [, stage] = only(crm.resources('AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
    });
    const format = JSON.parse(stage.Properties?.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
  });

  it('gives each public route its own lower limits (10 a second, bursts of 20) and waits for the routes before the stage', () => {
    const [stageId, stage] = only(crm.resources('AWS::ApiGatewayV2::Stage'));
    const publicKeys = ROUTES.filter((r) => r.access === 'public').map(routeKey);
    expect(publicKeys.length).toBeGreaterThan(10);
    expect(Object.keys(stage.Properties?.RouteSettings).sort()).toEqual([...publicKeys].sort());
    for (const key of publicKeys) expect(stage.Properties?.RouteSettings[key], key).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    const nested = Object.keys(crm.template.toJSON().Resources).filter((id) => crm.template.toJSON().Resources[id].Type === 'AWS::CloudFormation::Stack' && id.startsWith('ApiRoutes'));
    expect(nested).toHaveLength(1);
    expect(crm.template.toJSON().Resources[stageId].DependsOn).toContain(nested[0]);
  });

  it("allows by CORS only the console's origin unless more origins are configured (none at all with -c console=false: console-site.test.ts)", () => {
    const [, api] = only(crm.resources('AWS::ApiGatewayV2::Api'));
    expect(api.Properties?.CorsConfiguration.AllowOrigins).toEqual([consoleOrigin]);
  });
});

describe('deploy-time settings from context', () => {
  const configured = synthCrm({
    context: { corsOrigins: 'https://app.example.com, https://admin.example.com', throttleRateLimit: '25', throttleBurstLimit: 50 },
  });

  it('opens CORS to the configured origins only, with the headers the contract uses', () => {
    const [, api] = only(configured.resources('AWS::ApiGatewayV2::Api'));
    const consoleOrigin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(configured.stack.console!.distribution), 'DomainName'] }]] };
    expect(api.Properties?.CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://app.example.com', 'https://admin.example.com', consoleOrigin],
      AllowHeaders: expect.arrayContaining(['authorization', 'if-match', 'idempotency-key']),
      ExposeHeaders: expect.arrayContaining(['etag', 'location']),
    });
  });

  it('applies the configured throttling', () => {
    const [, stage] = only(configured.resources('AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties?.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 });
    const publicOnes = synthCrm({ context: { publicThrottleRateLimit: '2.5', publicThrottleBurstLimit: '5' } });
    expect(only(publicOnes.resources('AWS::ApiGatewayV2::Stage'))[1].Properties?.RouteSettings['POST /leads/capture']).toEqual({ ThrottlingRateLimit: 2.5, ThrottlingBurstLimit: 5 });
    expect(() => synthCrm({ context: { publicThrottleBurstLimit: '0' } })).toThrow(/publicThrottleBurstLimit/);
  });

  it('refuses values that are not origins or positive numbers', () => {
    expect(() => synthCrm({ context: { corsOrigins: 'app.example.com/path' } })).toThrow(/corsOrigins/);
    expect(() => synthCrm({ context: { throttleBurstLimit: '-1' } })).toThrow(/throttleBurstLimit/);
  });
});

describe('the outbox path', () => {
  const consumer = STREAM_CONSUMERS[0];
  // One mapping per stream consumer of the topology; this block is about the outbox publisher's.
  const mapping = () => mappingOf(consumer.function);

  it('has one event-source mapping per stream consumer of the topology, each with its own filter and batch size', () => {
    expect(Object.keys(crm.resources('AWS::Lambda::EventSourceMapping'))).toHaveLength(STREAM_CONSUMERS.length);
    for (const c of STREAM_CONSUMERS) {
      const m = mappingOf(c.function);
      expect(m.Properties?.BatchSize).toBe(c.batchSize);
      expect((m.Properties?.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern))).toEqual([c.filter]);
    }
  });

  it('feeds the table stream to the stream consumer of the topology', () => {
    expect(mapping().Properties).toMatchObject({
      FunctionName: { Ref: crm.functionId(consumer.function) },
      EventSourceArn: { 'Fn::GetAtt': [only(crm.resources('AWS::DynamoDB::Table'))[0], 'StreamArn'] },
      BatchSize: consumer.batchSize,
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('filters with exactly the topology filter', () => {
    const filters = mapping().Properties?.FilterCriteria.Filters as { Pattern: string }[];
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([consumer.filter]);
  });

  it('reports partial batch failures, bisects, retries a bounded number of times and keeps what fails', () => {
    expect(mapping().Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
    });
  });

  it('lets only the publisher put events, and only on the crm bus', () => {
    const [busId] = only(crm.resources('AWS::Events::EventBus'));
    for (const name of functionNames) {
      const puts = crm.statementsOfRole(crm.roleId(name)).filter((s: Statement) => asArray(s.Action).includes('events:PutEvents'));
      const access: Access = FUNCTIONS[name].access;
      if (access.bus === true) {
        expect(puts.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [busId, 'Arn'] }]);
      } else {
        expect(puts).toEqual([]);
      }
    }
  });
});

function mappingOf(name: FunctionName) {
  const mappings = Object.values(crm.resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: crm.functionId(name) }));
  expect(mappings).toHaveLength(1);
  return mappings[0]!;
}

describe('the campaign sender path', () => {
  const consumer = STREAM_CONSUMERS.find((c) => c.function === 'campaignSender')!;

  it('feeds queued send batches one at a time, lanes side by side, with the topology filter', () => {
    const mapping = mappingOf('campaignSender');
    expect(mapping.Properties).toMatchObject({ BatchSize: 1, ParallelizationFactor: consumer.parallelizationFactor, StartingPosition: 'TRIM_HORIZON', FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const filters = mapping.Properties?.FilterCriteria.Filters as { Pattern: string }[];
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([consumer.filter]);
  });

  it('tells the functions that mail links outside a request where the API is', () => {
    const env = (name: FunctionName) => (crm.resources('AWS::Lambda::Function')[crm.functionId(name)]!.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    expect(env('campaignSender').LINK_BASE_URL).toBeDefined();
    expect(env('customers').LINK_BASE_URL).toBeUndefined();
  });

  it('paces campaign mail at the configured SES rate (14 a second unless -c campaignSendRate says otherwise)', () => {
    const env = (synth: typeof crm, name: FunctionName) => (synth.resources('AWS::Lambda::Function')[synth.functionId(name)]!.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    expect(env(crm, 'campaignSender').CAMPAIGN_SEND_RATE).toBe('14');
    const fast = synthCrm({ context: { campaignSendRate: '50' } });
    expect([env(fast, 'campaignSender').CAMPAIGN_SEND_RATE, env(fast, 'campaignTrigger').CAMPAIGN_SEND_RATE]).toEqual(['50', '50']);
    expect(env(fast, 'customers').CAMPAIGN_SEND_RATE).toBeUndefined();
    expect(() => synthCrm({ context: { campaignSendRate: '0' } })).toThrow(/campaignSendRate/);
  });

  it("gives the customers function the erasure grace period (7 days unless -c erasureGraceDays says otherwise)", () => {
    const env = (synth: typeof crm, name: FunctionName) => (synth.resources('AWS::Lambda::Function')[synth.functionId(name)]!.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    expect(env(crm, 'customers').ERASURE_GRACE_DAYS).toBe('7');
    expect(env(synthCrm({ context: { erasureGraceDays: '14' } }), 'customers').ERASURE_GRACE_DAYS).toBe('14');
    expect(env(synthCrm({ context: { erasureGraceDays: '0' } }), 'customers').ERASURE_GRACE_DAYS).toBe('0');
    expect(env(crm, 'scheduledErasure').ERASURE_GRACE_DAYS).toBeUndefined();
    for (const bad of ['31', '-1', '1.5', 'week']) expect(() => synthCrm({ context: { erasureGraceDays: bad } })).toThrow(/erasureGraceDays/);
  });

  it('sends satisfaction surveys an hour after solving unless -c csatDelaySeconds says otherwise', () => {
    const env = (synth: typeof crm, name: FunctionName) => (synth.resources('AWS::Lambda::Function')[synth.functionId(name)]!.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    expect(env(crm, 'csatSurveys').CSAT_DELAY_SECONDS).toBe('3600');
    const later = synthCrm({ context: { csatDelaySeconds: '7200' } });
    expect(env(later, 'csatSurveys').CSAT_DELAY_SECONDS).toBe('7200');
    expect(env(later, 'csat').CSAT_DELAY_SECONDS).toBeUndefined();
    expect(() => synthCrm({ context: { csatDelaySeconds: '2592001' } })).toThrow(/csatDelaySeconds/);
    expect(() => synthCrm({ context: { csatDelaySeconds: '1.5' } })).toThrow(/csatDelaySeconds/);
  });

  it('fits the customer value models in euros unless -c analyticsCurrency says otherwise', () => {
    const env = (synth: typeof crm, name: FunctionName) => (synth.resources('AWS::Lambda::Function')[synth.functionId(name)]!.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    for (const name of ['analytics', 'analyticsJobs', 'analyticsFeed'] as const) expect(env(crm, name).ANALYTICS_CURRENCY).toBe('EUR');
    expect(env(synthCrm({ context: { analyticsCurrency: 'USD' } }), 'analyticsJobs').ANALYTICS_CURRENCY).toBe('USD');
    expect(env(crm, 'customers').ANALYTICS_CURRENCY).toBeUndefined();
    for (const bad of ['usd', 'EURO', '12']) expect(() => synthCrm({ context: { analyticsCurrency: bad } })).toThrow(/analyticsCurrency/);
  });
});

describe('the crm bus and its rules', () => {
  const bus = () => only(crm.resources('AWS::Events::EventBus'));
  const rules = Object.values(crm.resources('AWS::Events::Rule')).map((r) => r.Properties!);

  it("is named 'crm'", () => {
    expect(bus()[1].Properties?.Name).toBe(EVENT_BUS_NAME);
    expect(bus()[1].Properties?.Name).toBe('crm');
  });

  it('archives every catalogued event', () => {
    const [, archive] = only(crm.resources('AWS::Events::Archive'));
    expect(archive.Properties).toMatchObject({ SourceArn: { 'Fn::GetAtt': [bus()[0], 'Arn'] }, EventPattern: sourcesPattern() });
  });

  it('has one rule per topology rule, each with the pattern of its events/ module', () => {
    const onCrm = rules.filter((r) => JSON.stringify(r.EventBusName) === JSON.stringify({ Ref: bus()[0] }));
    expect(onCrm.map((r) => r.EventPattern)).toEqual(RULES.map((r) => r.pattern));
    // Any other rule is the SES forwarder on the default bus (present when a function sends email).
    for (const other of rules.filter((r) => !onCrm.includes(r))) {
      expect(other).toMatchObject({ EventBusName: 'default', EventPattern: { source: ['aws.ses'] } });
    }
  });

  it('sends every catalogued event to the audit log group', () => {
    const audit = rules.find((r) => JSON.stringify(r.EventPattern) === JSON.stringify(sourcesPattern()));
    expect(sourcesPattern().source).toContain(CustomerCreated.source);
    const [logGroupId, logGroup] = only(
      Object.fromEntries(Object.entries(crm.resources('AWS::Logs::LogGroup')).filter(([, g]) => String(g.Properties?.LogGroupName).includes('audit'))),
    );
    expect(logGroup.Properties?.RetentionInDays).toBe(365);
    expect(JSON.stringify(audit?.Targets)).toContain(`"Ref":"${logGroupId}"`);
    const [, policy] = only(crm.resources('AWS::Logs::ResourcePolicy'));
    const document = JSON.stringify(policy.Properties?.PolicyDocument);
    expect(document).toContain('events.amazonaws.com');
    expect(document).toContain(`"Fn::GetAtt":["${logGroupId}","Arn"]`);
  });

  it('gives every rule target a dead-letter queue', () => {
    for (const rule of rules) {
      for (const target of rule.Targets as any[]) expect(target.DeadLetterConfig?.Arn).toBeDefined();
    }
  });
});

describe('rules and schedules the topology may add', () => {
  const extended = synthCrm({
    topology: {
      ...TOPOLOGY,
      rules: [...TOPOLOGY.rules, { name: 'on-created', description: 'test rule', pattern: CustomerCreated.pattern, target: { kind: 'function', function: 'docs' } }],
      schedules: [{ name: 'tick', description: 'test schedule', everyMinutes: 5, function: 'docs' }],
    },
  });

  it('route an event pattern to a function, with a DLQ and an invoke permission for that rule only', () => {
    const rule = Object.entries(extended.resources('AWS::Events::Rule')).find(([, r]) => r.Properties?.Description === 'test rule');
    expect(rule?.[1].Properties?.EventPattern).toEqual(CustomerCreated.pattern);
    expect(rule?.[1].Properties?.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [extended.functionId('docs'), 'Arn'] }, DeadLetterConfig: expect.any(Object) }),
    ]);
    extended.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [extended.functionId('docs'), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [rule?.[0], 'Arn'] },
    });
  });

  it('run a function at a fixed rate through EventBridge Scheduler, with a DLQ and an exact invoke grant', () => {
    const [, schedule] = only(extended.resources('AWS::Scheduler::Schedule'));
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      Target: { Arn: { 'Fn::GetAtt': [extended.functionId('docs'), 'Arn'] }, DeadLetterConfig: { Arn: expect.any(Object) } },
    });
    const roleId = schedule.Properties?.Target.RoleArn['Fn::GetAtt'][0] as string;
    const invoke = extended.statementsOfRole(roleId).filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [extended.functionId('docs'), 'Arn'] }]);
  });

  it('refuse a function the topology does not declare', () => {
    expect(() =>
      synthCrm({ topology: { ...TOPOLOGY, schedules: [{ name: 'x', description: 'x', everyMinutes: 1, function: 'nope' as FunctionName }] } }),
    ).toThrow(/nope/);
  });
});

describe('the user pool', () => {
  const pool = () => only(crm.resources('AWS::Cognito::UserPool'))[1];

  it('has a group per role of the topology', () => {
    const groups = Object.values(crm.resources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties?.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('allows no self sign-up, requires MFA and a strong password, and is retained', () => {
    expect(pool().DeletionPolicy).toBe('Retain');
    expect(pool().Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: 'ACTIVE',
      Policies: {
        PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      },
    });
  });

  it("carries custom:customerId and a partner user's custom:accountId, readable by the app clients but never writable by them", () => {
    // A user who could write either claim would act as another customer or for another partner account.
    for (const name of ['customerId', 'accountId']) {
      expect(pool().Properties?.Schema).toEqual(expect.arrayContaining([expect.objectContaining({ Name: name, AttributeDataType: 'String' })]));
    }
    // The frontends' client and the console's (infra/cdk/console-site.construct.ts).
    const clients = Object.values(crm.resources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      for (const claim of ['custom:customerId', 'custom:accountId']) {
        expect(client.Properties?.ReadAttributes).toContain(claim);
        expect(client.Properties?.WriteAttributes).not.toContain(claim);
      }
    }
  });
});

describe('cost', () => {
  it('creates nothing with a fixed monthly price, and no custom-resource Lambdas but the console upload', () => {
    const types = Object.values(crm.template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
    const fixedCost = /^AWS::(EC2|RDS|OpenSearchService|Elasticsearch|ElastiCache|KMS::Key|SecretsManager|WAFv2)/;
    expect(types.filter((t) => fixedCost.test(t))).toEqual([]);
    // The console's two BucketDeployments (CDK's copy function runs only while deploying); with
    // -c console=false there is none (test/infra/console-site.test.ts).
    expect(types.filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')).toEqual(['Custom::CDKBucketDeployment', 'Custom::CDKBucketDeployment']);
    crm.template.resourcePropertiesCountIs('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: Match.anyValue() }, 0);
  });
});

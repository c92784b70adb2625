import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_COLUMNS, WAREHOUSE_TABLES } from '#domain/analytics/warehouse-rows.ts';
import { FUNCTIONS, type FunctionName } from '#infra/topology.ts';
import { asArray, logicalId, synthCrm } from './crm-app.ts';

// The warehouse on AWS: the analytics bucket, Glue tables with day partitions by projection, the
// Athena workgroup with its bytes-scanned cutoff, and the export's grant (put under tables/ only).

const crm = synthCrm();
const analytics = crm.stack.analytics!;
const bucketId = logicalId(analytics.bucket);

describe('analytics bucket', () => {
  it('is encrypted (SSE-S3), blocks public access, keeps its data, expires Athena results and tiers old days', () => {
    crm.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
            Match.objectLike({ Prefix: 'athena-results/', ExpirationInDays: 7, Status: 'Enabled' }),
            Match.objectLike({ Prefix: 'tables/', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] }),
          ]),
        },
      }),
    });
  });

  it('refuses requests without TLS', () => {
    crm.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('Glue tables', () => {
  const tables = Object.values(crm.resources('AWS::Glue::Table'));

  it('one per warehouse table, with its columns and types, Parquet, partitioned by date with projection (no crawler)', () => {
    expect(tables.map((t) => t.Properties!.TableInput.Name).sort()).toEqual([...WAREHOUSE_TABLES].sort());
    expect(Object.keys(crm.resources('AWS::Glue::Crawler'))).toEqual([]);
    for (const table of tables) {
      const input = table.Properties!.TableInput;
      const name = input.Name as keyof typeof WAREHOUSE_COLUMNS;
      expect(input.StorageDescriptor.Columns).toEqual(WAREHOUSE_COLUMNS[name].map((c) => ({ Name: c.name, Type: c.type })));
      expect(input.PartitionKeys).toEqual([{ Name: 'date', Type: 'string' }]);
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.date.type': 'date',
        'projection.date.format': 'yyyy-MM-dd',
        'projection.date.range': '2020-01-01,NOW',
      });
      // The export writes `tables/<table>/date=<day>/<batch>.parquet` (functions/warehouse/parquet-warehouse-writer.ts).
      expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(`/tables/${name}/date=\${date}/`);
      expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(`/tables/${name}/`);
      expect(table.Properties!.DatabaseName).toBe(analytics.databaseName);
      expect((table as { DependsOn?: string[] }).DependsOn).toContain(crm.stack.getLogicalId(analytics.database));
    }
  });
});

describe('Athena workgroup', () => {
  it('enforces its result location (SSE-S3) and cancels a query past 1 GB scanned by default', () => {
    crm.template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        BytesScannedCutoffPerQuery: 1024 ** 3,
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: { OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/athena-results/']] }, EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      }),
    });
  });

  it('takes the cutoff from -c athenaBytesScannedCutoff and refuses one below Athena minimum', () => {
    synthCrm({ context: { athenaBytesScannedCutoff: '10737418240' } }).template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10737418240 }),
    });
    expect(() => synthCrm({ context: { athenaBytesScannedCutoff: '1000' } })).toThrow(/athenaBytesScannedCutoff/);
    expect(() => synthCrm({ context: { athenaBytesScannedCutoff: '1.5e9x' } })).toThrow(/athenaBytesScannedCutoff/);
  });
});

describe('warehouseExport grant', () => {
  const writers = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => (FUNCTIONS[name].access as { warehouse?: boolean }).warehouse);
  const s3Statements = (name: FunctionName) => crm.statementsOfRole(crm.roleId(name)).filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')));

  it('only the export writes the warehouse: s3:PutObject under tables/ and nothing else of S3', () => {
    expect(writers).toEqual(['warehouseExport']);
    expect(s3Statements('warehouseExport')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/tables/*']] } }),
    ]);
    // The cube's reads and results are checked in 'cube grant' below.
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) if (name !== 'warehouseExport' && name !== 'analytics') expect(s3Statements(name), name).toEqual([]);
  });

  it('tells the export its bucket and prefix', () => {
    crm.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ANALYTICS_BUCKET: { Ref: bucketId }, WAREHOUSE_PREFIX: 'tables/' }) },
    });
    const env = crm.resources('AWS::Lambda::Function')[crm.functionId('warehouseExport')]!.Properties!.Environment.Variables;
    expect(env).toMatchObject({ ANALYTICS_BUCKET: { Ref: bucketId }, WAREHOUSE_PREFIX: 'tables/' });
  });

  it('reads the table stream for the six tables\' partitions, INSERT and MODIFY, in batches gathered for a minute', () => {
    const mappings = Object.values(crm.resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties!.FunctionName).includes(crm.functionId('warehouseExport')));
    expect(mappings).toHaveLength(1);
    const pattern = JSON.parse(mappings[0]!.Properties!.FilterCriteria.Filters[0].Pattern);
    expect(pattern.eventName).toEqual(['INSERT', 'MODIFY']);
    // Up to a minute's changes per invocation: fewer, larger files.
    expect(mappings[0]!.Properties).toMatchObject({ BatchSize: 1000, MaximumBatchingWindowInSeconds: 60, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(pattern.dynamodb.NewImage.pk.S).toEqual([{ prefix: 'CUSTOMER#' }, { prefix: 'CASE#' }, { prefix: 'CONSENT#' }, { prefix: 'OPPORTUNITY#' }]);
  });
});

describe('cube grant (GET /reports/cube through Athena)', () => {
  const queriers = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => (FUNCTIONS[name].access as { warehouseQueries?: boolean }).warehouseQueries);
  const statements = crm.statementsOfRole(crm.roleId('analytics'));
  const of = (service: string) => statements.filter((s) => asArray(s.Action).some((a) => a.startsWith(`${service}:`)));
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, prefix]] });
  const text = (value: unknown) => JSON.stringify(value);

  it('only the analytics function queries, with its workgroup and database in its environment', () => {
    expect(queriers).toEqual(['analytics']);
    const env = crm.resources('AWS::Lambda::Function')[crm.functionId('analytics')]!.Properties!.Environment.Variables;
    expect(env.ATHENA_WORKGROUP).toBe(analytics.workGroup.name);
    expect(env.ANALYTICS_DATABASE).toBe(analytics.databaseName);
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      if (name === 'analytics') continue;
      const others = crm.statementsOfRole(crm.roleId(name)).filter((s) => asArray(s.Action).some((a) => a.startsWith('athena:') || a.startsWith('glue:')));
      expect(others, name).toEqual([]);
    }
  });

  it('runs and reads queries in the analytics workgroup only', () => {
    const athena = of('athena');
    expect(athena).toHaveLength(1);
    expect(asArray(athena[0]!.Action).sort()).toEqual(['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(asArray(athena[0]!.Resource)).toHaveLength(1);
    expect(text(athena[0]!.Resource)).toContain(`:workgroup/${analytics.workGroup.name}`);
  });

  it('reads the Glue catalog, the warehouse database and its tables, nothing else of Glue', () => {
    const glue = of('glue');
    expect(glue).toHaveLength(1);
    expect(asArray(glue[0]!.Action).sort()).toEqual(['glue:GetDatabase', 'glue:GetTable']);
    const resources = asArray(glue[0]!.Resource).map(text);
    expect(resources).toHaveLength(2 + WAREHOUSE_TABLES.length);
    expect(resources.some((r) => r.includes(':catalog'))).toBe(true);
    expect(resources.some((r) => r.includes(`:database/${analytics.databaseName}`))).toBe(true);
    for (const table of WAREHOUSE_TABLES) expect(resources.some((r) => r.includes(`:table/${analytics.databaseName}/${table}`)), table).toBe(true);
    expect(resources.join()).not.toContain('*');
  });

  it('reads the table files, writes and reads results under athena-results/, and writes nothing under tables/', () => {
    const s3 = of('s3');
    const allowed = (prefix: string) => s3.filter((s) => text(s.Resource) === text(objects(prefix))).flatMap((s) => asArray(s.Action)).sort();
    expect(allowed('/tables/*')).toEqual(['s3:GetObject']);
    expect(allowed('/athena-results/*')).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
    const listing = s3.find((s) => asArray(s.Action).includes('s3:ListBucket'))!;
    expect(listing.Resource).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
    expect(listing.Condition).toEqual({ StringLike: { 's3:prefix': ['tables/*', 'athena-results/*'] } });
    // Every S3 statement names this bucket: its ARN, or objects under one of the two prefixes.
    for (const statement of s3) expect(text(statement.Resource)).toContain(bucketId);
    expect(s3.flatMap((s) => asArray(s.Action)).filter((a) => a === 's3:PutObject')).toHaveLength(1);
  });
});

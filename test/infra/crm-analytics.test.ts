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
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) if (name !== 'warehouseExport') expect(s3Statements(name), name).toEqual([]);
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

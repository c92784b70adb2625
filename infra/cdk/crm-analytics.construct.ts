import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type ColumnType, WAREHOUSE_COLUMNS, WAREHOUSE_TABLES } from '#domain/analytics/warehouse-rows.ts';

/** Where the warehouse's tables start in the bucket (WAREHOUSE_PREFIX of the export). */
export const TABLES_PREFIX = 'tables/';
/** Where Athena writes query results (kept a week: a result is read once, by whoever asked). */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/** The first day partition projection offers; days without files cost nothing to list. */
export const PROJECTION_START = '2020-01-01';

const GLUE_TYPES: Record<ColumnType, string> = { string: 'string', double: 'double', int: 'int', boolean: 'boolean', timestamp: 'timestamp' };

export interface CrmAnalyticsProps {
  /** Athena cancels a query of this workgroup once it has scanned this many bytes (`-c athenaBytesScannedCutoff`). */
  readonly bytesScannedCutoffPerQuery: number;
}

/**
 * The pay-per-query warehouse: one bucket (tables and Athena results under their own prefixes), a
 * Glue database with one table per warehouse table (its columns from warehouse-rows.ts, the day
 * partitions by projection, so no crawler runs and no partition is ever registered), and an
 * Athena workgroup that enforces its result location, encryption and a bytes-scanned cutoff.
 * Nothing here costs money while nobody writes or queries.
 */
export class CrmAnalytics extends Construct {
  readonly bucket: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly workGroup: athena.CfnWorkGroup;
  readonly tables: ReadonlyMap<string, glue.CfnTable>;

  constructor(scope: Construct, id: string, props: CrmAnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The warehouse is a copy: the table is the record, and erasure must not wait on old versions.
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'athena-results', prefix: ATHENA_RESULTS_PREFIX, expiration: Duration.days(7) },
        // Old days are read rarely: Intelligent-Tiering moves them to cheaper tiers by themselves.
        { id: 'tables-tiering', prefix: TABLES_PREFIX, transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) }] },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs would need a second bucket (and its own retention) for data that holds no direct personal data; writes come only from the warehouseExport role and reads through the Athena workgroup, both recorded by CloudTrail management events and the workgroup query history.',
    });

    this.databaseName = `${stack.stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_analytics`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: 'The eCRM warehouse: pseudonymous Parquet exported from the table stream' },
    });

    const tables = new Map<string, glue.CfnTable>();
    for (const name of WAREHOUSE_TABLES) {
      const location = `s3://${this.bucket.bucketName}/${TABLES_PREFIX}${name}/`;
      const table = new glue.CfnTable(this, `Table-${name}`, {
        catalogId: stack.account,
        databaseName: this.databaseName,
        tableInput: {
          name,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'parquet',
            EXTERNAL: 'TRUE',
            'projection.enabled': 'true',
            'projection.date.type': 'date',
            'projection.date.format': 'yyyy-MM-dd',
            'projection.date.range': `${PROJECTION_START},NOW`,
            'projection.date.interval': '1',
            'projection.date.interval.unit': 'DAYS',
            'storage.location.template': `${location}date=\${date}/`,
          },
          partitionKeys: [{ name: 'date', type: 'string' }],
          storageDescriptor: {
            location,
            columns: WAREHOUSE_COLUMNS[name].map((column) => ({ name: column.name, type: GLUE_TYPES[column.type] })),
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          },
        },
      });
      table.addResourceDependency(this.database, 'a table is created in its database');
      tables.set(name, table);
    }
    this.tables = tables;

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${stack.stackName}-analytics`,
      description: 'Queries of the eCRM warehouse: results in the analytics bucket, a bytes-scanned cutoff per query',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  /**
   * The cube's queries, and nothing more: run, poll, read and stop queries in this workgroup; read
   * this database and its tables in Glue (partition projection: no partitions to read); read the
   * table files; write and read query results under the results prefix (Athena writes and reads
   * them with the caller's credentials). No write to the tables, no other workgroup or database.
   */
  grantQueries(role: iam.IRole): void {
    const stack = Stack.of(this);
    const workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.name });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
        resources: [workGroupArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
          ...WAREHOUSE_TABLES.map((table) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${table}` })),
        ],
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [this.bucket.bucketArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${TABLES_PREFIX}*`, `${ATHENA_RESULTS_PREFIX}*`] } },
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${TABLES_PREFIX}*`)] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [this.bucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
      }),
    );
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    for (const prefix of [TABLES_PREFIX, ATHENA_RESULTS_PREFIX]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Athena reads the table files (named by the export at run time) and writes each query's result under a name of its own choosing: objects under ${prefix} only.`,
      });
    }
  }

  /** The export may put objects under the tables prefix, and nothing else: no read, no delete, no other prefix. */
  grantTableWrites(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${TABLES_PREFIX}*`)] }));
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${TABLES_PREFIX}*]`,
      reason: 'The export names its files at run time (<table>/date=<day>/<batch id>.parquet): it may put any object under the tables prefix, and only put (no read, delete or other prefix).',
    });
  }
}

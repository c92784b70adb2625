import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ALL_INDEXES, TABLE } from '#infra/table.ts';

const string = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The single table, exactly as infra/table.ts declares it. `Table` (AWS::DynamoDB::Table) rather
 * than `TableV2` (AWS::DynamoDB::GlobalTable): the system is single-region by design and
 * cdk-nag's PITR rule only inspects AWS::DynamoDB::Table.
 */
export interface CrmTableProps {
  /**
   * On-demand throughput ceiling, request units per second, of the table and of each index: a
   * runaway loop is throttled there instead of billed without limit.
   */
  readonly maxReadRequestUnits: number;
  readonly maxWriteRequestUnits: number;
  /** `daily`: an AWS Backup plan (daily, kept 35 days) of the table, besides point-in-time recovery. */
  readonly backup: TableBackup;
}

export type TableBackup = 'none' | 'daily';

export class CrmTable extends Construct {
  readonly table: dynamodb.Table;
  readonly backupPlan?: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: CrmTableProps) {
    super(scope, id);
    const ceiling = { maxReadRequestUnits: props.maxReadRequestUnits, maxWriteRequestUnits: props.maxWriteRequestUnits };
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: string(TABLE.partitionKey),
      sortKey: string(TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The outbox publisher reads new records; old images let later consumers see what changed.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      // AWS-owned key: encrypted at rest with no KMS key charge.
      encryption: dynamodb.TableEncryption.DEFAULT,
      ...ceiling,
    });
    for (const index of ALL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
        ...ceiling,
      });
    }
    if (props.backup === 'daily') {
      // A vault with the AWS-managed key (no KMS key charge); the table keeps its data on stack deletion, so do the backups.
      const vault = new backup.BackupVault(this, 'BackupVault', { removalPolicy: RemovalPolicy.RETAIN });
      this.backupPlan = backup.BackupPlan.daily35DayRetention(this, 'BackupPlan', vault);
      const selection = this.backupPlan.addSelection('Table', { resources: [backup.BackupResource.fromDynamoDbTable(this.table)] });
      Validations.of(selection).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason: "The selection's role is assumed by AWS Backup alone and selects only the table; AWS keeps this managed policy in step with the service's own backup operations.",
      });
    }
  }
}

import { CfnResource, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.construct.ts';

// The AWS Control Tower proactive controls (@cdklabs/cdk-validator-cfnguard) the stack does not
// meet, each with why: all of them in this one file, so the list is reviewed as a whole. Every
// acknowledgement is scoped to the resources it is about (by CloudFormation type, or narrower), so
// a resource of another kind that breaks a rule still fails `cdk synth` and test/infra/cdk-nag.test.ts.

/** The plugin's rule namespace: `Validations.acknowledge` matches `<plugin name>::<rule name>`. */
export const GUARD_NAMESPACE = 'cdk-validator-cfnguard';

interface GuardAcknowledgement {
  /** Control Tower id, for the README and the console. */
  readonly control: string;
  /** The guard rule's name (what the plugin reports). */
  readonly rule: string;
  readonly reason: string;
  /** The constructs it applies to, found in the app. */
  readonly where: (all: readonly IConstruct[]) => IConstruct[];
}

const ofType = (...types: string[]) => (all: readonly IConstruct[]) => all.filter((c) => CfnResource.isCfnResource(c) && types.includes(c.cfnResourceType));
const NO_CMK = 'A customer-managed KMS key costs $1 a month per key, and the default deployment costs $0 while idle; the data is encrypted at rest with the service-owned key.';

export const GUARD_ACKNOWLEDGEMENTS: readonly GuardAcknowledgement[] = [
  { control: 'CT.ATHENA.PR.2', rule: 'athena_workgroup_results_encrypted_at_rest_kms_check', where: ofType('AWS::Athena::WorkGroup'), reason: `Query results are encrypted with SSE-S3 and expire with the bucket's lifecycle rule. ${NO_CMK}` },
  { control: 'CT.CLOUDWATCH.PR.2', rule: 'cloudwatch_log_group_retention_period_check', where: ofType('AWS::Logs::LogGroup'), reason: 'Logs are kept for a short, set retention on purpose: they are operational traces, not an audit record, and a year of logs would be a standing storage charge.' },
  { control: 'CT.CLOUDWATCH.PR.3', rule: 'cloudwatch_log_group_encrypted_check', where: ofType('AWS::Logs::LogGroup'), reason: `CloudWatch Logs encrypts every log group at rest with its own key; the functions never log personal data. ${NO_CMK}` },
  { control: 'CT.DYNAMODB.PR.2', rule: 'dynamodb_table_encrypted_kms_check', where: ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'), reason: `The table is encrypted at rest with the AWS-owned key, which has neither a monthly nor a per-request KMS charge. ${NO_CMK}` },
  { control: 'CT.LAMBDA.PR.2', rule: 'lambda_function_public_access_prohibited_check', where: ofType('AWS::Lambda::Permission'), reason: 'Every permission names a service principal with a SourceArn (this HTTP API, or the crm bus\'s campaign-* rules); the rule only reads a literal string or a direct Ref there, not the Fn::Join that builds the ARN.' },
  { control: 'CT.LAMBDA.PR.3', rule: 'lambda_inside_vpc_check', where: ofType('AWS::Lambda::Function'), reason: 'The functions reach only AWS APIs (DynamoDB, EventBridge, SES, S3, Athena, SSM) over TLS with IAM; a VPC would need NAT or interface endpoints, a monthly charge and a cold-start cost, for no network the functions must reach.' },
  { control: 'CT.S3.PR.2', rule: 's3_bucket_logging_enabled_check', where: ofType('AWS::S3::Bucket'), reason: 'Server access logs would need a second bucket and grow with every Athena scan; CloudTrail data events can be turned on by the account owner if needed. The console bucket is read by CloudFront alone, for the same public files.' },
  { control: 'CT.S3.PR.4', rule: 's3_event_notifications_enabled_check', where: ofType('AWS::S3::Bucket'), reason: 'Nothing reacts to warehouse objects: the export writes them and Athena reads them; nor to the console\'s files: a deployment writes them and CloudFront reads them.' },
  { control: 'CT.S3.PR.9', rule: 's3_bucket_object_lock_enabled_check', where: ofType('AWS::S3::Bucket'), reason: 'Object Lock would keep erased customers\' rows: GDPR erasure must be able to rewrite and delete warehouse files; the console\'s files are the build of a commit, replaced by the next deployment.' },
  { control: 'CT.S3.PR.10', rule: 's3_bucket_default_encryption_kms_check', where: ofType('AWS::S3::Bucket'), reason: `The bucket uses SSE-S3. ${NO_CMK}` },
  { control: 'CT.S3.PR.11', rule: 's3_bucket_versioning_enabled_check', where: ofType('AWS::S3::Bucket'), reason: 'Versions would keep the rows an erasure removes (GDPR) and double the storage of files rewritten on every export; the warehouse is rebuilt from the table, and the console from the repository.' },
  { control: 'CT.CLOUDFRONT.PR.4', rule: 'cloudfront_origin_failover_enabled_check', where: ofType('AWS::CloudFront::Distribution'), reason: 'The console distribution has one origin, an S3 bucket in one region (S3 is regional and highly available); a second bucket replicated in another region would double the storage and add a replication rule for static files a redeploy restores.' },
  { control: 'CT.CLOUDFRONT.PR.5', rule: 'cloudfront_access_logs_enabled_check', where: ofType('AWS::CloudFront::Distribution'), reason: 'Standard logs need a log bucket (real-time logs a paid stream) for requests of the same public static files; the API, which serves the data, keeps its own access logs.' },
  { control: 'CT.CLOUDFRONT.PR.6', rule: 'cloudfront_custom_ssl_certificate_check', where: ofType('AWS::CloudFront::Distribution'), reason: 'The console is served on its *.cloudfront.net name with CloudFront\'s certificate, so a deployment needs no domain; a company fronting it with its own domain adds its ACM certificate (README "Deploy to AWS").' },
  { control: 'CT.CLOUDFRONT.PR.7', rule: 'cloudfront_sni_enabled_check', where: ofType('AWS::CloudFront::Distribution'), reason: 'SNI applies to a custom certificate; the default *.cloudfront.net certificate has no SslSupportMethod to set.' },
  { control: 'CT.CLOUDFRONT.PR.9', rule: 'cloudfront_security_policy_check', where: ofType('AWS::CloudFront::Distribution'), reason: 'The default *.cloudfront.net certificate cannot pin a minimum protocol version (CloudFront fixes it at TLSv1); browsers negotiate TLS 1.2 or 1.3. A custom domain\'s certificate can set TLSv1.2_2021.' },
  {
    control: 'CT.SQS.PR.1',
    rule: 'sqs_dlq_check',
    where: (all) => all.filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue).map((dlq) => dlq.queue),
    reason: 'This queue is itself a dead-letter destination; nothing consumes it automatically, so a dead-letter queue of its own would never receive anything.',
  },
  {
    control: 'CT.APIGATEWAY.PR.5',
    rule: 'api_gw_v2_authorization_type_configured_check',
    where: (all) => all.filter((c) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::ApiGatewayV2::Route' && (c as unknown as { authorizationType?: string }).authorizationType === 'NONE'),
    reason: "A route declared `access: 'public'` in infra/routes.ts: signed link tokens, the help centre, lead capture and the OpenAPI document are reached without a login by design; each is throttled and validates its input.",
  },
];

/** Records every acknowledgement on the constructs it applies to (call once the stack is built). */
export function acknowledgeGuardFindings(scope: IConstruct): void {
  const all = scope.node.findAll();
  for (const { rule, reason, where } of GUARD_ACKNOWLEDGEMENTS) {
    for (const construct of where(all)) Validations.of(construct).acknowledge({ id: `${GUARD_NAMESPACE}::${rule}`, reason });
  }
}

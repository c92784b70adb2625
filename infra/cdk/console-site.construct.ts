import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetHashType, Aws, DockerImage, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { appClientReadAttributes } from './crm-auth.construct.ts';
import type { ConsoleSettings } from './stack-settings.ts';

/** The files the app loads at start besides its hashed chunks; re-read on every visit. */
export const CONSOLE_ENTRY_FILES = ['index.html', 'config.json'] as const;

export interface ConsoleSiteProps {
  readonly userPool: cognito.UserPool;
  readonly settings: ConsoleSettings;
  /** The built console (web/dist): consoleBuild() in the app; any directory source in a test. */
  readonly app: s3deploy.ISource;
}

/** What the console reads from /config.json (web/src/config.ts). */
export interface ConsoleConfigValues {
  /** The API's origin, no trailing slash (openapi-fetch's base URL). */
  readonly apiUrl: string;
}

/**
 * The web console on AWS: a private bucket behind CloudFront (origin access control, HTTPS
 * only, security headers), and the Cognito pieces its sign-in needs (the hosted UI's domain and
 * an app client for the authorization-code flow with PKCE). Nothing here has a monthly price:
 * CloudFront, S3 and the Cognito domain bill per request, per GB and per active user only.
 *
 * Built in two steps because the API sits between them: the app client (an audience of the API's
 * authorizer) and the distribution (a CORS origin of the API) come first, and `publish` uploads
 * the app with the API's address in its config.json once the API exists.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly domain: cognito.UserPoolDomain;
  readonly client: cognito.UserPoolClient;
  /** https://<distribution>.cloudfront.net. */
  readonly origin: string;
  /** The origins the console is served from (its own domain's, if any, and CloudFront's): the API's CORS allows them. */
  readonly origins: readonly string[];
  /** Where Cognito sends the deployed console back after sign-in: its own domain's root, else the distribution's. */
  readonly redirectUri: string;
  private readonly app: s3deploy.ISource;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.app = props.app;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // A deployment interrupted mid-upload leaves no parts to pay for.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Build output only (no data): a deployment rewrites it, a deleted stack may leave it behind.
    });

    // A prefix domain is free; a custom one would need a certificate and a DNS record.
    const custom = props.settings.customDomain;
    const domainPrefix = props.settings.authDomainPrefix ?? defaultDomainPrefix(stack);
    this.domain = props.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix } });
    const cognitoOrigin = this.domain.baseUrl();

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${stack.stackName} web console`,
      defaultRootObject: 'index.html',
      // North America, Europe and Israel edges: the cheapest per-GB class; viewers elsewhere are
      // served from the nearest of those.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(custom
        ? {
            domainNames: [custom.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', custom.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessLevels: [cloudfront.AccessLevel.READ] }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
          comment: 'eCRM console: HSTS, CSP, no framing, no sniffing, no referrer across origins',
          securityHeadersBehavior: {
            strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
            contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(cognitoOrigin), override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
            referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
          },
        }),
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.origins = [...(custom ? [`https://${custom.domainName}`] : []), this.origin];
    // The sign-in comes back to where the deployed console is reached (its own domain, if it has
    // one): the verifier waits in that origin's sessionStorage. The other callback URLs serve
    // other front doors of the same pool (a console run elsewhere writes its own config.json).
    this.redirectUri = custom ? `https://${custom.domainName}/` : `${this.origin}/`;
    const urls = [...new Set([this.redirectUri, `${this.origin}/`, ...props.settings.callbackUrls])];

    // Its own client, not the frontends' SRP one: a browser app holds no secret, so the code grant
    // is protected by PKCE (the console sends an S256 challenge), and the callback URLs pin where
    // a code may be delivered.
    this.client = props.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: urls,
        logoutUrls: urls,
        defaultRedirectUri: this.redirectUri,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The console sends the ID token (it carries `aud`, `cognito:groups`, `custom:customerId`);
      // it signs in again when it expires (no refresh token kept in the browser past its hour).
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(1),
      readAttributes: appClientReadAttributes(),
      writeAttributes: new cognito.ClientAttributes(),
    });

    Validations.of(this.bucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: 'The bucket holds only the built console, read by CloudFront alone (origin access control); server access logs would need a second bucket for requests that are the same public files.' },
    );
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The console serves staff and customers wherever they are; sign-in, not geography, limits access.' },
      { id: 'AwsSolutions-CFR2', reason: 'AWS WAF has a monthly price per web ACL and rule, and the default deployment costs $0 while idle; the distribution serves static files only, and the API throttles its own routes.' },
      { id: 'AwsSolutions-CFR3', reason: 'Standard logs would need a log bucket (or a paid real-time stream) for requests of the same public static files; the API keeps its own access logs.' },
      { id: 'AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate cannot set a minimum TLS version; viewers negotiate TLS 1.2 or 1.3 in practice, and a custom domain with its own certificate can pin TLSv1.2_2021.' },
    );
  }

  /**
   * Uploads the app, then its entry files with the deploy-time config.json. Hashed chunks never
   * change under their name, so browsers and edges keep them for a year; index.html and
   * config.json are revalidated on every visit, so a deployment shows at once without an
   * invalidation. Old chunks are kept (no pruning), so a tab opened before a deployment still
   * loads its lazy screens.
   */
  publish(values: ConsoleConfigValues): void {
    const config = s3deploy.Source.jsonData('config.json', {
      apiUrl: values.apiUrl,
      auth: { kind: 'cognito', domain: this.domain.baseUrl(), clientId: this.client.userPoolClientId, redirectUri: this.redirectUri },
    });
    const assets = new s3deploy.BucketDeployment(this, 'Assets', {
      sources: [this.app],
      destinationBucket: this.bucket,
      exclude: [...CONSOLE_ENTRY_FILES],
      prune: false,
      cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()],
    });
    const entry = new s3deploy.BucketDeployment(this, 'Entry', {
      sources: [this.app, config],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [...CONSOLE_ENTRY_FILES],
      prune: false,
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    // index.html names the chunks: it goes up only once they are there.
    entry.node.addDependency(assets);
    // Both share CDK's one copy function, which runs with the first deployment's AWS CLI layer;
    // the second deployment's copy of that layer would be a resource nothing uses.
    entry.node.tryRemoveChild('AwsCliLayer');
    // CDK's copy function, shared by both deployments (a singleton in the stack).
    const handler = assets.handlerRole.node.scope;
    if (handler) acknowledgeDeploymentHandler(handler, Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket));
  }
}

/**
 * CDK's BucketDeployment function runs only while CloudFormation deploys (it copies the built
 * files from the assets bucket into the console bucket); its code, runtime and grants are CDK's.
 */
function acknowledgeDeploymentHandler(handler: IConstruct, bucketLogicalId: string): void {
  const why = 'CDK\'s BucketDeployment handler (aws-s3-deployment), run by CloudFormation only while it deploys the console';
  Validations.of(handler).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${why}: the managed policy lets it write its own logs, nothing else.` },
    { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: `${why}: CDK's read grant on the assets bucket and the console bucket.` },
    { id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason: `${why}: CDK's read grant on the assets bucket and the console bucket.` },
    { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: `${why}: CDK's read grant on the assets bucket and the console bucket (aws s3 sync lists both).` },
    { id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason: `${why}: CDK's write grant on the console bucket (multipart uploads).` },
    { id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]', reason: `${why}: CDK's write grant on the console bucket.` },
    { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]', reason: `${why}: it reads the zipped build CDK uploaded to the bootstrap assets bucket.` },
    { id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`, reason: `${why}: it writes every file of the console, whose names are content hashes.` },
    { id: 'AwsSolutions-L1', reason: `${why}: CDK pins its runtime with its version of the handler.` },
    { id: 'Serverless-LambdaLatestVersion', reason: `${why}: CDK pins its runtime with its version of the handler.` },
    { id: 'Serverless-LambdaDLQ', reason: `${why}: CloudFormation waits for its answer; a failure fails and rolls back the deployment, there is no event to keep.` },
    { id: 'Serverless-LambdaTracing', reason: `${why}: a trace of a file copy during a deployment would tell nothing its log does not.` },
  );
}

/**
 * The Content-Security-Policy: scripts, styles and images from the console's own origin only,
 * calls to the API and to Cognito's token endpoint, no framing, no plugins.
 *
 * connect-src names API Gateway's regional domain rather than this API's own host: the API's
 * CORS configuration names the distribution, and the distribution's headers policy naming the
 * API would make the two depend on each other, which CloudFormation refuses.
 */
export function contentSecurityPolicy(cognitoOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX} ${cognitoOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * `<stack name>-<8 hex digits of the stack id>`: prefix domains are global per region, so a
 * fixed name would collide with another account's; the stack id's UUID is unique and stable.
 */
function defaultDomainPrefix(stack: Stack): string {
  const name = stack.stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/aws|amazon|cognito/g, 'x').slice(0, 50);
  const uuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return `${name}-${Fn.select(0, Fn.split('-', uuid))}`;
}

/**
 * The built console as a deployment source, bundled at synth the way the functions are
 * (infra/bundling.ts): `buildWeb` (web/build.ts) writes web/dist into the asset's output
 * directory, minified. A synth with bundling off (template tests) skips it.
 */
export function consoleBuild(projectRoot: string): s3deploy.ISource {
  // web/public/config.json (the local one, if any) stays out: the deployment writes the real one.
  const script = [
    'const { buildWeb } = await import(process.argv[1]);',
    "const { rm } = await import('node:fs/promises');",
    'await buildWeb({ outdir: process.argv[2], minify: true });',
    "await rm(process.argv[2] + '/config.json', { force: true });",
  ].join(' ');
  return s3deploy.Source.asset(path.join(projectRoot, 'web'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Used only when local bundling fails to start (never on a machine with the repository's node_modules).
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          const run = spawnSync(process.execPath, ['--input-type=module', '--eval', script, pathToFileURL(path.join(projectRoot, 'web', 'build.ts')).href, outputDir], {
            cwd: projectRoot,
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          if (run.status !== 0) throw new Error(`building the console (web/build.ts) failed with exit code ${run.status ?? run.signal}`);
          return true;
        },
      },
    },
  });
}

import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionName, type RouteDef, routeKey } from '#infra/topology.ts';
import type { StackSettings } from './stack-settings.ts';

export const ACCESS_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * One JSON line per request. Route key and status, never the query string or body: this API
 * carries personal data. `sub` is the opaque Cognito user id, for tracing abuse to an account.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
};

/** Request headers a browser frontend sends besides the CORS-safelisted ones. */
const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'if-match', 'idempotency-key'];
/** Response headers a browser frontend may read. */
const CORS_EXPOSE_HEADERS = ['etag', 'location'];

export interface CrmApiProps {
  readonly routes: readonly Pick<RouteDef, 'method' | 'path' | 'function' | 'access'>[];
  readonly functions: ReadonlyMap<FunctionName, lambda.IFunction>;
  readonly userPool: cognito.IUserPool;
  /** The app clients whose tokens the authorizer accepts (the `aud` of an ID token). */
  readonly appClients: readonly cognito.IUserPoolClient[];
  readonly settings: StackSettings;
  /** Browser origins allowed besides `settings.corsOrigins`: the console's, when it is deployed. */
  readonly extraCorsOrigins?: readonly string[];
}

/**
 * The HTTP API: one route per topology route, one Lambda integration (payload 2.0) per function.
 * Every route requires a valid user-pool JWT unless the topology marks it public; which roles may
 * call it is decided by the handler, because a JWT authorizer can check scopes but not groups.
 *
 * The routes, their integrations and the invoke permissions live in a nested stack (`Routes`):
 * one resource per route would otherwise take a third of the stack's 500 CloudFormation
 * resources. The API, its authorizer and its stage stay in the parent stack; CDK passes their ids
 * and the functions' ARNs to the nested stack as parameters.
 */
export class CrmApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routes: NestedStack;

  constructor(scope: Construct, id: string, props: CrmApiProps) {
    super(scope, id);
    const { settings } = props;
    // '*' already allows every origin (and API Gateway takes it only alone).
    const corsOrigins = settings.corsOrigins.includes('*') ? ['*'] : [...settings.corsOrigins, ...(props.extraCorsOrigins ?? [])];

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', props.userPool, {
      userPoolClients: [...props.appClients],
      identitySource: ['$request.header.Authorization'],
    });

    const methods = [...new Set(props.routes.map((r) => r.method))];
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'eCRM HTTP API',
      createDefaultStage: false,
      // Secure by default: a route is public only when it says so below.
      defaultAuthorizer: authorizer,
      ...(corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: corsOrigins,
              allowMethods: methods.map((m) => apigw.CorsHttpMethod[m]),
              allowHeaders: CORS_ALLOW_HEADERS,
              exposeHeaders: CORS_EXPOSE_HEADERS,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions.get(name);
        if (!fn) throw new Error(`a route targets function "${name}", which the topology does not declare`);
        integration = new HttpLambdaIntegration(`${name}-integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
          // One invoke permission per function for this API (not one per route): with ~110 routes
          // the per-route permissions alone would push the stack towards CloudFormation's 500
          // resources. The API only sends a function the routes declared for it.
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    this.routes = new NestedStack(this, 'Routes', { description: 'eCRM HTTP API routes, their Lambda integrations and invoke permissions' });
    const none = new apigw.HttpNoneAuthorizer();
    for (const route of props.routes) {
      const isPublic = route.access === 'public';
      const created = new apigw.HttpRoute(this.routes, `${route.method}${route.path}`, {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration: integrationFor(route.function),
        // Routes created outside `addRoutes` do not inherit the API's default authorizer: name it.
        authorizer: isPublic ? none : authorizer,
      });
      if (isPublic) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is declared public in infra/topology.ts (it serves no personal data); every other route uses the Cognito JWT authorizer.`,
        });
      }
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: ACCESS_LOG_RETENTION });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // Public routes get their own, lower limits (the stage's default limits apply to each other
    // route): a flood on the forms and links behind no sign-in stays within their sum. The routes
    // live in the nested stack, so the stage waits for them (route settings name existing routes).
    const publicRoutes = props.routes.filter((r) => r.access === 'public');
    if (publicRoutes.length > 0) {
      const stage = this.stage.node.defaultChild as apigw.CfnStage;
      stage.routeSettings = Object.fromEntries(
        publicRoutes.map((r) => [routeKey(r), { ThrottlingRateLimit: settings.publicThrottleRateLimit, ThrottlingBurstLimit: settings.publicThrottleBurstLimit }]),
      );
      this.stage.node.addDependency(this.routes);
    }
  }

  get url(): string {
    return this.stage.url;
  }
}

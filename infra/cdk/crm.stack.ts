import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
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
import { CrmApi } from './crm-api.construct.ts';
import { CrmAuth } from './crm-auth.construct.ts';
import { CrmBus } from './crm-bus.construct.ts';
import { CrmEventRouting, type StreamConsumerDef } from './crm-event-routing.construct.ts';
import { CrmFunction } from './crm-function.construct.ts';
import { CrmTable } from './crm-table.construct.ts';
import { settingsFromContext } from './stack-settings.ts';

/** What the stack realizes. Always infra/topology.ts in the app; tests may extend it. */
export interface Topology {
  readonly functions: Readonly<Record<FunctionName, FunctionDef>>;
  readonly routes: readonly Pick<RouteDef, 'method' | 'path' | 'function' | 'access'>[];
  readonly streamConsumers: readonly StreamConsumerDef[];
  readonly rules: readonly RuleDef[];
  readonly schedules: readonly ScheduleDef[];
}

export const TOPOLOGY: Topology = {
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
}

/**
 * The eCRM on AWS. Environment-agnostic (no account or region, no lookups), so `cdk synth` works
 * offline; only pay-per-use resources, so an idle deployment costs (almost) nothing.
 */
export class CrmStack extends Stack {
  readonly functions: ReadonlyMap<FunctionName, CrmFunction>;

  constructor(scope: Construct, id: string, props: CrmStackProps) {
    super(scope, id, props);
    const topology = props.topology ?? TOPOLOGY;
    const settings = settingsFromContext(this);

    const { table } = new CrmTable(this, 'Data');
    const { bus } = new CrmBus(this, 'Events');
    const auth = new CrmAuth(this, 'Auth');

    const functions = new Map<FunctionName, CrmFunction>();
    for (const [name, definition] of Object.entries(topology.functions) as [FunctionName, FunctionDef][]) {
      functions.set(name, new CrmFunction(this, pascal(name), { name, definition, projectRoot: props.projectRoot, table, bus }));
    }
    this.functions = functions;

    const api = new CrmApi(this, 'Api', {
      routes: topology.routes,
      functions: new Map([...functions].map(([name, fn]) => [name, fn.function])),
      userPool: auth.userPool,
      appClient: auth.appClient,
      settings,
    });

    new CrmEventRouting(this, 'EventRouting', {
      table,
      bus,
      functions,
      streamConsumers: topology.streamConsumers,
      rules: topology.rules,
      schedules: topology.schedules,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.appClient.userPoolClientId, description: 'Audience of the JWT authorizer' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
  }
}

/** outboxPublisher -> OutboxPublisher: readable logical ids and console names. */
function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

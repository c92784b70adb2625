import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, ROUTES } from '#infra/topology.ts';
import { synthCrm } from './crm-app.ts';

// API Gateway's right to invoke the functions: one permission per function, for this API only.
// Per-route permissions (CDK's default) cost one resource per route, and with ~110 routes they
// alone would push the stack to CloudFormation's limit of 500 resources.

const crm = synthCrm();
const fromApi = Object.values(crm.resources('AWS::Lambda::Permission')).filter((p) => p.Properties?.Principal === 'apigateway.amazonaws.com');
const withRoutes = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => ROUTES.some((r) => r.function === name));

describe('API Gateway invoke permissions', () => {
  it('are one per function that has routes, and none for the others', () => {
    const targets = fromApi.map((p) => p.Properties?.FunctionName?.['Fn::GetAtt']?.[0]).sort();
    expect(targets).toEqual(withRoutes.map((name) => crm.functionId(name)).sort());
  });

  it('name this HTTP API as their source (any stage, method and path of it), nothing wider', () => {
    const [apiId] = Object.keys(crm.resources('AWS::ApiGatewayV2::Api'));
    for (const permission of fromApi) {
      const parts = permission.Properties?.SourceArn?.['Fn::Join']?.[1] as unknown[];
      expect(parts).toContainEqual({ Ref: apiId });
      expect(parts.at(-1)).toBe('/*/*/*');
    }
  });

  it("leave the stack well under CloudFormation's 500 resources (past 450, split the stack before adding more)", () => {
    expect(Object.keys(crm.template.toJSON().Resources).length).toBeLessThan(450);
  });
});

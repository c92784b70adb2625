import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, ROUTES } from '#infra/topology.ts';
import { synthCrm } from './crm-app.ts';

// API Gateway's right to invoke the functions: one permission per function, for this API only.
// Per-route permissions (CDK's default) cost one resource per route, and with ~130 routes they
// alone would push a stack to CloudFormation's limit of 500 resources. The routes themselves live
// in a nested stack of their own (infra/cdk/crm-api.construct.ts).

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

  it('live with the routes and integrations in the nested stack, not in the parent', () => {
    const [routes] = [...crm.nestedTemplates.values()];
    expect(Object.keys(crm.template.toJSON().Resources).filter((id) => crm.template.toJSON().Resources[id].Type === 'AWS::ApiGatewayV2::Route')).toEqual([]);
    expect(Object.keys(routes!.findResources('AWS::ApiGatewayV2::Route'))).toHaveLength(ROUTES.length);
    expect(Object.keys(routes!.findResources('AWS::ApiGatewayV2::Integration'))).toHaveLength(withRoutes.length);
    expect(fromApi).toHaveLength(withRoutes.length);
  });

  it("leave every stack well under CloudFormation's 500 resources (past 450, split further before adding more)", () => {
    expect(Object.keys(crm.template.toJSON().Resources).length).toBeLessThan(450);
    for (const [path, nested] of crm.nestedTemplates) expect(Object.keys(nested.toJSON().Resources).length, path).toBeLessThan(450);
  });
});

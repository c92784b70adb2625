import { describe, expect, it } from 'vitest';
import { TOPOLOGY } from '#infra/cdk/crm.stack.ts';
import type { FunctionName } from '#infra/topology.ts';
import { asArray, synthCrm } from './crm-app.ts';

// The link-token keys live in one SSM SecureString parameter: the template names it and never
// holds a key, and only the functions that sign or check link tokens may read it.

const crm = synthCrm();
const tokenFunctions = Object.entries(TOPOLOGY.functions)
  .filter(([, d]) => d.access.tokens === true)
  .map(([name]) => name as FunctionName);
const ssmStatements = (name: FunctionName) => crm.statementsOfRole(crm.roleId(name)).filter((s) => asArray(s.Action).some((a) => a.startsWith('ssm:') || a.startsWith('kms:')));
const environment = (name: FunctionName) => crm.resources('AWS::Lambda::Function')[crm.functionId(name)]?.Properties?.Environment?.Variables ?? {};

describe('token keys', () => {
  it('are read by the functions that sign or check link tokens', () => {
    expect([...tokenFunctions].sort()).toEqual(['campaignSender', 'campaignTrigger', 'campaigns', 'consent', 'csat', 'csatSurveys', 'optInMail']);
  });

  it('reach those functions as a parameter name, with GetParameter (and PutParameter, to create it at the first cold start) on that parameter only', () => {
    for (const name of tokenFunctions) {
      expect(environment(name).TOKEN_KEYS_PARAMETER, name).toBe('/Crm/token-keys');
      expect(ssmStatements(name), name).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: ['ssm:GetParameter', 'ssm:PutParameter'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/Crm/token-keys']] },
        }),
      ]);
    }
  });

  it('are out of reach of every other function', () => {
    for (const name of crm.stack.functions.keys()) {
      if (tokenFunctions.includes(name)) continue;
      expect(ssmStatements(name), name).toEqual([]);
      expect(environment(name), name).not.toHaveProperty('TOKEN_KEYS_PARAMETER');
    }
  });

  it('are nowhere in the template: no secret variable, no secret parameter', () => {
    const json = JSON.stringify(crm.template.toJSON());
    expect(json).not.toContain('TOKEN_SECRET');
    expect(Object.keys((crm.template.toJSON() as { Parameters?: object }).Parameters ?? {})).not.toContain('TokenSecret');
    expect(Object.keys(crm.resources('AWS::SSM::Parameter'))).toEqual([]);
  });
});

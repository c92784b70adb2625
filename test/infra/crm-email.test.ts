import { describe, expect, it } from 'vitest';
import { SES_EVENTS } from '#infra/cdk/crm-email.construct.ts';
import { TOPOLOGY, type Topology } from '#infra/cdk/crm.stack.ts';
import type { FunctionDef, FunctionName } from '#infra/topology.ts';
import { asArray, logicalId, type Synth, synthCrm } from './crm-app.ts';

// Issue 5 seam: the stack owns the SES identity and configuration set as soon as one function of
// the topology has `access.email`, and none at all otherwise. Test topologies, so these hold
// whatever infra/topology.ts declares today.

const MAILER = 'mailer' as FunctionName;
const MAILER_DEF: FunctionDef = {
  entry: 'functions/docs/docs.lambda.ts',
  description: 'test function that sends email',
  access: { table: 'readWrite', email: true },
};

const withoutEmail = (topology: Topology): Topology => ({
  ...topology,
  functions: Object.fromEntries(
    Object.entries(topology.functions).map(([name, def]) => {
      const { email: _email, ...access } = (def as FunctionDef).access;
      return [name, { ...def, access }];
    }),
  ) as Topology['functions'],
});
/** No function sends email, then one (MAILER) does. */
const withMailer = (topology: Topology): Topology => {
  const base = withoutEmail(topology);
  return { ...base, functions: { ...base.functions, [MAILER]: MAILER_DEF } };
};

const EVENT_TYPES = ['send', 'delivery', 'bounce', 'complaint', 'reject', 'open', 'click', 'renderingFailure', 'deliveryDelay'];
/** Without `emailTracking`: no open or click events, so SES adds no pixel and rewrites no link. */
const UNTRACKED = EVENT_TYPES.filter((t) => t !== 'open' && t !== 'click');
const DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
  'Email Opened',
  'Email Clicked',
  'Email Rendering Failed',
  'Email Delivery Delayed',
];

const arn = (service: string, resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, resource]],
});
const sesArn = (kind: 'identity' | 'configuration-set', id: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${kind}/`, { Ref: id }]],
});
const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

function ids(synth: Synth) {
  const email = synth.stack.email;
  if (!email) throw new Error('the stack has no email resources');
  return { identity: logicalId(email.identity), configurationSet: logicalId(email.configurationSet), rule: logicalId(email.forwardingRule) };
}
const sesStatements = (synth: Synth, name: FunctionName) =>
  synth.statementsOfRole(synth.roleId(name)).filter((s) => asArray(s.Action).some((a) => a.toLowerCase().startsWith('ses:')));
const outputs = (synth: Synth) => (synth.template.toJSON().Outputs ?? {}) as Record<string, { Value: unknown }>;

describe('with a function that sends email', () => {
  const crm = synthCrm({ topology: withMailer(TOPOLOGY) });

  it('has one configuration set: reputation metrics, sending on, bounces and complaints suppressed', () => {
    const [id, set] = only(crm.resources('AWS::SES::ConfigurationSet'));
    expect(id).toBe(ids(crm).configurationSet);
    expect(set.Properties).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('publishes exactly the listed sending events to the default event bus, without opens and clicks (no tracking) by default', () => {
    const [, destination] = only(crm.resources('AWS::SES::ConfigurationSetEventDestination'));
    expect(destination.Properties?.ConfigurationSetName).toEqual({ Ref: ids(crm).configurationSet });
    expect(destination.Properties?.EventDestination).toMatchObject({
      Enabled: true,
      EventBridgeDestination: { EventBusArn: arn('events', ':event-bus/default') },
    });
    expect([...destination.Properties?.EventDestination.MatchingEventTypes].sort()).toEqual([...UNTRACKED].sort());
  });

  it('has one identity, the placeholder address by default, using the configuration set unless a send names another', () => {
    const [, identity] = only(crm.resources('AWS::SES::EmailIdentity'));
    expect(identity.Properties).toMatchObject({
      EmailIdentity: 'no-reply@example.com',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: ids(crm).configurationSet } },
    });
    expect(Object.keys(outputs(crm)).filter((k) => k.startsWith('Dkim'))).toEqual([]);
    expect(outputs(crm).EmailIdentity?.Value).toEqual({ Ref: ids(crm).identity });
  });

  it('lets the function send only as the identity and only through the configuration set', () => {
    expect(sesStatements(crm, MAILER)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        // In either order: the minimizePolicies flag sorts resources.
        Resource: expect.toSatisfy((r: unknown[]) => r.length === 2),
      }),
    ]);
    expect(sesStatements(crm, MAILER)[0]!.Resource).toEqual(expect.arrayContaining([sesArn('identity', ids(crm).identity), sesArn('configuration-set', ids(crm).configurationSet)]));
    expect(sesStatements(crm, MAILER).flatMap((s) => asArray(s.Resource))).not.toContain('*');
    expect(sesStatements(crm, MAILER).some((s) => s.Condition !== undefined)).toBe(false);
  });

  it('grants SES to no other function', () => {
    for (const name of crm.stack.functions.keys()) {
      if (name !== MAILER) expect(sesStatements(crm, name), name).toEqual([]);
    }
  });

  it('tells the function its From address and configuration set', () => {
    const variables = crm.resources('AWS::Lambda::Function')[crm.functionId(MAILER)]?.Properties?.Environment.Variables;
    expect(variables).toMatchObject({ EMAIL_FROM: 'no-reply@example.com', SES_CONFIGURATION_SET: { Ref: ids(crm).configurationSet } });
    for (const name of crm.stack.functions.keys()) {
      if (name === MAILER) continue;
      const others = crm.resources('AWS::Lambda::Function')[crm.functionId(name)]?.Properties?.Environment?.Variables ?? {};
      expect(others, name).not.toHaveProperty('EMAIL_FROM');
      expect(others, name).not.toHaveProperty('SES_CONFIGURATION_SET');
    }
  });

  it('forwards the configuration set events (and no one else’s) from the default bus to the crm bus, with a DLQ', () => {
    const rule = crm.resources('AWS::Events::Rule')[ids(crm).rule]?.Properties;
    const [busId] = only(crm.resources('AWS::Events::EventBus'));
    expect(rule?.EventBusName).toBe('default');
    expect(rule?.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': DETAIL_TYPES.filter((d) => d !== 'Email Opened' && d !== 'Email Clicked'),
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: ids(crm).configurationSet }] } } },
    });
    expect(rule?.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [busId, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      }),
    ]);
    const roleId = rule?.Targets[0].RoleArn['Fn::GetAtt'][0] as string;
    expect(crm.statementsOfRole(roleId)).toEqual([expect.objectContaining({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } })]);
  });

  it("sends Cognito's sign-in mail from the identity through the configuration set", () => {
    const [, pool] = only(crm.resources('AWS::Cognito::UserPool'));
    expect(pool.Properties?.EmailConfiguration).toEqual({
      EmailSendingAccount: 'DEVELOPER',
      From: 'no-reply@example.com',
      SourceArn: arn('ses', ':identity/no-reply@example.com'),
      ConfigurationSet: { Ref: ids(crm).configurationSet },
    });
  });

  it('forwards a detail-type for every event the configuration set publishes', () => {
    expect(SES_EVENTS.map((e) => e.event as string)).toEqual(EVENT_TYPES);
    expect(SES_EVENTS.map((e) => e.detailType as string)).toEqual(DETAIL_TYPES);
  });
});

describe('email deploy-time context', () => {
  const topology = withMailer(TOPOLOGY);

  it('emailTracking=true: opens and clicks are published (and forwarded) too; anything but true or false fails the synth', () => {
    const crm = synthCrm({ topology, context: { emailTracking: 'true' } });
    const [, destination] = only(crm.resources('AWS::SES::ConfigurationSetEventDestination'));
    expect([...destination.Properties?.EventDestination.MatchingEventTypes].sort()).toEqual([...EVENT_TYPES].sort());
    expect(crm.resources('AWS::Events::Rule')[ids(crm).rule]?.Properties?.EventPattern['detail-type']).toEqual(DETAIL_TYPES);
    const off = synthCrm({ topology, context: { emailTracking: false } });
    expect([...only(off.resources('AWS::SES::ConfigurationSetEventDestination'))[1].Properties?.EventDestination.MatchingEventTypes].sort()).toEqual([...UNTRACKED].sort());
    expect(() => synthCrm({ topology, context: { emailTracking: 'yes' } })).toThrow(/emailTracking/);
  });

  it('emailDomain: a domain identity, no-reply@ that domain, and its three DKIM CNAMEs as outputs', () => {
    const crm = synthCrm({ topology, context: { emailDomain: 'Mail.Example.org' } });
    const [, identity] = only(crm.resources('AWS::SES::EmailIdentity'));
    expect(identity.Properties?.EmailIdentity).toBe('mail.example.org');
    const variables = crm.resources('AWS::Lambda::Function')[crm.functionId(MAILER)]?.Properties?.Environment.Variables;
    expect(variables.EMAIL_FROM).toBe('no-reply@mail.example.org');
    expect(only(crm.resources('AWS::Cognito::UserPool'))[1].Properties?.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: 'no-reply@mail.example.org',
      SourceArn: arn('ses', ':identity/mail.example.org'),
    });
    for (const n of [1, 2, 3]) {
      expect(outputs(crm)[`DkimRecord${n}`]?.Value).toEqual({
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [ids(crm).identity, `DkimDNSTokenName${n}`] }, ' CNAME ', { 'Fn::GetAtt': [ids(crm).identity, `DkimDNSTokenValue${n}`] }],
        ],
      });
    }
    expect(outputs(crm).EmailIdentity?.Value).toEqual({ Ref: ids(crm).identity });
  });

  it('emailDomain with emailFromAddress: the address is the From, the domain stays the identity', () => {
    const crm = synthCrm({ topology, context: { emailDomain: 'example.org', emailFromAddress: 'crm@example.org' } });
    expect(only(crm.resources('AWS::SES::EmailIdentity'))[1].Properties?.EmailIdentity).toBe('example.org');
    expect(crm.resources('AWS::Lambda::Function')[crm.functionId(MAILER)]?.Properties?.Environment.Variables.EMAIL_FROM).toBe('crm@example.org');
  });

  it('emailFromAddress alone: that one address is the identity and the From', () => {
    const crm = synthCrm({ topology, context: { emailFromAddress: 'crm@shop.example.net' } });
    expect(only(crm.resources('AWS::SES::EmailIdentity'))[1].Properties?.EmailIdentity).toBe('crm@shop.example.net');
    expect(crm.resources('AWS::Lambda::Function')[crm.functionId(MAILER)]?.Properties?.Environment.Variables.EMAIL_FROM).toBe('crm@shop.example.net');
    expect(Object.keys(outputs(crm)).filter((k) => k.startsWith('Dkim'))).toEqual([]);
  });

  it('refuses a malformed domain or address, and a From address outside the domain identity', () => {
    expect(() => synthCrm({ topology, context: { emailDomain: 'https://example.org' } })).toThrow(/emailDomain/);
    expect(() => synthCrm({ topology, context: { emailFromAddress: 'CRM <crm@example.org>' } })).toThrow(/emailFromAddress/);
    expect(() => synthCrm({ topology, context: { emailFromAddress: 'example.org' } })).toThrow(/emailFromAddress/);
    expect(() => synthCrm({ topology, context: { emailDomain: 'example.org', emailFromAddress: 'crm@other.example' } })).toThrow(
      /not in emailDomain/,
    );
  });
});

describe('without a function that sends email', () => {
  const crm = synthCrm({ topology: withoutEmail(TOPOLOGY) });
  const types = () => Object.values(crm.template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);

  it('creates no SES resource, no forwarding rule and no email outputs', () => {
    expect(crm.stack.email).toBeUndefined();
    expect(types().filter((t) => t.startsWith('AWS::SES::'))).toEqual([]);
    expect(Object.values(crm.resources('AWS::Events::Rule')).filter((r) => r.Properties?.EventBusName === 'default')).toEqual([]);
    expect(Object.keys(outputs(crm)).filter((k) => /^(Email|Dkim)/.test(k))).toEqual([]);
    // Cognito keeps its own mailer then.
    expect(only(crm.resources('AWS::Cognito::UserPool'))[1].Properties?.EmailConfiguration).toBeUndefined();
  });

  it('grants no SES action and sets no email variable', () => {
    for (const name of crm.stack.functions.keys()) {
      expect(sesStatements(crm, name), name).toEqual([]);
      expect(crm.resources('AWS::Lambda::Function')[crm.functionId(name)]?.Properties?.Environment?.Variables ?? {}, name).not.toHaveProperty('EMAIL_FROM');
    }
  });
});

describe('infra/topology.ts as it stands', () => {
  const crm = synthCrm();
  const sends = Object.values(TOPOLOGY.functions).some((d) => (d as FunctionDef).access.email === true);

  it(`has SES resources exactly when one of its functions sends email (now: ${sends ? 'one does' : 'none does'})`, () => {
    expect(crm.stack.email !== undefined).toBe(sends);
    expect(Object.keys(crm.resources('AWS::SES::ConfigurationSet'))).toHaveLength(sends ? 1 : 0);
    expect(Object.keys(crm.resources('AWS::SES::EmailIdentity'))).toHaveLength(sends ? 1 : 0);
  });
});

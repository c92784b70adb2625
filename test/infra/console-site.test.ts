import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalId, synthCrm } from './crm-app.ts';

// The console on AWS (infra/cdk/console-site.construct.ts): a private bucket behind CloudFront,
// its Cognito sign-in, and what the API learns about it. Three synths (bundling off) share the file.

const one = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

describe('the console site', () => {
  const crm = synthCrm();
  const site = crm.stack.console!;
  const [distributionId, distribution] = one(crm.resources('AWS::CloudFront::Distribution'));
  const config = distribution.Properties!.DistributionConfig;
  const distributionDomain = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
  const consoleUrl = { 'Fn::Join': ['', ['https://', distributionDomain, '/']] };

  it('keeps the bucket private: public access blocked, SSE-S3, TLS required, readable by this distribution only', () => {
    const bucketId = logicalId(site.bucket);
    crm.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policy = Object.values(crm.resources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: bucketId }))!;
    const statements = policy.Properties!.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: string; Condition?: Record<string, any> }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([expect.objectContaining({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' })]);
    expect(JSON.stringify(allows[0]!.Condition!.StringEquals['AWS:SourceArn'])).toContain(`{"Ref":"${distributionId}"}`);
  });

  it('serves it through CloudFront with origin access control, HTTPS only, index.html at the root, the cheapest price class and no WAF', () => {
    const [oacId, oac] = one(crm.resources('AWS::CloudFront::OriginAccessControl'));
    expect(oac.Properties!.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    expect(config.Origins).toEqual([expect.objectContaining({ OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } })]);
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true });
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', PriceClass: 'PriceClass_100' });
    expect(config.WebACLId).toBeUndefined();
  });

  it('adds the security headers: HSTS, a CSP fit for the app, no framing, no sniffing, a strict referrer policy', () => {
    const [policyId, policy] = one(crm.resources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const headers = policy.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    const csp = crm.stack.resolve(headers.ContentSecurityPolicy.ContentSecurityPolicy) as { 'Fn::Join': [string, unknown[]] };
    const text = csp['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `{${JSON.stringify(part)}}`)).join('');
    const directives = Object.fromEntries(text.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    const domainId = logicalId(site.domain);
    expect(directives['connect-src']).toEqual([
      "'self'",
      'https://*.execute-api.{{"Ref":"AWS::Region"}}.{{"Ref":"AWS::URLSuffix"}}',
      `https://{{"Ref":"${domainId}"}}.auth.{{"Ref":"AWS::Region"}}.amazoncognito.com`,
    ]);
  });

  it('gives the console a Cognito app client for the code grant (PKCE, no secret) that calls back to the CloudFront URL only', () => {
    const client = crm.resources('AWS::Cognito::UserPoolClient')[logicalId(site.client)]!.Properties!;
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
      DefaultRedirectURI: consoleUrl,
      WriteAttributes: [],
    });
    // The ID token must carry what functions/shared/auth.ts reads.
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:customerId', 'custom:accountId']));
    expect(client.ExplicitAuthFlows ?? []).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    // The hosted UI domain: a prefix derived from the stack name and the stack id's UUID.
    const [, domain] = one(crm.resources('AWS::Cognito::UserPoolDomain'));
    expect(JSON.stringify(domain.Properties!.Domain)).toMatch(/^\{"Fn::Join":\["",\["crm-",\{"Fn::Select":\[0,\{"Fn::Split":\["-",\{"Fn::Select":\[2,\{"Fn::Split":\["\/",\{"Ref":"AWS::StackId"\}/);
  });

  it("lets the API accept the console client's tokens and its origin's requests", () => {
    const [, authorizer] = one(crm.resources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer.Properties!.JwtConfiguration.Audience).toEqual([{ Ref: logicalId(crm.stack.node.findChild('Auth').node.findChild('UserPool').node.findChild('FrontendClient')) }, { Ref: logicalId(site.client) }]);
    crm.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [{ 'Fn::Join': ['', ['https://', distributionDomain]] }], AllowHeaders: Match.arrayWith(['authorization', 'if-match']) }),
    });
  });

  it('uploads the built app with immutable caching, then index.html and a deploy-time config.json that is revalidated on every visit', () => {
    const deployments = Object.entries(crm.resources('Custom::CDKBucketDeployment'));
    const [assetsId, assets] = deployments.find(([id]) => id.startsWith('ConsoleAssets'))!;
    const [, entry] = deployments.find(([id]) => id.startsWith('ConsoleEntry'))!;
    expect(deployments).toHaveLength(2);
    expect(assets.Properties).toMatchObject({ Prune: false, Exclude: ['index.html', 'config.json'], SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(entry.Properties).toMatchObject({ Prune: false, Exclude: ['*'], Include: ['index.html', 'config.json'], SystemMetadata: { 'cache-control': 'no-cache' } });
    // The same build in both, plus config.json's values, which exist only once deployed.
    expect(entry.Properties!.SourceObjectKeys[0]).toBe(assets.Properties!.SourceObjectKeys[0]);
    const markers = Object.values(entry.Properties!.SourceMarkers[1] as Record<string, unknown>);
    expect(markers).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [logicalId(crm.stack.node.findChild('Api').node.findChild('HttpApi')), 'ApiEndpoint'] },
        { Ref: logicalId(site.domain) },
        { Ref: logicalId(site.client) },
        distributionDomain,
      ]),
    );
    expect((crm.template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> }).Resources[deployments.find(([id]) => id.startsWith('ConsoleEntry'))![0]]!.DependsOn).toContain(assetsId);
    // One copy function and one AWS CLI layer for both (the function runs only while deploying).
    expect(Object.keys(crm.resources('AWS::Lambda::LayerVersion'))).toHaveLength(1);
    expect(Object.values(crm.resources('AWS::Lambda::Function')).filter((f) => JSON.stringify(f.Properties!.Layers ?? []).includes('AwsCliLayer'))).toHaveLength(1);
  });

  it('writes config.json in the shape web/src/config.ts reads, its values filled in at deploy time', () => {
    const [, entry] = Object.entries(crm.resources('Custom::CDKBucketDeployment')).find(([id]) => id.startsWith('ConsoleEntry'))!;
    // Source.jsonData stages the file with markers; the deployment swaps them for SourceMarkers' values.
    const hash = String(entry.Properties!.SourceObjectKeys[1]).replace(/\.zip$/, '');
    const staged = readFileSync(path.join((crm.stack.node.root as App).outdir, `asset.${hash}`, 'config.json'), 'utf8');
    const markers = entry.Properties!.SourceMarkers[1] as Record<string, unknown>;
    const filled = JSON.parse(staged, (_, value: unknown) => (typeof value === 'string' && value in markers ? markers[value] : value));
    const deployed = JSON.parse(
      JSON.stringify(filled).replace(/"([^"]*<<marker:0xbaba:\d+>>[^"]*)"/g, (_, text: string) => JSON.stringify(text.replace(/<<marker:0xbaba:\d+>>/g, (m) => `{${JSON.stringify(markers[m])}}`))),
    );
    const domainId = logicalId(site.domain);
    expect(deployed).toEqual({
      apiUrl: { 'Fn::GetAtt': [logicalId(crm.stack.node.findChild('Api').node.findChild('HttpApi')), 'ApiEndpoint'] },
      auth: {
        kind: 'cognito',
        domain: `https://{{"Ref":"${domainId}"}}.auth.{{"Ref":"AWS::Region"}}.amazoncognito.com`,
        clientId: { Ref: logicalId(site.client) },
        redirectUri: `https://{{"Fn::GetAtt":["${distributionId}","DomainName"]}}/`,
      },
    });
  });

  it('outputs the console URL and its sign-in pieces', () => {
    const outputs = crm.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ConsoleUrl!.Value).toEqual(consoleUrl);
    expect(outputs.ConsoleClientId!.Value).toEqual({ Ref: logicalId(site.client) });
    expect(outputs.ConsoleSignInDomain).toBeDefined();
  });
});

describe('the console site with deploy-time context', () => {
  it('takes the hosted UI prefix, its own domain with its certificate, and more callback URLs from the context', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000001';
    const crm = synthCrm({
      context: { authDomainPrefix: 'acme-crm', consoleDomainName: 'crm.example.com', consoleCertificateArn: certificateArn, consoleCallbackUrls: 'http://localhost:3000/', corsOrigins: 'https://app.example.com' },
    });
    const site = crm.stack.console!;
    crm.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-crm' });
    const cloudFrontUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(site.distribution), 'DomainName'] }, '/']] };
    const client = crm.resources('AWS::Cognito::UserPoolClient')[logicalId(site.client)]!.Properties!;
    expect(client.CallbackURLs).toEqual(['https://crm.example.com/', cloudFrontUrl, 'http://localhost:3000/']);
    expect(client.LogoutURLs).toEqual(client.CallbackURLs);
    // The deployed console signs in on its own domain.
    expect(client.DefaultRedirectURI).toBe('https://crm.example.com/');
    expect(site.redirectUri).toBe('https://crm.example.com/');
    const config = crm.resources('AWS::CloudFront::Distribution')[logicalId(site.distribution)]!.Properties!.DistributionConfig;
    expect(config.Aliases).toEqual(['crm.example.com']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    crm.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com', 'https://crm.example.com', { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(site.distribution), 'DomainName'] }]] }] }),
    });
  });

  it.each([
    [{ authDomainPrefix: 'my-aws-login' }, /authDomainPrefix/],
    [{ authDomainPrefix: 'Acme' }, /authDomainPrefix/],
    [{ consoleCallbackUrls: 'http://crm.example.com/' }, /consoleCallbackUrls/],
    [{ consoleCallbackUrls: 'https://crm.example.com' }, /consoleCallbackUrls/],
    [{ console: 'maybe' }, /console: expected true or false/],
    [{ consoleDomainName: 'crm.example.com' }, /go together/],
    [{ consoleDomainName: 'crm.example.com', consoleCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c' }, /us-east-1/],
  ])('refuses %j at synth', (context, message) => {
    expect(() => synthCrm({ context })).toThrow(message);
  });

  it('deploys no console with -c console=false: no bucket, distribution, copy function, hosted UI or extra client, and no CORS', () => {
    const crm = synthCrm({ context: { console: 'false' } });
    expect(crm.stack.console).toBeUndefined();
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::CloudFront::ResponseHeadersPolicy', 'Custom::CDKBucketDeployment', 'AWS::Lambda::LayerVersion', 'AWS::Cognito::UserPoolDomain']) {
      expect(crm.resources(type), type).toEqual({});
    }
    expect(Object.keys(crm.resources('AWS::Cognito::UserPoolClient'))).toHaveLength(1);
    // No custom resource at all then: the stack has no other.
    expect(Object.values(crm.template.toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
    const [, api] = one(crm.resources('AWS::ApiGatewayV2::Api'));
    expect(api.Properties!.CorsConfiguration).toBeUndefined();
    expect((crm.template.toJSON() as { Outputs: Record<string, unknown> }).Outputs.ConsoleUrl).toBeUndefined();
    // What the console costs in CloudFormation resources (the parent stack's limit is 500; README "The console on AWS").
    const count = (s: typeof crm) => Object.keys((s.template.toJSON() as { Resources: object }).Resources).length;
    expect(count(synthCrm()) - count(crm)).toBe(14);
  });
});

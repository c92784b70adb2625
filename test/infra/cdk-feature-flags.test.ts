import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildApp, CDK_JSON_CONTEXT } from '#infra/cdk/build-app.ts';

// aws-cdk-lib ships the feature flags it recommends for new projects; an upgrade adds new ones.
// cdk.json must carry every one of them at the recommended value, and test synths must see them.
const recommended: Record<string, unknown> = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));

describe('CDK feature flags', () => {
  it('cdk.json sets every flag aws-cdk-lib recommends, at the recommended value', () => {
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    const missingOrDifferent = Object.entries(recommended)
      .filter(([flag, value]) => JSON.stringify(CDK_JSON_CONTEXT[flag]) !== JSON.stringify(value))
      .map(([flag]) => flag);
    expect(missingOrDifferent).toEqual([]);
  });

  it('an app built outside the CLI (tests, scripts) sees them', () => {
    const { app } = buildApp({ bundling: false, nag: false });
    for (const [flag, value] of Object.entries(recommended)) expect(app.node.tryGetContext(flag), flag).toEqual(value);
  });
});

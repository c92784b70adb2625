import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { settingsFromContext } from '#infra/cdk/stack-settings.ts';

// `-c usagePrices` (issue 14): checked at synth with the schema the docs function parses USAGE_PRICES with.
const settings = (context: Record<string, unknown>) => settingsFromContext(new App({ context }));

describe('the usagePrices setting', () => {
  it('is absent by default and passes a valid subset through as JSON', () => {
    expect(settings({}).usagePrices).toBeUndefined();
    expect(JSON.parse(settings({ usagePrices: '{"region":"eu-west-1"}' }).usagePrices!)).toEqual({ region: 'eu-west-1' });
    expect(JSON.parse(settings({ usagePrices: { sesEmailsPerThousand: 0.12 } }).usagePrices!)).toEqual({ sesEmailsPerThousand: 0.12 });
  });

  it('fails the synth on an unknown key or a negative price', () => {
    expect(() => settings({ usagePrices: '{"lambdaPrice":1}' })).toThrow(/usagePrices/);
    expect(() => settings({ usagePrices: '{"sesEmailsPerThousand":-0.1}' })).toThrow(/usagePrices/);
  });
});

import { describe, expect, it } from 'vitest';
import { analyticsConfig } from '../../functions/analytics/analytics.config.ts';
import { busConfig, cubeConfig, emailConfig, warehouseConfig } from '../../functions/shared/config.ts';
import { ARN, optionalEnv, requiredEnv } from '../../functions/shared/env.ts';

// The composition roots' environment checks (by hand, so no cold start reaches zod): a missing or
// malformed variable fails the init with its name and rule, never its value.

describe('requiredEnv and optionalEnv', () => {
  it('answer a value that follows the rule', () => {
    expect(requiredEnv({ A: 'arn:aws:sqs:eu-west-1:123456789012:dlq' }, 'A', ARN)).toBe('arn:aws:sqs:eu-west-1:123456789012:dlq');
    expect(optionalEnv({ A: 'EUR' }, 'A', { pattern: /^[A-Z]{3}$/, expected: 'a currency' })).toBe('EUR');
  });

  it('name the variable and the rule, not the value', () => {
    expect(() => requiredEnv({}, 'QUEUE_ARN', ARN)).toThrow('QUEUE_ARN: expected an ARN, got nothing');
    expect(() => requiredEnv({ QUEUE_ARN: 'secret-ish' }, 'QUEUE_ARN', ARN)).toThrow(/^QUEUE_ARN: expected an ARN$/);
    expect(() => requiredEnv({ N: 'ab' }, 'N', { minLength: 3, expected: 'three or more' })).toThrow('N: expected three or more');
    expect(() => requiredEnv({ N: 'abcd' }, 'N', { maxLength: 3, expected: 'three at most' })).toThrow('N: expected three at most');
  });

  it('treat unset and empty alike', () => {
    expect(optionalEnv({}, 'A', ARN)).toBeUndefined();
    expect(optionalEnv({ A: '' }, 'A', ARN)).toBeUndefined();
    expect(() => requiredEnv({ A: '' }, 'A', ARN)).toThrow('got nothing');
  });
});

describe('the configurations built on them', () => {
  it('email: the sender and the optional configuration set', () => {
    expect(emailConfig({ EMAIL_FROM: 'crm@example.com' })).toEqual({ from: 'crm@example.com' });
    expect(emailConfig({ EMAIL_FROM: 'crm@example.com', SES_CONFIGURATION_SET: 'crm' })).toEqual({ from: 'crm@example.com', configurationSet: 'crm' });
    expect(() => emailConfig({})).toThrow('EMAIL_FROM');
  });

  it('bus, warehouse, cube and the analytics currency', () => {
    expect(busConfig({ EVENT_BUS_NAME: 'crm' })).toEqual({ busName: 'crm' });
    expect(() => busConfig({})).toThrow('EVENT_BUS_NAME');
    expect(warehouseConfig({ ANALYTICS_BUCKET: 'crm-analytics' })).toEqual({ bucket: 'crm-analytics', prefix: '' });
    expect(warehouseConfig({ ANALYTICS_BUCKET: 'crm-analytics', WAREHOUSE_PREFIX: 'tables/' })).toEqual({ bucket: 'crm-analytics', prefix: 'tables/' });
    expect(() => warehouseConfig({ ANALYTICS_BUCKET: 'Not_A_Bucket' })).toThrow('ANALYTICS_BUCKET');
    expect(() => warehouseConfig({ ANALYTICS_BUCKET: 'crm-analytics', WAREHOUSE_PREFIX: 'tables' })).toThrow('WAREHOUSE_PREFIX');
    expect(cubeConfig({ ATHENA_WORKGROUP: 'crm', ANALYTICS_DATABASE: 'crm_db' })).toEqual({ workGroup: 'crm', database: 'crm_db' });
    expect(() => cubeConfig({ ATHENA_WORKGROUP: 'x'.repeat(129), ANALYTICS_DATABASE: 'crm_db' })).toThrow('ATHENA_WORKGROUP');
    expect(() => cubeConfig({ ATHENA_WORKGROUP: 'crm', ANALYTICS_DATABASE: 'Crm-DB' })).toThrow('ANALYTICS_DATABASE');
    expect(analyticsConfig({})).toEqual({ currency: 'EUR' });
    expect(analyticsConfig({ ANALYTICS_CURRENCY: 'USD' })).toEqual({ currency: 'USD' });
    expect(() => analyticsConfig({ ANALYTICS_CURRENCY: 'usd' })).toThrow('ANALYTICS_CURRENCY');
  });
});

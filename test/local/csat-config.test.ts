import { describe, expect, it } from 'vitest';
import { csatConfig } from '../../functions/surveys/csat.config.ts';

// CSAT_DELAY_SECONDS: csatSurveys's env on AWS (set from -c csatDelaySeconds) and `npm start`'s locally.

describe('csatConfig', () => {
  it('waits an hour unless told otherwise', () => {
    expect(csatConfig({})).toEqual({ delaySeconds: 3600 });
    expect(csatConfig({ CSAT_DELAY_SECONDS: '7200' })).toEqual({ delaySeconds: 7200 });
    expect(csatConfig({ CSAT_DELAY_SECONDS: '0' })).toEqual({ delaySeconds: 0 });
  });

  it.each(['-1', '1.5', 'soon', '2592001'])('refuses %s at cold start', (value) => {
    expect(() => csatConfig({ CSAT_DELAY_SECONDS: value })).toThrow();
  });
});

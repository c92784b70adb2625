import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LocalBus, startLocalBus } from '../../infra/local/local-bus.ts';

// The local bus's delivery semantics: a target that fails is retried until it takes the event
// (as Lambda retries an asynchronous event and a DLQ then keeps it), not dropped after three tries.

let bus: LocalBus | undefined;
afterEach(async () => {
  await bus?.stop();
  bus = undefined;
});

async function put(endpoint: string, detailType: string) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Entries: [{ Source: 'crm.test', DetailType: detailType, Detail: '{}', EventBusName: 'crm' }] }),
  });
  return (await response.json()) as { FailedEntryCount: number };
}

describe('local bus delivery', () => {
  it('retries a failing target beyond three attempts until it takes the event, and delivers it once', async () => {
    let calls = 0;
    let taken = 0;
    bus = await startLocalBus({
      busName: 'crm',
      rules: [
        {
          name: 'flaky',
          pattern: { source: ['crm.test'] },
          deliver: async () => {
            calls++;
            if (calls <= 4) throw new Error('SES is down');
            taken++;
          },
        },
      ],
    });
    expect((await put(bus.endpoint, 'Thing')).FailedEntryCount).toBe(0);
    await bus.idle();
    expect(calls).toBe(5);
    expect(taken).toBe(1);
  });

  it('gives an event up (dead-letter) only once it is older than the maximum event age', async () => {
    let calls = 0;
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      bus = await startLocalBus({
        busName: 'crm',
        maxEventAgeMs: 0,
        rules: [
          {
            name: 'broken',
            pattern: { source: ['crm.test'] },
            deliver: async () => {
              calls++;
              throw new Error('always');
            },
          },
        ],
      });
      await put(bus.endpoint, 'Thing');
      await bus.idle();
      expect(String(errorLog.mock.calls[0]?.[0])).toContain('dead-letter');
    } finally {
      errorLog.mockRestore();
    }
    expect(calls).toBe(1);
  });
});

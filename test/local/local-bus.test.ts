import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LocalRule, startLocalBus } from '../../infra/local/local-bus.ts';

// The local bus with a journal (CRM_DATA_DIR): an event PutEvents accepted reaches its target
// even when the process dies before the target had it.

type Event = EventBridgeEvent<string, unknown>;
const dirs: string[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journalDir() {
  const dir = mkdtempSync(join(tmpdir(), 'bus-journal-'));
  dirs.push(dir);
  return dir;
}

async function bus(dir: string, deliver: LocalRule['deliver'], maxEventAgeMs?: number) {
  const started = await startLocalBus({ busName: 'crm', journalDir: dir, ...(maxEventAgeMs === undefined ? {} : { maxEventAgeMs }), rules: [{ name: 'escalation', pattern: { source: ['crm.cases'] }, deliver }] });
  stops.push(() => started.stop());
  return started;
}

async function put(endpoint: string, detail: unknown) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Entries: [{ Source: 'crm.cases', DetailType: 'CaseSlaBreached', Detail: JSON.stringify(detail), EventBusName: 'crm' }] }),
  });
  return (await res.json()) as { FailedEntryCount: number; Entries: { EventId: string }[] };
}

describe('local bus journal', () => {
  it('delivers after a restart what was accepted but not delivered when the process died', async () => {
    const dir = journalDir();
    const first = await bus(dir, () => new Promise(() => undefined)); // the target never answers: the process "dies" first
    const accepted = await put(first.endpoint, { caseId: 'c-1' });
    expect(accepted.FailedEntryCount).toBe(0);

    const received: Event[] = [];
    const second = await bus(dir, async (event) => void received.push(event));
    expect(second.resumePending()).toBe(1);
    await second.idle();
    expect(received.map((e) => [e.id, e.detail])).toEqual([[accepted.Entries[0]!.EventId, { caseId: 'c-1' }]]);
    expect(second.resumePending()).toBe(0); // delivered once, then forgotten
  });

  it('keeps nothing once the target has the event', async () => {
    const dir = journalDir();
    const running = await bus(dir, async () => undefined);
    await put(running.endpoint, { caseId: 'c-2' });
    await running.idle();
    expect(readdirSync(join(dir, 'pending'))).toEqual([]);
  });

  it('moves a delivery that failed every attempt to the dead-letter folder, not back into the queue', async () => {
    const dir = journalDir();
    const failing = await bus(dir, async () => {
      throw new Error('target down');
    }, 0);
    await put(failing.endpoint, { caseId: 'c-3' });
    await failing.idle();
    expect(readdirSync(join(dir, 'pending'))).toEqual([]);
    expect(readdirSync(join(dir, 'dead-letter'))).toHaveLength(1);
  });

  it('refuses to start with a rule whose pattern EventBridge would refuse, naming the rule', async () => {
    await expect(startLocalBus({ busName: 'crm', rules: [{ name: 'broken', pattern: { source: [] }, deliver: async () => undefined }] })).rejects.toThrow(
      /Rule broken: Invalid event pattern at "source": empty arrays/,
    );
  });
});

// The delivery retries: a target that fails is retried until it takes the event (as Lambda
// retries an asynchronous event and a DLQ then keeps it), not dropped after three tries.

async function putThing(endpoint: string) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Entries: [{ Source: 'crm.test', DetailType: 'Thing', Detail: '{}', EventBusName: 'crm' }] }),
  });
  return (await response.json()) as { FailedEntryCount: number };
}

describe('local bus delivery', () => {
  it('retries a failing target beyond three attempts until it takes the event, and delivers it once', async () => {
    let calls = 0;
    let taken = 0;
    const bus = await startLocalBus({
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
    stops.push(() => bus.stop());
    expect((await putThing(bus.endpoint)).FailedEntryCount).toBe(0);
    await bus.idle();
    expect(calls).toBe(5);
    expect(taken).toBe(1);
  });

  it('gives an event up (dead-letter) only once it is older than the maximum event age', async () => {
    let calls = 0;
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const bus = await startLocalBus({
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
      stops.push(() => bus.stop());
      await putThing(bus.endpoint);
      await bus.idle();
      expect(String(errorLog.mock.calls[0]?.[0])).toContain('dead-letter');
    } finally {
      errorLog.mockRestore();
    }
    expect(calls).toBe(1);
  });
});

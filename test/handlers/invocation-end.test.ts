import { describe, expect, it, vi } from 'vitest';
import { type InvocationSummary, invocationEnded, onInvocationEnd } from '#functions/shared/invocation-end.ts';

const summary: InvocationSummary = { context: 'cases', kind: 'http', name: 'GET /cases/{id}', outcome: '200', durationMs: 12 };

describe('invocationEnded', () => {
  it('hands each summary to every listener, and one that throws does not stop the others', () => {
    const seen: InvocationSummary[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onInvocationEnd(() => {
      throw new Error('boom');
    });
    onInvocationEnd((s) => seen.push(s));
    invocationEnded(summary);
    expect(seen).toEqual([summary]);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});

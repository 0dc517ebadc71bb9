import { describe, expect, it, vi } from 'vitest';

describe('request state', () => {
  it('is shared by two loaded copies', async () => {
    const first = await import('../src/request-state.js');
    vi.resetModules();
    const second = await import('../src/request-state.js');
    expect(second.readState).not.toBe(first.readState);

    const request = {};
    const state = { user: null, verifier: { authEnabled: true, verifyToken: vi.fn() }, render: {} };
    first.writeState(request, state);
    expect(second.readState(request)).toBe(state);
    expect(Object.getOwnPropertySymbols(request)).toEqual([]);
  });
});

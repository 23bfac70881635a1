// When a scan's probes may go out before the bridge's clock call (src/gather/bridge.ts).
import { strict as assert } from 'node:assert';
import { bridgeClockSettled } from '../../../src/gather/bridge.js';
import { UNCORRECTED_SKEW_SECONDS } from '../../../src/bridge/index.js';

const at = (skewMs: number | null) => ({ localMs: 1_700_000_000_000, serverMs: skewMs === null ? null : 1_700_000_000_000 + skewMs, skewMs });

describe('gather: bridgeClockSettled (probes need not wait for the bridge clock)', () => {
  it('a Date header within a few minutes of our clock: the clock call cannot change a signature', () => {
    for (const s of [0, 900, -900, 60_000, -120_000, 240_000, -240_000]) assert.equal(bridgeClockSettled(at(s)), true, String(s));
  });
  it('near or past the point where signatures are corrected: the clock is read first', () => {
    const limit = UNCORRECTED_SKEW_SECONDS * 1000;
    for (const s of [limit, -limit, limit - 20_000, 241_000, -241_000, 3_600_000]) assert.equal(bridgeClockSettled(at(s)), false, String(s));
  });
  it('no Date header (no clock reading): the clock is read first', () => {
    assert.equal(bridgeClockSettled(null), false);
    assert.equal(bridgeClockSettled(at(null)), false);
  });
});

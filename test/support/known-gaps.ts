// Known gaps: scenarios where today's wp401 does not report what a correct
// scan reports. They are listed, one row each, in
// fixtures/scenarios/KNOWN-GAPS.md; a scan test whose expectation fails
// there is reported as skipped with "known gap: <id>" in its title, never
// weakened to pass. A listed gap that no longer reproduces fails the test,
// so the list only ever shrinks by being fixed.
import { strict as assert, AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';

export type ScanMode = 'black-box' | 'bridge';

export interface KnownGap {
  id: string;
  scenario: string;
  mode: ScanMode;
}

/** Rows of the tables in KNOWN-GAPS.md: | `id` | `scenario` | mode | correct | now | */
export function knownGaps(): KnownGap[] {
  const text = readFileSync(join(REPO, 'fixtures', 'scenarios', 'KNOWN-GAPS.md'), 'utf8');
  const out: KnownGap[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // "| `id` | `scenario` | mode | …": cells[0] is the text before the first bar.
    const [id, scenario, mode] = [cells[1], cells[2], cells[3]].map((c) => c?.replace(/^`|`$/g, ''));
    if (!id || !scenario || !/^`/.test(cells[1] ?? '')) continue;
    if (mode !== 'black-box' && mode !== 'bridge') throw new Error(`KNOWN-GAPS.md: gap ${id} has mode "${mode}" (black-box or bridge)`);
    out.push({ id, scenario, mode });
  }
  return out;
}

export function knownGap(scenario: string, mode: ScanMode): KnownGap | undefined {
  return knownGaps().find((g) => g.scenario === scenario && g.mode === mode);
}

/** The title suffix that says why a test may be reported as skipped. */
export const gapTitle = (gap: KnownGap | undefined) => (gap ? ` (known gap: ${gap.id})` : '');

/**
 * Runs the expectation. Without a gap it is an ordinary test. With one, a
 * failed expectation skips the test (its title carries the gap's id) and a
 * passing one fails: the gap is fixed and must leave KNOWN-GAPS.md.
 */
export function expectOrKnownGap(ctx: Mocha.Context, gap: KnownGap | undefined, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (gap && e instanceof AssertionError) ctx.skip();
    throw e;
  }
  assert.ok(!gap, `known gap ${gap?.id} no longer reproduces: remove it from fixtures/scenarios/KNOWN-GAPS.md`);
}

// Shared pieces for the parser property tests.

import fc from 'fast-check';

/**
 * Strings made of what breaks parsers: separators, quotes, backslashes, NUL,
 * lone UTF-16 surrogates, long runs, and markup characters.
 */
export function hostileString(maxLength = 2048): fc.Arbitrary<string> {
  const unit = fc.oneof(
    fc.constantFrom(',', ';', '=', '"', "'", '\\', ' ', '\t', '\r', '\n', '\u0000', '<', '>', '/', '{', '}', '[', ']', ':'),
    fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFEFF', '\u2028', '\u00FF', '\u{1F600}'),
    fc.constantFrom('a', 'Z', '0', '%', '-', '_', '.'),
  );
  return fc.oneof(
    fc.string({ unit, maxLength }),
    fc.tuple(fc.string({ unit, minLength: 1, maxLength: 4 }), fc.nat({ max: 4000 })).map(([s, n]) => s.repeat(n)),
  );
}

/** Run `fn` and report how long it took. */
export function timed(fn: () => void): { ms: number } {
  const t0 = performance.now();
  fn();
  return { ms: performance.now() - t0 };
}

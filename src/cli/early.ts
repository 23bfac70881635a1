// What the command line says before anything heavy loads. Pure, and it
// imports nothing: main.ts reads it first, so its own cost is nil.

/**
 * Will this run most likely start Chromium? A `scan` that logs in
 * (`--user` or WP401_USER) and does not turn the browser off on its
 * command line or in WP401_BROWSER. A config file can still turn it off, or
 * name the user: a wrong guess only moves one module load earlier or later,
 * it changes nothing the scan does.
 */
export function browserLikely(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (argv[0] !== 'scan') return false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a === '--no-browser' || /^--browser=(?:0|false|no|off)$/i.test(a)) return false;
    if (a === '--browser' && /^(?:0|false|no|off)$/i.test(argv[i + 1] ?? '')) return false;
  }
  if (/^(?:0|false|no|off)$/i.test(env.WP401_BROWSER ?? '')) return false;
  const user = argv.some((a) => a === '--user' || a.startsWith('--user='));
  return user || Boolean(env.WP401_USER);
}

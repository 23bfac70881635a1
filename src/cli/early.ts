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

/** What a prelaunched Chromium is started for (src/browser/launch.ts prelaunchBrowser). */
export interface PrelaunchPlan {
  /** the scan's target, as given */
  target: string;
  insecure: boolean;
  /** --timeout or WP401_TIMEOUT, seconds; null: the default */
  timeoutS: number | null;
}

const TRUE = /^(?:1|true|yes|on)$/i;
const FALSE = /^(?:0|false|no|off)$/i;

/** The value of `--name v` or `--name=v` (the last one given), or undefined. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a === `--${name}`) value = argv[i + 1];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
  }
  return value;
}

/**
 * The Chromium a browser scan will most likely ask for, known from the
 * command line and the environment alone: its target, whether certificates
 * are checked, and the request timeout. Null when it cannot be told that
 * cheaply — a config file (present or named) may change any of it, and an
 * internal CA (--ca, WP401_CA, NODE_EXTRA_CA_CERTS) on an https target that
 * is not --insecure gives Chromium a server key the scan verifies first. A wrong guess costs one
 * Chromium start-up: the scan starts its own when the command lines differ.
 */
export function prelaunchPlan(argv: readonly string[], env: NodeJS.ProcessEnv, configFilePresent: boolean): PrelaunchPlan | null {
  if (!browserLikely(argv, env) || configFilePresent || flagValue(argv, 'config') !== undefined) return null;
  const target = argv.slice(1).find((a) => /^https?:\/\//i.test(a));
  if (!target) return null;
  let insecure = TRUE.test(env.WP401_INSECURE ?? '');
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a === '--insecure') insecure = !FALSE.test(argv[i + 1] ?? '');
    else if (a.startsWith('--insecure=')) insecure = TRUE.test(a.slice(11));
    else if (a === '--no-insecure') insecure = false;
  }
  const internalCa = flagValue(argv, 'ca') !== undefined || Boolean(env.WP401_CA) || Boolean(env.NODE_EXTRA_CA_CERTS);
  if (internalCa && !insecure && /^https:/i.test(target)) return null;
  const timeout = flagValue(argv, 'timeout') ?? env.WP401_TIMEOUT;
  const timeoutS = timeout === undefined ? null : Number(timeout);
  if (timeoutS !== null && !(Number.isFinite(timeoutS) && timeoutS > 0)) return null;
  return { target, insecure, timeoutS };
}

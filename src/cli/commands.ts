// The yargs setup, separate from process handling so tests can parse a plain
// argv array. The CLI only parses arguments, picks reporters and sets the exit
// code; the work is done by the library (scan, reporters, bridge zip).
import yargs, { type Argv, type Options } from 'yargs';
import { CONFIG_FILE, DEFAULTS, FORMATS, type OptionSpec, SCAN_OPTIONS } from '../config/options.js';
import { WP401_VERSION } from '../http/index.js';
import { EPILOGUE, EXAMPLES } from './help.js';

/** 4: the run itself failed (a file that cannot be read or written, a crash) — not the user's command line, not the site. */
export const EXIT = { ok: 0, problems: 1, usage: 2, target: 3, runtime: 4, interrupted: 130 } as const;

export type Command =
  | { name: 'scan'; args: Record<string, unknown> }
  | { name: 'report'; args: { file: string; out: string; format?: string } }
  | { name: 'bridge-zip'; args: { out: string } }
  | { name: 'scan-many'; args: Record<string, unknown> }
  | { name: 'help'; text: string }
  /** a bare `wp401`: the usage on stderr, exit 2 */
  | { name: 'usage'; text: string };

/** A scan option as yargs sees it: no default value (defaults are the config module's), its default shown in --help. */
function yargsOption(o: OptionSpec): Options {
  const describe = o.env ? `${o.describe} [env ${o.env}]` : o.describe;
  const type = o.type === 'list' ? 'string' : o.type;
  return { type, describe, ...(o.type === 'list' ? { array: true } : {}), ...(o.defaultText !== undefined ? { defaultDescription: o.defaultText } : {}) };
}

export function buildParser(argv: string[]): Argv {
  return yargs(argv)
    .scriptName('wp401')
    .usage('$0 <command> [options]\n\nFind out why a WordPress site answers HTTP 401, which layer rejected the request, and what to change.')
    .command('scan <url>', 'scan a WordPress site (staging) and write the reports', (y) =>
      y
        .positional('url', { type: 'string', describe: 'the site to scan, e.g. https://staging.example.com/' })
        // Output choices of the command line (not scan options).
        .example(EXAMPLES.filter(([cmd]) => !cmd.startsWith('$0 scan-many') && !cmd.startsWith('$0 bridge')))
        .epilogue(EPILOGUE)
        .option('json', { type: 'boolean', default: false, describe: 'write the result (wp401.json) to stdout and nothing else there; the summary goes to stderr (same as --format json --out -)' })
        .option('verbose', { type: 'boolean', default: false, describe: 'also print each request on stderr as it ends: method, URL (secrets redacted), status, time' })
        .options(Object.fromEntries(SCAN_OPTIONS.map((o) => [o.flag, yargsOption(o)])))
        .option('config', { type: 'string', describe: `a JSON config file (default ./${CONFIG_FILE} when present); flags and WP401_* variables win` }),
    )
    .command('scan-many <file>', 'scan several sites, a few at a time: one report folder per site and an index.html summary', (y) =>
      y
        .positional('file', {
          type: 'string',
          describe: 'the sites: a text file with one URL per line (optionally followed by the user), or a .yml/.yaml/.json file with per-site settings and the names of the environment variables holding each site\'s secrets',
        })
        .example([['$0 scan-many sites.yml --out fleet --no-browser', 'scan every site of sites.yml; fleet/index.html sums them up']])
        .epilogue(EPILOGUE)
        .option('out', { type: 'string', default: './wp401-fleet', describe: 'the fleet folder: <out>/<site>/ per site, <out>/index.html, <out>/wp401-fleet.json' })
        .option('parallel', { type: 'number', default: 2, describe: 'sites scanned at the same time (1-8)' })
        .option('user', { type: 'string', describe: 'WordPress user for sites whose entry names none' })
        .option('isolate', { type: 'boolean', describe: 'find the plugin behind each WordPress-side 401 (needs the companion plugin and each site\'s bridge key)' })
        .option('browser', { type: 'boolean', describe: 'log in with a real browser; --no-browser runs HTTP probes only (wins over the file)' })
        .option('format', { type: 'string', describe: `reports per site, comma-separated: ${FORMATS.join(', ')}` })
        .option('concurrency', { type: 'number', describe: 'requests in flight at once, per site (1-32)' })
        .option('timeout', { type: 'number', describe: 'seconds per request, body included' })
        .option('max-requests', { type: 'number', describe: 'most requests one site\'s scan may send' })
        .option('insecure', { type: 'boolean', describe: 'accept self-signed or mismatched TLS certificates (staging)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no per-site progress lines on stderr' }),
    )
    .command('report <file>', 're-render the reports of a saved wp401.json', (y) =>
      y
        .positional('file', { type: 'string', describe: 'a wp401.json written by a scan' })
        .option('out', { type: 'string', default: DEFAULTS.outDir, describe: 'report folder' })
        .option('format', { type: 'string', default: 'html', describe: `reports to write, comma-separated: ${FORMATS.join(', ')}` }),
    )
    .command('bridge <action>', 'the companion WordPress plugin', (y) =>
      y
        .positional('action', { choices: ['zip'] as const, describe: 'zip: write the installable plugin zip' })
        .option('out', { type: 'string', default: 'wp401-bridge.zip', describe: 'where to write the zip' }),
    )
    .demandCommand(1, 'name a command: scan, scan-many, report or bridge')
    .example(EXAMPLES)
    .epilogue(EPILOGUE)
    .strict()
    .help()
    .alias('h', 'help')
    .version(WP401_VERSION)
    .alias('v', 'version')
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100));
}

/** Parses argv into a command, or throws with yargs' own message (a usage error). */
export async function parseCommand(input: string[]): Promise<Command> {
  if (input.length === 0) return { name: 'usage', text: await buildParser([]).getHelp() };
  // yargs reads a lone "-" as a positional; `--out -` (stdout) is an option value.
  const argv = input.flatMap((a, i) => (a === '-' && input[i - 1] === '--out' ? [] : a === '--out' && input[i + 1] === '-' ? ['--out=-'] : [a]));
  let failure: string | null = null;
  let output = '';
  const parser = buildParser(argv).fail((msg, err) => {
    failure = msg || err?.message || 'invalid arguments';
  });
  skipHelpCache(parser);
  const parsed = (await parser.parseAsync(argv, {}, (_err, _argv, out) => {
    output = out;
  })) as Record<string, unknown> & { _: (string | number)[] };
  if (failure) throw new CliUsageError(failure);
  if (parsed.help || parsed.version || (output && !parsed.url && !parsed.file && !parsed.action)) return { name: 'help', text: output };
  const cmd = String(parsed._[0]);
  if (cmd === 'scan') return { name: 'scan', args: parsed };
  if (cmd === 'scan-many') return { name: 'scan-many', args: parsed };
  if (cmd === 'report') return { name: 'report', args: { file: String(parsed.file), out: String(parsed.out), format: parsed.format as string | undefined } };
  if (cmd === 'bridge') return { name: 'bridge-zip', args: { out: String(parsed.out) } };
  throw new CliUsageError(`unknown command ${cmd}`);
}

/**
 * yargs renders a command's whole help text after running it and keeps it,
 * so that a command handler could show it later (command.js,
 * handleValidationAndGetResult → usage.cacheHelpMessage). wp401 never does:
 * its help comes from yargs' own --help, a usage error's message, or
 * getHelp(), each of which renders the text then. For `scan`, with its
 * options wrapped to the terminal, that unused text cost 50–60 ms of CPU at
 * the start of every scan. The hook is yargs' internal one: if a release
 * drops it, parsing goes on as before.
 */
export function skipHelpCache(parser: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } | undefined } };
  const usage = (parser as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = (): void => {};
}

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}


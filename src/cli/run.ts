// wp401's command line: parse, run, report, exit with the documented code.
// Errors are one line, never a stack trace; no secret is ever printed.
// main.ts loads this after installing the Ctrl-C handler.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BridgeZipError, buildBridgeZip } from '../bridge/zip.js';
import { loadScanOptions, parseFormats, UsageError } from '../config/options.js';
import { readSecrets, type Secrets, secretValues } from '../config/secrets.js';
import { FLEET_DEFAULTS, type FleetSite, readSitesFile, SitesFileError, scanMany, siteSecrets } from '../fleet/index.js';
import { TargetError } from '../gather/index.js';
import { createRedactor } from '../http/index.js';
import type { ScanResult } from '../model.js';
import type { Observations } from '../observations/index.js';
import { createProgress, ResultFileError, readResult, renderJson, renderSummary, shouldColor, writeReports } from '../report/index.js';
import { isConfigurationError, judge, scan } from '../scan.js';
import { CliUsageError, EXIT, parseCommand } from './commands.js';
import { canPrompt, promptHidden } from './prompt.js';

const SECRET_FLAGS = /^--?(password|pass|pwd|app-password|http-password|bridge-key|key|token|cookie|nonce)(=|$)/i;

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * --user without any password: ask for it on a terminal (no echo), or stop
 * with a clear line — never skip the login silently.
 */
async function askForPassword(user: string | undefined, secrets: Secrets): Promise<void> {
  if (!user || secrets.password || secrets.appPassword) return;
  if (!canPrompt()) {
    throw new UsageError(`--user ${user} needs a password: set WP401_PASSWORD (or WP401_APP_PASSWORD for an application password); wp401 asks for it only on a terminal`);
  }
  const answer = await promptHidden(`Password for ${user} (not echoed; WP401_PASSWORD is not set): `);
  if (!answer) throw new UsageError(`no password given for --user ${user}`);
  secrets.password = answer;
}

async function runScan(args: Record<string, unknown>, interrupt: AbortController): Promise<number> {
  const { options, secrets } = loadScanOptions(args, process.env);
  const toStdout = args.json === true || options.outDir === '-';
  if (options.outDir === '-' && options.formats.join() !== 'json') throw new UsageError('--out - writes the JSON result to stdout: use it with --format json (or use --json)');
  if (!options.fromObservations) await askForPassword(options.user, secrets);
  const progress = createProgress(process.stderr, { quiet: options.quiet, verbose: args.verbose === true });
  const controller = interrupt;
  try {
    let result: ScanResult;
    if (options.fromObservations) {
      const obs = JSON.parse(await readFile(options.fromObservations, 'utf8')) as Observations;
      if (obs?.schemaVersion !== 1 || !Array.isArray(obs.probes)) throw new UsageError(`${options.fromObservations} is not a wp401 observations file`);
      result = judge(obs);
    } else {
      const out = await scan(options, secrets, { progress, signal: controller.signal });
      result = out.result;
      if (options.saveObservations) await writeFile(options.saveObservations, `${JSON.stringify(out.observations, null, 2)}\n`);
    }
    progress.done();
    if (toStdout) {
      // stdout carries the result and nothing else, so `wp401 scan … --json | jq` works; the summary goes to stderr.
      process.stdout.write(renderJson(result));
      if (!options.quiet) process.stderr.write(`${renderSummary(result, [], { color: shouldColor(process.stderr) })}\n`);
    } else {
      const paths = await writeReports(result, { outDir: options.outDir, formats: options.formats });
      process.stdout.write(`${renderSummary(result, paths, { color: shouldColor(process.stdout) })}\n`);
    }
    if (controller.signal.aborted) return EXIT.interrupted;
    // A scan stopped by its time budget never claims a clean site.
    if (result.incomplete) return EXIT.problems;
    return result.verdict.status === 'ok' ? EXIT.ok : EXIT.problems;
  } finally {
    progress.done();
  }
}

async function runScanMany(args: Record<string, unknown>, interrupt: AbortController): Promise<number> {
  const parallel = Number(args.parallel ?? FLEET_DEFAULTS.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > FLEET_DEFAULTS.maxParallel) throw new UsageError(`--parallel must be a whole number from 1 to ${FLEET_DEFAULTS.maxParallel}`);
  const sites = readSitesFile(String(args.file));
  const all: string[] = [];
  const secretsFor = (site: FleetSite): Secrets => {
    const s = siteSecrets(site, process.env);
    all.push(...secretValues(s));
    return s;
  };
  for (const site of sites) {
    const isolate = args.isolate !== undefined ? args.isolate === true : site.isolate === true;
    if (isolate && !secretsFor(site).bridgeKey) {
      throw new UsageError(`${site.name}: --isolate needs the companion plugin's key (bridgeKeyEnv in the sites file, or WP401_BRIDGE_KEY)`);
    }
  }
  const redact = (e: unknown): string => createRedactor([...all, ...secretValues(readSecrets(process.env))]).scrub(oneLine(e instanceof Error ? e.message : String(e)));
  const outDir = String(args.out ?? FLEET_DEFAULTS.outDir);
  const quiet = Boolean(args.quiet);
  const flags = { user: args.user, isolate: args.isolate, browser: args.browser, format: args.format, concurrency: args.concurrency, timeout: args.timeout, maxRequests: args.maxRequests, insecure: args.insecure } as Record<string, unknown>;
  const summary = await scanMany(
    sites,
    { outDir, parallel, flags },
    { signal: interrupt.signal, secretsFor, describeError: redact, log: quiet ? undefined : (line) => process.stderr.write(`wp401: ${redact(line)}\n`) },
  );
  const width = Math.max(...summary.sites.map((s) => s.name.length));
  for (const s of summary.sites) {
    process.stdout.write(`${s.name.padEnd(width)}  ${s.outcome.padEnd(11)}  ${(s.durationMs / 1000).toFixed(1).padStart(6)} s  ${s.topFinding ?? (s.outcome === 'ok' ? '' : s.summary)}\n`);
  }
  process.stdout.write(`${resolve(outDir, 'index.html')}\n`);
  return summary.exit;
}

async function main(argv: string[], interrupt: AbortController): Promise<number> {
  const secretFlag = argv.find((a) => SECRET_FLAGS.test(a));
  if (secretFlag) {
    throw new UsageError(
      `secrets are not accepted on the command line (${secretFlag.split('=')[0]}), where other users can see them; use WP401_PASSWORD, WP401_APP_PASSWORD, WP401_HTTP_USER/WP401_HTTP_PASSWORD or WP401_BRIDGE_KEY`,
    );
  }
  const cmd = await parseCommand(argv);
  switch (cmd.name) {
    case 'help':
      process.stdout.write(`${cmd.text}\n`);
      return EXIT.ok;
    case 'usage':
      process.stderr.write(`${cmd.text}\n`);
      return EXIT.usage;
    case 'scan':
      return runScan(cmd.args, interrupt);
    case 'scan-many':
      return runScanMany(cmd.args, interrupt);
    case 'report': {
      const result = await readResult(cmd.args.file);
      const paths = await writeReports(result, { outDir: cmd.args.out, formats: parseFormats(cmd.args.format) });
      process.stdout.write(`${paths.join('\n')}\n`);
      return EXIT.ok;
    }
    case 'bridge-zip': {
      const file = await buildBridgeZip(resolve(cmd.args.out));
      process.stdout.write(`${file}\n`);
      return EXIT.ok;
    }
  }
}

export function runCli(argv: string[], interrupt: AbortController): Promise<void> {
  return main(argv, interrupt).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const redactor = createRedactor(secretValues(readSecrets(process.env)));
    const message = redactor.scrub(oneLine(err instanceof Error ? err.message : String(err)));
    if (isConfigurationError(err) || err instanceof CliUsageError || (err instanceof ResultFileError && !err.unreadable)) {
      process.stderr.write(`wp401: ${message}\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof TargetError) {
      process.stderr.write(`wp401: ${message}\n`);
      process.exitCode = EXIT.target;
    } else if (err instanceof SitesFileError || err instanceof BridgeZipError || err instanceof ResultFileError) {
      process.stderr.write(`wp401: ${message}\n`);
      process.exitCode = EXIT.runtime;
    } else {
      process.stderr.write(`wp401: unexpected error: ${message}\n`);
      process.exitCode = EXIT.runtime;
    }
  },
);
}

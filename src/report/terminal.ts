// The terminal reporter: progress while scanning (a redrawn line on a TTY,
// one line per stage elsewhere, nothing when quiet) and a short plain summary
// at the end. Colours are plain ANSI codes, used only on a TTY and never when
// NO_COLOR is set.

import type { HopEvent } from '../observations/progress.js';
import type { Finding, ScanResult } from '../model.js';
import { bridgeStatusIn } from '../facts/bridge-status.js';

export interface Progress {
  /** the stage now running, e.g. "crawl" or "isolate" */
  stage(name: string): void;
  /** sets the count for a kind of work, e.g. count("requests", 12) */
  count(kind: string, n: number): void;
  /** one request on the wire (redacted URL, no headers): the current URL, done/total, --verbose lines */
  request(event: HopEvent): void;
  /** clears the progress line (TTY) or prints the closing line (not a TTY) */
  done(): void;
}

interface Env {
  [key: string]: string | undefined;
}

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function shouldColor(stream: { isTTY?: boolean }, env: Env = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

const NOOP: Progress = { stage() {}, count() {}, request() {}, done() {} };

/** Drawn at most this often; stage changes and done() always draw at once. */
const REDRAW_MS = 80;

export interface ProgressOptions {
  quiet?: boolean;
  /** one line per request as it ends (method, redacted URL, status, time) */
  verbose?: boolean;
  /** the clock, for tests */
  now?: () => number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Progress on stderr. On a TTY: one line redrawn in place — stage, requests
 * done/most allowed, elapsed time, the URL being fetched. Elsewhere (CI logs):
 * one plain line per stage with the counts and the time so far, and a closing
 * line. --quiet: nothing; --verbose adds one line per request (redacted).
 */
export function createProgress(stream: NodeJS.WriteStream, opts: ProgressOptions = {}): Progress {
  if (opts.quiet) return NOOP;
  const now = opts.now ?? Date.now;
  const started = now();
  const tty = stream.isTTY === true;
  let stage = '';
  const counts = new Map<string, number>();
  let sent = 0;
  let max = 0;
  let current = '';
  let lastDraw = 0;
  let drawn = false;
  let finished = false;
  let ticker: NodeJS.Timeout | null = null;

  const totals = (): string => (max ? `${sent}/${max} requests` : [...counts].map(([kind, n]) => `${n} ${kind}`).join(' · '));

  const draw = (force: boolean): void => {
    if (finished || !tty) return;
    const t = now();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    const parts = [stage || 'starting', totals(), seconds(t - started), current].filter(Boolean);
    let line = `wp401 › ${parts.join(' · ')}`;
    const width = typeof stream.columns === 'number' && stream.columns > 10 ? stream.columns - 1 : 79;
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    stream.write(`\r\x1b[2K${line}`);
    drawn = true;
  };
  /** A whole line above the progress line (TTY) or on its own (elsewhere). */
  const say = (line: string): void => {
    if (finished) return;
    stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    if (tty) draw(true);
  };
  if (tty) {
    // The elapsed time moves even while one slow request holds everything up.
    ticker = setInterval(() => draw(true), 1000);
    ticker.unref();
  }

  return {
    stage(name: string) {
      if (name === stage) return;
      stage = name;
      if (tty) draw(true);
      else say(`wp401: ${name} · ${totals() || '0 requests'} · ${seconds(now() - started)}`);
    },
    count(kind: string, n: number) {
      counts.set(kind, n);
      draw(false);
    },
    request(event: HopEvent) {
      sent = Math.max(sent, event.sent);
      max = event.max;
      if (event.phase === 'start') current = `${event.method} ${event.url}`;
      else if (opts.verbose) say(`wp401: ${event.method} ${event.url} → ${event.status || 'no answer'} (${event.ms ?? 0} ms)`);
      draw(false);
    },
    done() {
      if (finished) return;
      if (ticker) clearInterval(ticker);
      if (tty && drawn) stream.write('\r\x1b[2K');
      if (!tty) stream.write(`wp401: done · ${totals() || '0 requests'} · ${seconds(now() - started)}\n`);
      finished = true;
    },
  };
}

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/** Strips control characters so site data cannot move the cursor or recolour the terminal. */
function clean(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    out += control ? ' ' : ch;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

function findingLine(finding: Finding, paint: (code: keyof typeof ANSI, s: string) => string): string {
  const tag = finding.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
  const culprit = finding.culprit
    ? ` — ${finding.culprit.kind} ${clean(finding.culprit.name)}${finding.confidence === 'confirmed' ? ' (confirmed)' : ''}`
    : '';
  return `  ${tag} [${finding.layer}] ${clean(finding.title)}${culprit}`;
}

export function renderSummary(result: ScanResult, reportPaths: string[], opts: { color?: boolean } = {}): string {
  const paint = (code: keyof typeof ANSI, s: string): string => (opts.color ? `\x1b[${ANSI[code]}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const ok = result.verdict.status === 'ok';
  const icon = result.incomplete ? paint('yellow', '!') : ok ? paint('green', '✔') : paint('red', '✖');
  lines.push(`${icon} ${paint('bold', clean(result.verdict.summary))}`);
  if (result.incomplete) lines.push(paint('yellow', '  The scan did not finish; results are partial.'));
  // A key that was given and not used is said on the terminal, not only in the report.
  const bridge = bridgeStatusIn(result.environment);
  if (bridge && bridge.status !== 'not-used') lines.push(bridge.status === 'ok' ? paint('dim', `  ${clean(bridge.message)}`) : paint('yellow', `  ! ${clean(bridge.message)}`));
  const shown = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  shown.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  for (const finding of shown) lines.push(findingLine(finding, paint));
  const info = result.findings.length - shown.length;
  if (info > 0) lines.push(paint('dim', `  and ${info} note${info === 1 ? '' : 's'} in the report`));
  if (reportPaths.length) {
    lines.push('');
    lines.push(reportPaths.length === 1 ? 'Report:' : 'Reports:');
    for (const path of reportPaths) lines.push(`  ${path}`);
  }
  return `${lines.join('\n')}\n`;
}

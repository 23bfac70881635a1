// The terminal reporter: a one-line progress indicator while scanning (only on
// a TTY, never when quiet) and a short plain summary at the end. Colours are
// plain ANSI codes, used only on a TTY and never when NO_COLOR is set.

import type { Finding, ScanResult } from '../model.js';

export interface Progress {
  /** the stage now running, e.g. "crawl" or "isolate" */
  stage(name: string): void;
  /** sets the count for a kind of work, e.g. count("requests", 12) */
  count(kind: string, n: number): void;
  /** clears the progress line */
  done(): void;
}

interface Env {
  [key: string]: string | undefined;
}

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function shouldColor(stream: { isTTY?: boolean }, env: Env = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

const NOOP: Progress = { stage() {}, count() {}, done() {} };

/** Drawn at most this often; stage changes and done() always draw at once. */
const REDRAW_MS = 80;

export function createProgress(stream: NodeJS.WriteStream, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || !stream.isTTY) return NOOP;
  let stage = '';
  const counts = new Map<string, number>();
  let lastDraw = 0;
  let drawn = false;
  let finished = false;

  const draw = (force: boolean): void => {
    if (finished) return;
    const now = Date.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    const parts = [...counts].map(([kind, n]) => `${n} ${kind}`);
    let line = `wp401 › ${stage || 'starting'}${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
    const width = typeof stream.columns === 'number' && stream.columns > 10 ? stream.columns - 1 : 79;
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    stream.write(`\r\x1b[2K${line}`);
    drawn = true;
  };

  return {
    stage(name: string) {
      stage = name;
      draw(true);
    },
    count(kind: string, n: number) {
      counts.set(kind, n);
      draw(false);
    },
    done() {
      if (drawn && !finished) stream.write('\r\x1b[2K');
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

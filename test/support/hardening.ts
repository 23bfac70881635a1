// Shared helpers of the hardening tests (issue 8): run the built CLI as a
// child process with its own temp folder, canary secrets and every encoded
// form they could leak in, byte searches over folders, and checksums of a
// site's docroot and database rows. Nothing here prints a secret.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sql } from '../../fixtures/testbed/mariadb.js';
import { REPO } from '../../fixtures/testbed/paths.js';
import { scenarioByName } from '../../fixtures/testbed/scenarios.js';
import { runPhpAsync } from '../../fixtures/testbed/sites.js';

export const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Date.now() when the child closed */
  endedAt: number;
  /** the TMPDIR the child ran with (its own, so its temp files can be found) */
  tmp: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** kill the child (SIGKILL) after this long: a hang becomes a failure, not a stuck suite */
  killAfterMs?: number;
  /** the child's TMPDIR (default: a fresh folder under os.tmpdir()) */
  tmp?: string;
  /** called once the child is running, e.g. to send it a signal later */
  onSpawn?: (child: import('node:child_process').ChildProcess, stderr: () => string) => void;
}

/** The built CLI as a child process, with a minimal environment and its own TMPDIR. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const tmp = opts.tmp ?? mkdtempSync(join(tmpdir(), 'wp401-hardening-tmp-'));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TMPDIR: tmp, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 170000);
    opts.onSpawn?.(child, () => stderr);
    child.on('error', (err) => {
      clearTimeout(killer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, wallMs: Date.now() - started, endedAt: Date.now(), tmp });
    });
  });
}

/** A unique, recognisable secret: letters, digits and characters that change under URL/JSON encoding. */
export function canary(tag: string, specials = true): string {
  const body = randomBytes(12).toString('hex');
  return specials ? `Cn${tag}-${body.slice(0, 10)}+/=${body.slice(10)}` : `cn${tag}${body}${randomBytes(8).toString('hex')}`;
}

/**
 * The base64 text of `secret` wherever it sits inside a larger encoded blob:
 * for each of the three byte alignments, the characters that depend on the
 * secret's bytes only.
 */
function base64Inner(secret: Buffer, url: boolean): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const b = Buffer.concat([Buffer.alloc(k), secret]).toString(url ? 'base64url' : 'base64');
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + secret.length)) / 6);
    out.push(b.slice(from, to));
  }
  return out;
}

export interface Needle {
  /** what a failure message may print: never the value */
  label: string;
  bytes: Buffer;
}

/** Every form a secret could be written in: plain, URL/form-encoded, JSON-escaped, base64/base64url at any alignment, and `user:secret` in Basic form. */
export function needlesFor(label: string, secret: string, user?: string): Needle[] {
  const forms = new Map<string, string>();
  forms.set('plain', secret);
  forms.set('url-encoded', encodeURIComponent(secret));
  forms.set('form-encoded', new URLSearchParams({ x: secret }).toString().slice(2));
  forms.set('json-escaped', JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'));
  const raw = Buffer.from(secret, 'utf8');
  for (const [i, s] of base64Inner(raw, false).entries()) forms.set(`base64@${i}`, s);
  for (const [i, s] of base64Inner(raw, true).entries()) forms.set(`base64url@${i}`, s);
  forms.set('base64-whole', raw.toString('base64'));
  if (user !== undefined) {
    forms.set('basic user:secret', Buffer.from(`${user}:${secret}`).toString('base64'));
    forms.set('basic user:secret (base64url)', Buffer.from(`${user}:${secret}`).toString('base64url'));
  }
  const seen = new Set<string>();
  const out: Needle[] = [];
  for (const [form, text] of forms) {
    if (seen.has(text) || text.length < 8) continue;
    seen.add(text);
    out.push({ label: `${label} (${form})`, bytes: Buffer.from(text, 'utf8') });
  }
  return out;
}

/** Labels of the needles found in a buffer. */
export function hits(buf: Buffer, needles: Needle[]): string[] {
  return needles.filter((n) => buf.includes(n.bytes)).map((n) => n.label);
}

const MAX_READ = 64 * 1024 * 1024;

function readCapped(file: string): Buffer {
  const size = statSync(file).size;
  if (size <= MAX_READ) return readFileSync(file);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(MAX_READ);
    readSync(fd, buf, 0, MAX_READ, 0);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** Every file (and symlink) under a folder, recursively; unreadable entries are skipped. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries) {
      const p = join(d, name);
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        out.push(p);
        visit(p);
      } else out.push(p);
    }
  };
  visit(dir);
  return out;
}

/** Searches file names and contents under `root` (a file or folder): "canary #2 (base64@1) in report/wp401.json". */
export function searchTree(root: string, needles: Needle[], where = root): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const paths = lstatSync(root).isDirectory() ? walk(root) : [root];
  for (const p of paths) {
    const rel = `${where}/${relative(root, p)}`;
    for (const l of hits(Buffer.from(p), needles)) found.push(`${l} in the name of ${rel}`);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) {
      for (const l of hits(Buffer.from(readlinkSync(p)), needles)) found.push(`${l} in the link ${rel}`);
      continue;
    }
    if (!st.isFile()) continue;
    let buf: Buffer;
    try {
      buf = readCapped(p);
    } catch {
      continue;
    }
    for (const l of hits(buf, needles)) found.push(`${l} in ${rel}`);
  }
  return found;
}

/** Top-level entries of a folder (for "what did the scan leave in os.tmpdir()"). */
export function listing(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

/** Files under the `prefix*` folders of a directory, with their change stamps (e.g. the bridge's store in the temp dir). */
export function stamps(dir: string, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of listing(dir)) {
    if (!name.startsWith(prefix)) continue;
    for (const p of [join(dir, name), ...walk(join(dir, name))]) {
      try {
        const st = lstatSync(p);
        if (st.isFile()) out.set(p, `${st.size}:${st.mtimeMs}`);
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

/**
 * Watches a folder while a scan runs and searches every file that appears or
 * changes (temp files may be gone by the end). Returns the hits so far on stop().
 */
export function watchTree(dir: string, needles: Needle[], label: string, everyMs = 400): { stop(): string[]; filesSeen(): number } {
  const found = new Set<string>();
  const seen = new Map<string, string>();
  const pass = () => {
    for (const p of walk(dir)) {
      let st: ReturnType<typeof statSync>;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      const rel = `${label}/${relative(dir, p)}`;
      for (const l of hits(Buffer.from(p), needles)) found.add(`${l} in the name of ${rel}`);
      if (!st.isFile()) continue;
      const stamp = `${st.size}:${st.mtimeMs}`;
      if (seen.get(p) === stamp) continue;
      seen.set(p, stamp);
      try {
        for (const l of hits(readCapped(p), needles)) found.add(`${l} in ${rel}`);
      } catch {
        // gone between listing and reading: a temp file's life
      }
    }
  };
  const timer = setInterval(pass, everyMs);
  return {
    stop() {
      clearInterval(timer);
      pass();
      return [...found];
    },
    filesSeen: () => seen.size,
  };
}

/** Size of a file now (to read only what is appended later). */
export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The bytes appended to a file since `from`. */
export function appended(file: string, from: number): Buffer {
  try {
    const buf = readFileSync(file);
    return buf.subarray(Math.min(from, buf.length));
  } catch {
    return Buffer.alloc(0);
  }
}

/** Hash of every file under a docroot: path, type, mode, link target and content — nothing excluded. */
export function docrootDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of walk(dir).sort()) {
    const st = lstatSync(p);
    const h = createHash('sha256');
    h.update(`${st.mode}\0`);
    if (st.isSymbolicLink()) h.update(`link\0${readlinkSync(p)}`);
    else if (st.isFile()) h.update(readFileSync(p));
    else h.update('dir');
    out.set(relative(dir, p), h.digest('hex'));
  }
  return out;
}

/** Differences between two digests: added, removed and changed paths. */
export function diffDigests(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    if (!b.has(k)) out.push(`removed ${k}`);
    else if (b.get(k) !== v) out.push(`changed ${k}`);
  }
  for (const k of b.keys()) if (!a.has(k)) out.push(`added ${k}`);
  return out;
}

/**
 * Rows as key → value hash, from a query whose last column is the hash and
 * whose other columns are the key (values are hashed: they may hold tokens).
 */
export function rowDigest(db: string, query: string): Map<string, string> {
  const text = sql(query, db);
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const tab = line.lastIndexOf('\t');
    out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

/** Runs PHP with the scenario's WordPress loaded; fails with stderr (PHP code here never contains a secret in output). */
export async function php(scenario: string, code: string): Promise<string> {
  const r = await runPhpAsync(scenarioByName(scenario), code);
  if (r.status !== 0) throw new Error(`php in ${scenario} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  return r.stdout;
}

/** Escapes a string for a single-quoted PHP literal. */
export const phpString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** True when a line looks like a crash: a stack trace or an "unexpected error" banner. */
export function looksLikeCrash(text: string): boolean {
  return /\n\s+at .+[:(]\d+/.test(text) || /unexpected error/i.test(text) || /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/.test(text);
}

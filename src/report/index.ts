// Writes the reports of one finished scan, and loads a saved result so the
// reports can be written again without scanning (`wp401 report wp401.json`).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import type { ReportFormat, ScanResult } from '../model.js';
import { renderHar } from './har.js';
import { renderHtml } from './html/index.js';
import { renderJson } from './json.js';

export { renderHar } from './har.js';
export { renderHtml } from './html/index.js';
export { renderJson } from './json.js';
export { createProgress, renderSummary, shouldColor } from './terminal.js';

export type { ReportFormat } from '../model.js';

export const REPORT_FILES: Record<ReportFormat, string> = {
  html: 'index.html',
  json: 'wp401.json',
  har: 'wp401.har',
};

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/** Largest screenshot embedded in the HTML; bigger ones stay files next to it. */
const MAX_EMBEDDED_IMAGE = 2 * 1024 * 1024;

/** Reads the scan's screenshots (paths relative to the report folder) as data: URLs so the HTML stays one file. */
async function embedScreenshots(result: ScanResult, outDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const shot of result.screenshots ?? []) {
    const type = IMAGE_TYPES[extname(shot.file).toLowerCase()];
    if (!type) continue;
    const path = isAbsolute(shot.file) ? shot.file : resolve(outDir, shot.file);
    try {
      const bytes = await readFile(path);
      if (bytes.length <= MAX_EMBEDDED_IMAGE) out[shot.file] = `data:${type};base64,${bytes.toString('base64')}`;
    } catch {
      // A missing screenshot is listed by name in the report; it does not stop the report.
    }
  }
  return out;
}

/** Writes the chosen reports into outDir (created if needed) and returns their paths, in the order asked. */
export async function writeReports(
  result: ScanResult,
  opts: { outDir: string; formats: ReportFormat[] },
): Promise<string[]> {
  await mkdir(opts.outDir, { recursive: true });
  const paths: string[] = [];
  for (const format of [...new Set(opts.formats)]) {
    const path = join(opts.outDir, REPORT_FILES[format]);
    let text: string;
    if (format === 'html') {
      text = renderHtml(result, { screenshots: await embedScreenshots(result, opts.outDir) });
    } else if (format === 'json') {
      text = renderJson(result);
    } else if (format === 'har') {
      text = `${JSON.stringify(renderHar(result), null, 2)}\n`;
    } else {
      throw new Error(`unknown report format: ${String(format)}`);
    }
    await writeFile(path, text, 'utf8');
    paths.push(path);
  }
  return paths;
}

/** A saved result that is not usable: wrong version, not JSON, missing parts — or not readable at all (`unreadable`). */
export class ResultFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly unreadable = false,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ResultFileError';
  }
}

const ARRAYS = ['findings', 'zones', 'probes', 'experiments'] as const;

/** Loads a saved wp401.json and checks it is a result this version can render. */
export async function readResult(file: string): Promise<ScanResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ResultFileError(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, true);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ResultFileError(file, 'is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ResultFileError(file, 'is not a wp401 result (not an object)');
  }
  const obj = data as Record<string, unknown>;
  if (obj.schemaVersion !== 1) {
    throw new ResultFileError(
      file,
      `has schemaVersion ${JSON.stringify(obj.schemaVersion)}; this wp401 reads schemaVersion 1`,
    );
  }
  const tool = obj.tool as Record<string, unknown> | undefined;
  if (tool?.name !== 'wp401') throw new ResultFileError(file, 'was not written by wp401');
  const verdict = obj.verdict as Record<string, unknown> | undefined;
  if (!verdict || (verdict.status !== 'ok' && verdict.status !== 'problems') || typeof verdict.summary !== 'string') {
    throw new ResultFileError(file, 'has no valid verdict');
  }
  if (typeof obj.target !== 'string') throw new ResultFileError(file, 'has no target');
  for (const key of ARRAYS) {
    if (!Array.isArray(obj[key])) throw new ResultFileError(file, `has no ${key} list`);
  }
  if (obj.environment !== null && (typeof obj.environment !== 'object' || Array.isArray(obj.environment))) {
    throw new ResultFileError(file, 'has an environment that is not an object');
  }
  return data as ScanResult;
}

// Screenshots of failing pages. Images are only ever inline data: images or
// plain relative files next to the report; anything else is listed as text.

import type { ScanResult } from '../../../model.js';
import { type Analysis, probeAnchor } from '../analysis.js';
import { type Html, html, join } from '../escape.js';
import { section } from './common.js';

const DATA_IMAGE = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/;
const RELATIVE_FILE = /^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+\.(png|jpe?g|webp|gif)$/;

export type ImageSource = { kind: 'data'; src: string } | { kind: 'file'; src: string };

/** Classifies an image source: an inline data: image, a safe relative file, or unusable (null). */
export function imageSource(src: string | undefined): ImageSource | null {
  if (!src) return null;
  if (DATA_IMAGE.test(src)) return { kind: 'data', src };
  if (RELATIVE_FILE.test(src)) return { kind: 'file', src };
  return null;
}

/** Sources for every screenshot: opts.screenshots keyed by file (or probe id) wins over the file itself. */
export function screenshotSources(
  result: ScanResult,
  given: Record<string, string> | undefined,
): (ImageSource | null)[] {
  return (result.screenshots ?? []).map((shot) =>
    imageSource(given?.[shot.file] ?? (shot.probe ? given?.[shot.probe] : undefined) ?? shot.file),
  );
}

export function renderScreenshots(result: ScanResult, analysis: Analysis, sources: (ImageSource | null)[]): Html {
  const shots = result.screenshots ?? [];
  if (shots.length === 0) return html``;
  const figures = shots.map((shot, i) => {
    const source = sources[i];
    const index = shot.probe === undefined ? undefined : analysis.probeIndex.get(shot.probe);
    const link = index === undefined ? '' : html` · <a href="#${probeAnchor(index)}">request</a>`;
    const img = source
      ? html`<img src="${source.src}" alt="Screenshot of ${shot.url}" loading="lazy">`
      : html`<p class="muted">Image not embedded: <code>${shot.file}</code></p>`;
    return html`<figure>${img}<figcaption><span class="url">${shot.url}</span>${link}</figcaption></figure>`;
  });
  return section('screenshots', 'Screenshots', html`<div class="shots">${join(figures)}</div>`);
}

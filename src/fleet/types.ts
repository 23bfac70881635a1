// The fleet summary's shape: what index.html and wp401-fleet.json are made from.

/** How one site ended. `exit` is the code `wp401 scan` would have returned for it. */
export type SiteOutcome = 'ok' | 'problems' | 'unreachable' | 'failed' | 'interrupted' | 'not-scanned';

export interface SiteSummary {
  name: string;
  url: string;
  outcome: SiteOutcome;
  exit: number;
  /** the verdict's one-line summary, or why there is none */
  summary: string;
  /** the first error finding's title (or the first finding's) */
  topFinding: string | null;
  errors: number;
  warnings: number;
  durationMs: number;
  /** the site's report folder, relative to the fleet folder */
  folder: string;
  /** report files written, relative to the fleet folder */
  reports: string[];
}

export interface FleetSummary {
  schemaVersion: 1;
  startedAt: string;
  durationMs: number;
  /** the worst exit code of all sites (see worstExit) */
  exit: number;
  sites: SiteSummary[];
}

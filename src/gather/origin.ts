// With --origin, the REST paths that carry credentials are probed again
// straight at the origin server (same Host path, the origin's address), so
// rules can tell a proxy that strips headers from the server behind it.
import type { Engine } from '../http/index.js';
import type { Probe } from '../model.js';
import { AUTHED_PATHS, type CredentialSet } from './core.js';

export async function runOriginProbes(engine: Engine, origin: string, sets: CredentialSet[]): Promise<Probe[]> {
  const jobs: Promise<Probe>[] = [];
  for (const set of sets) {
    if (set.auth === 'basic-site') continue;
    for (const path of AUTHED_PATHS) {
      jobs.push(
        engine.probe({ source: 'origin', url: new URL(path, origin).toString(), auth: set.auth, useJar: false, ...(set.basic ? { credentials: { basic: set.basic } } : {}), ...(set.headers ? { headers: set.headers } : {}) }),
      );
    }
  }
  return Promise.all(jobs);
}

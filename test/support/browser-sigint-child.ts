// Child process for the SIGINT test: starts a browser gather against the
// scenario named in argv and prints each log line, so the parent knows the
// profile folder and when to send SIGINT.
import { gatherBrowser } from '../../src/browser/session.js';
import { scenario } from './testbed.js';

const name = process.argv[2] ?? 'healthy';
const s = scenario(name);
gatherBrowser({
  target: s.url,
  user: s.adminUser,
  password: s.adminPassword,
  log: (m) => process.stdout.write(`${m}\n`),
}).then(
  async (r) => {
    // the session returns before Chromium has exited; SIGINT mid-way leaves it an error
    process.stdout.write(`done ${r.observations.login.outcome} ${r.observations.error?.code ?? 'ok'}\n`);
    await r.closed;
  },
  (err: unknown) => {
    process.stdout.write(`failed ${String(err)}\n`);
    process.exitCode = 1;
  },
);

#!/usr/bin/env node
// The wp401 command. Ctrl-C is handled before anything heavy loads, so even an
// interrupt during start-up ends in a partial report marked incomplete: the
// first Ctrl-C stops gathering, closes the browser and writes what there is;
// a second one quits at once.
const interrupt = new AbortController();
const onSignal = (): void => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write('\nwp401: interrupted — writing a partial report (Ctrl-C again to quit now)\n');
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A scan that will log in in Chromium needs puppeteer: about a third of the
// start-up's module loading. Loaded before the rest, Chromium starts as soon
// as the options are read, while discovery waits on the network, instead of
// after puppeteer has loaded in the middle of discovery. The scan's other
// modules load after it; every other run loads nothing more than before.
// Chromium itself starts then too, launched as the scan will launch it
// (prelaunchPlan: only when the command line and the environment say how),
// while the rest loads; the scan takes it, or it is closed at the end.
const { browserLikely, prelaunchPlan } = await import('./early.js');
const argv = process.argv.slice(2);
let prelaunched = false;
if (browserLikely(argv, process.env)) {
  const { existsSync } = await import('node:fs');
  const { CONFIG_FILE } = await import('../config/options.js');
  const plan = prelaunchPlan(argv, process.env, existsSync(CONFIG_FILE));
  await import('../gather/browser.js')
    .then(async (m) => {
      await m.preloadBrowser();
      if (plan && !interrupt.signal.aborted) {
        await m.prelaunchForScan(plan);
        prelaunched = true;
      }
    })
    .catch(() => undefined);
}
const { runCli } = await import('./run.js');
await runCli(argv, interrupt);
if (prelaunched) await import('../gather/browser.js').then((m) => m.discardPrelaunch()).catch(() => undefined);
process.removeListener('SIGINT', onSignal);
process.removeListener('SIGTERM', onSignal);

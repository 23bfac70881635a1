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
const { browserLikely } = await import('./early.js');
if (browserLikely(process.argv.slice(2), process.env)) {
  await import('../gather/browser.js').then((m) => m.preloadBrowser()).catch(() => undefined);
}
const { runCli } = await import('./run.js');
await runCli(process.argv.slice(2), interrupt);
process.removeListener('SIGINT', onSignal);
process.removeListener('SIGTERM', onSignal);

// Waiting for a navigation to land, without waiting on what does not matter.
// An admin screen is known as soon as its menu and content area are parsed;
// its footer scripts (most of a wp-admin page's load time in a browser) say
// nothing about authentication. Anything else — the login form again, a
// wp_die() screen, a plugin's page — is read once its DOM is complete.
import type { HTTPResponse, Page } from 'puppeteer-core';

/**
 * Starts a navigation with `begin` (which resolves at DOMContentLoaded) and
 * resolves with the landing page's HTTP status as soon as it is an admin
 * screen with its menu parsed, or when `begin` resolves. `begin` rejecting
 * (timeout, network error) rejects.
 */
export async function settleNavigation(page: Page, begin: (signal: AbortSignal) => Promise<HTTPResponse | null>): Promise<number | null> {
  const before = await page.evaluate(() => performance.timeOrigin);
  let status: number | null = null;
  const onResponse = (r: HTTPResponse): void => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) status = r.status();
  };
  const stop = new AbortController();
  page.on('response', onResponse);
  const admin = page.waitForFunction(
    (t: number) =>
      performance.timeOrigin !== t &&
      location.pathname.includes('/wp-admin') &&
      document.getElementById('adminmenu') !== null &&
      document.getElementById('wpbody-content') !== null,
    { polling: 'mutation', signal: stop.signal },
    before,
  );
  admin.catch(() => {});
  try {
    const dom = begin(stop.signal);
    dom.catch(() => {});
    const answer = await Promise.race([dom, admin.then((h) => h.dispose().then(() => null))]);
    if (answer) status = answer.status();
  } finally {
    stop.abort();
    page.off('response', onResponse);
  }
  return status;
}

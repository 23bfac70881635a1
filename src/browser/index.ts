// The browser session's public surface.
export { pickAdminLinks } from './admin.js';
export { cookieLosses, refusalOf, servedFromCache } from './cookie-facts.js';
export { BrowserNotFound, type ChromeFound, chromeCandidates, findChrome, requireChrome } from './find-chrome.js';
export { CookieHandover, handOverCookies } from './handover.js';
export { chromeArgs, isLoopbackHost, type LaunchedBrowser, type LaunchOptions, launchBrowser, withBrowser } from './launch.js';
export { classifyLogin, classifyLoginError } from './login-classify.js';
export { redactUrl, Scrubber } from './scrub.js';
export { type BrowserGather, gatherBrowser } from './session.js';
export type * from './types.js';

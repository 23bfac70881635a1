// What kind of page answered: WordPress's login form, a wp_die() screen, an
// admin page, a WordPress front page, a web server's default error page, a
// login wall or captive portal on another host…
//
// htmlparser2 (the parser under cheerio, linear on ordinary HTML) builds the tree; we
// then walk it once, iteratively, and collect what the classifier needs. No
// CSS selectors and no recursive text extraction: both go quadratic or blow
// the stack on deeply nested hostile HTML.

import { parseDocument } from 'htmlparser2';
import type { PageKind } from '../model.js';
import { parseRestError } from './rest-error.js';

export interface LoginFormInfo {
  /** the form's action, resolved against the page URL; null when absent or unresolvable */
  action: string | null;
  /** the action posts to another host than the page's */
  crossHost: boolean;
  method: string;
  hasUsername: boolean;
  hasPassword: boolean;
  hasRememberMe: boolean;
  /** the hidden redirect_to field (a URL, never a secret) */
  redirectTo?: string;
  /** `reauth=1` in the page URL: WordPress asked for the login again because the auth cookie was not valid */
  reauth: boolean;
  /** the modal re-login WordPress shows inside wp-admin when the session expired */
  interim: boolean;
}

export interface PageClassification {
  kind: PageKind;
  title?: string;
  /** visible text, whitespace-collapsed, at most EXCERPT_LENGTH characters */
  excerpt?: string;
  loginForm?: LoginFormInfo;
  /** the message the page gives: the login error box, the wp_die text, the REST error message… */
  message?: string;
  /** where a meta refresh or a cross-host form points, for login walls and portals */
  target?: string;
  /** the HTML was cut before parsing (size, tag count or nesting) */
  truncated?: boolean;
}

export interface ClassifyPageOptions {
  status?: number;
  /** response headers, names lower-cased */
  headers?: Record<string, string[]>;
}

export const MAX_HTML_LENGTH = 2 * 1024 * 1024;
export const EXCERPT_LENGTH = 300;
const MAX_TAGS = 20_000;
const MAX_APPROX_DEPTH = 1024;
const MAX_NODES = 60_000;
const MAX_CAPTURE = 4096;
const MAX_TITLE = 200;
const MAX_MESSAGE = 500;
const MARK_SCAN_LENGTH = 256 * 1024;

/** Classify an HTTP response body. Never throws; unknown or broken input is `other`. */
export function classifyPage(html: string, url: string, opts: ClassifyPageOptions = {}): PageClassification {
  return readPage(html, url, opts).page;
}

export interface PageRead {
  page: PageClassification;
  /** hrefs of <a> and <link rel="next"> as written, in document order (bounded): the crawler's raw links */
  hrefs: string[];
}

/** classifyPage and the page's links from one parse of the HTML. Never throws. */
export function readPage(html: string, url: string, opts: ClassifyPageOptions = {}): PageRead {
  const out: PageRead = { page: { kind: 'other' }, hrefs: [] };
  try {
    out.page = classify(typeof html === 'string' ? html : '', url, opts, out);
  } catch {
    out.page = { kind: 'other' };
  }
  return out;
}

function classify(input: string, url: string, opts: ClassifyPageOptions, read: PageRead): PageClassification {
  const pageUrl = safeUrl(url, undefined);
  const contentType = headerValue(opts.headers, 'content-type').toLowerCase();
  let html = input;
  let truncated = false;
  if (html.length > MAX_HTML_LENGTH) {
    html = html.slice(0, MAX_HTML_LENGTH);
    truncated = true;
  }

  const nonHtml = classifyNonHtml(html, input.length > MAX_HTML_LENGTH, contentType);
  if (nonHtml !== null) return nonHtml;

  const safe = safePrefix(html);
  if (safe.truncated) truncated = true;
  const facts = collect(safe.text, pageUrl);
  read.hrefs = facts.links.length === 0 ? facts.nextLinks : facts.nextLinks.length === 0 ? facts.links : [...facts.links, ...facts.nextLinks];
  const base: Omit<PageClassification, 'kind'> = {};
  if (facts.title !== '') base.title = facts.title;
  const excerpt = collapse(facts.bodyText !== '' ? facts.bodyText : facts.docText, EXCERPT_LENGTH);
  if (excerpt !== '') base.excerpt = excerpt;
  if (truncated) base.truncated = true;

  // 1. WordPress's own login form (wp-login.php, also the lost-password screens).
  const login = facts.forms.find((f) => f.id === 'loginform') ?? facts.forms.find((f) => f.hasLog && f.hasPwd);
  const wpLoginScreen = facts.bodyClasses.has('login') && facts.loginScreenId;
  if (login !== undefined || wpLoginScreen) {
    const result: PageClassification = { ...base, kind: 'wp-login' };
    if (login !== undefined) result.loginForm = loginFormInfo(login, pageUrl, url);
    const message = collapse(facts.captures.loginError, MAX_MESSAGE) || collapse(facts.captures.loginMessage, MAX_MESSAGE);
    if (message !== '') result.message = message;
    return result;
  }

  // 2. wp_die(): <body id="error-page"> with <div class="wp-die-message">.
  if (facts.bodyId === 'error-page' || facts.hasWpDieMessage) {
    const message = collapse(facts.captures.wpDie, MAX_MESSAGE) || collapse(facts.bodyText, MAX_MESSAGE);
    return message !== '' ? { ...base, kind: 'wp-die', message } : { ...base, kind: 'wp-die' };
  }

  // 3. An admin screen.
  if (facts.bodyClasses.has('wp-admin')) return { ...base, kind: 'wp-admin' };

  // 4. Web servers' built-in error pages.
  const address = collapse(facts.captures.address, 200);
  const center = collapse(facts.captures.center, 200).toLowerCase();
  const statusTitle = isStatusTitle(facts.title);
  if (address.startsWith('Apache') || (statusTitle && facts.apacheWording)) {
    return address !== '' ? { ...base, kind: 'apache-error', message: address } : { ...base, kind: 'apache-error' };
  }
  // nginx: <hr><center>nginx/1.22.1</center> (version hidden by server_tokens off: just "nginx")
  const nginx = /(?:^| )((?:nginx|openresty)(?:\/[0-9.]+)?)(?: |$)/.exec(center);
  if (nginx !== null && (statusTitle || facts.title === '')) {
    return { ...base, kind: 'nginx-error', message: nginx[1] ?? 'nginx' };
  }

  const wordpress = facts.generatorWordPress || facts.apiLink || facts.wpAssets > 0;

  // 5. Captive portals: status 511, or a well-known portal's marks on a page
  // that is not WordPress's (a blog post may well talk about guest Wi-Fi).
  if (opts.status === 511 || (!wordpress && hasCaptiveMarks(safe.text, facts))) {
    const target = facts.refreshTarget ?? crossHostPasswordForm(facts, pageUrl)?.action ?? undefined;
    return target ? { ...base, kind: 'captive-portal', target } : { ...base, kind: 'captive-portal' };
  }

  // 6. A login wall on another host (SSO, access proxy): a password form or a
  // meta refresh that leaves this host, on a page that is not WordPress's own.
  if (!wordpress && pageUrl !== null) {
    const form = crossHostPasswordForm(facts, pageUrl);
    if (form !== undefined) return { ...base, kind: 'login-wall-other-host', target: form.action ?? '' };
    if (facts.refreshTarget !== undefined && isOtherHost(facts.refreshTarget, pageUrl)) {
      return { ...base, kind: 'login-wall-other-host', target: facts.refreshTarget };
    }
    const away = dominantOtherHostLink(facts, pageUrl);
    if (away !== undefined && LOGIN_WORDS.some((w) => facts.docTextLower.includes(w))) {
      return { ...base, kind: 'login-wall-other-host', target: away };
    }
  }

  if (wordpress) return { ...base, kind: 'wordpress' };
  return { ...base, kind: 'other' };
}

// ---------------------------------------------------------------------------
// Non-HTML bodies

function classifyNonHtml(html: string, tooLong: boolean, contentType: string): PageClassification | null {
  const first = firstNonSpace(html);
  const jsonType = contentType.includes('json');
  if (jsonType || ((first === '{' || first === '[') && !contentType.includes('html'))) {
    const rest = tooLong ? null : parseRestError(html, contentType);
    if (rest !== null) return { kind: 'rest-json', message: rest.message };
    if (jsonType || isJson(html)) return { kind: 'json' };
  }
  const xmlType = (contentType.includes('/xml') || contentType.includes('+xml')) && !contentType.includes('xhtml');
  if (xmlType || (contentType === '' && html.startsWith('<?xml', html.indexOf('<')) && !html.slice(0, 4096).toLowerCase().includes('<html'))) {
    return { kind: 'xml' };
  }
  return null;
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Bounding the parser's work.
//
// htmlparser2 keeps its stack of open elements in an array it shifts, so each
// open tag costs as much as the current nesting depth. A cheap pre-scan
// approximates depth and tag count and cuts the HTML where either runs away.

const VOID_OR_AUTOCLOSED = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'option', 'optgroup', 'td', 'th', 'tr', 'thead', 'tbody', 'tfoot', 'dt', 'dd', 'rt', 'rp',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'template', 'iframe', 'noembed', 'noframes']);

function safePrefix(html: string): { text: string; truncated: boolean } {
  const lower = html.toLowerCase();
  const n = html.length;
  let tags = 0;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const j = lower.indexOf('<', i);
    if (j < 0) break;
    const c = lower.charCodeAt(j + 1);
    if (c === 0x21 /* ! */) {
      if (lower.startsWith('<!--', j)) {
        const k = lower.indexOf('-->', j + 4);
        i = k < 0 ? n : k + 3;
      } else {
        i = j + 2;
      }
      continue;
    }
    if (c === 0x2f /* / */) {
      if (depth > 0) depth--;
      i = j + 2;
      continue;
    }
    if (c < 0x61 || c > 0x7a) {
      i = j + 1;
      continue;
    }
    let e = j + 1;
    while (e < n && e - j <= 16 && isNameChar(lower.charCodeAt(e))) e++;
    const name = lower.slice(j + 1, e);
    const close = lower.indexOf('>', e);
    if (close < 0) break;
    tags++;
    if (!VOID_OR_AUTOCLOSED.has(name) && lower.charCodeAt(close - 1) !== 0x2f) depth++;
    if (tags > MAX_TAGS || depth > MAX_APPROX_DEPTH) return { text: html.slice(0, j), truncated: true };
    i = close + 1;
    if (RAW_TEXT.has(name)) {
      const end = lower.indexOf(`</${name}`, i);
      if (end < 0) break;
      i = end;
    }
  }
  return { text: html, truncated: false };
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

// ---------------------------------------------------------------------------
// One walk over the tree

interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
  children?: DomNode[];
}

interface FormFacts {
  id: string;
  action: string;
  method: string;
  hasLog: boolean;
  hasPwd: boolean;
  hasPasswordInput: boolean;
  hasRememberMe: boolean;
  hasWpSubmit: boolean;
  redirectTo?: string;
  interim: boolean;
}

type CaptureKey = 'loginError' | 'loginMessage' | 'wpDie' | 'address' | 'center';

interface Facts {
  title: string;
  bodyId: string;
  bodyClasses: Set<string>;
  /** an element with id login, lostpasswordform or resetpassform (wp-login.php's screens) */
  loginScreenId: boolean;
  ids: Set<string>;
  forms: FormFacts[];
  generatorWordPress: boolean;
  apiLink: boolean;
  wpAssets: number;
  hasWpDieMessage: boolean;
  refreshTarget?: string;
  links: string[];
  /** <link rel="next"> hrefs (paginated archives) */
  nextLinks: string[];
  bodyText: string;
  docText: string;
  docTextLower: string;
  apacheWording: boolean;
  captures: Record<CaptureKey, string>;
}

const SKIP_TEXT = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'textarea', 'select', 'option']);
const MAX_LINKS = 500;

function collect(html: string, pageUrl: URL | null): Facts {
  const facts: Facts = {
    title: '',
    bodyId: '',
    bodyClasses: new Set(),
    loginScreenId: false,
    ids: new Set(),
    forms: [],
    generatorWordPress: false,
    apiLink: false,
    wpAssets: 0,
    hasWpDieMessage: false,
    links: [],
    nextLinks: [],
    bodyText: '',
    docText: '',
    docTextLower: '',
    apacheWording: false,
    captures: { loginError: '', loginMessage: '', wpDie: '', address: '', center: '' },
  };
  const root = parseDocument(html) as unknown as DomNode;

  const bodyParts: string[] = [];
  const docParts: string[] = [];
  let bodyLen = 0;
  let docLen = 0;

  // Explicit stack; an `exit` entry undoes what entering the element set up.
  type Ctx = { inBody: boolean; skipText: boolean; form: FormFacts | null; inLogin: boolean; captures: CaptureKey[] };
  type Entry = { node: DomNode; ctx: Ctx };
  const stack: Entry[] = [
    { node: root, ctx: { inBody: false, skipText: false, form: null, inLogin: false, captures: [] } },
  ];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    const entry = stack.pop();
    if (entry === undefined) break;
    visited++;
    const { node, ctx } = entry;
    if (node.type === 'text') {
      const data = (node.data ?? '').slice(0, MAX_CAPTURE);
      for (const key of ctx.captures) {
        if (facts.captures[key].length < MAX_CAPTURE) facts.captures[key] += ` ${data}`;
      }
      if (!ctx.skipText) {
        if (docLen < MAX_CAPTURE) {
          docParts.push(data);
          docLen += data.length;
        }
        if (ctx.inBody && bodyLen < MAX_CAPTURE) {
          bodyParts.push(data);
          bodyLen += data.length;
        }
      }
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style' && node.type !== 'root') continue;

    const name = node.name ?? '';
    const attrs = node.attribs ?? {};
    // children share their parent's context unless this element changes it
    let next: Ctx = ctx;
    if (name !== '') {
      if (name === 'title' && facts.title === '') facts.title = collapse(textOfChildren(node), MAX_TITLE);
      const id = attrs.id ?? '';
      if (id === 'login' || id === 'lostpasswordform' || id === 'resetpassform') facts.loginScreenId = true;
      // the classes the classifier reads: <body>'s, and message boxes'
      const cls = attrs.class ?? '';
      const classes = cls !== '' && (name === 'body' || cls.includes('message')) ? splitClasses(cls) : NO_CLASSES;
      if (SKIP_TEXT.has(name) || ELEMENT_CASES.has(name) || id !== '' || classes.size > 0 || ctx.inLogin) {
        next = { ...ctx };
        if (SKIP_TEXT.has(name)) next.skipText = true;
        onElement(name, attrs, id, classes, facts, next, pageUrl);
      }
    }
    const children = node.children ?? [];
    for (let k = children.length - 1; k >= 0; k--) {
      const child = children[k];
      if (child !== undefined) stack.push({ node: child, ctx: next });
    }
  }
  facts.bodyText = bodyParts.join(' ');
  facts.docText = docParts.join(' ');
  facts.docTextLower = facts.docText.toLowerCase();
  facts.apacheWording = APACHE_WORDING.some((w) => facts.docText.includes(w));
  return facts;
}

/** The text directly inside an element such as <title> (its children are text only). */
function textOfChildren(node: DomNode): string {
  let out = '';
  for (const child of node.children ?? []) {
    if (child.type === 'text' && out.length < MAX_CAPTURE) out += child.data ?? '';
  }
  return out.slice(0, MAX_CAPTURE);
}

function onElement(
  name: string,
  attrs: Record<string, string>,
  id: string,
  classes: ReadonlySet<string>,
  facts: Facts,
  ctx: { inBody: boolean; form: FormFacts | null; inLogin: boolean; captures: CaptureKey[] },
  pageUrl: URL | null,
): void {
  const addCapture = (key: CaptureKey) => {
    if (!ctx.captures.includes(key)) ctx.captures = [...ctx.captures, key];
  };
  switch (name) {
    case 'body':
      ctx.inBody = true;
      if (facts.bodyId === '' && facts.bodyClasses.size === 0) {
        facts.bodyId = id;
        facts.bodyClasses = new Set(classes);
      }
      break;
    case 'meta': {
      const metaName = (attrs.name ?? '').toLowerCase();
      const content = attrs.content ?? '';
      if (metaName === 'generator' && content.toLowerCase().startsWith('wordpress')) facts.generatorWordPress = true;
      if ((attrs['http-equiv'] ?? '').toLowerCase() === 'refresh' && facts.refreshTarget === undefined) {
        const target = refreshUrl(content);
        if (target !== null) {
          const resolved = safeUrl(target, pageUrl);
          if (resolved !== null) facts.refreshTarget = resolved.href;
        }
      }
      break;
    }
    case 'link':
      if ((attrs.rel ?? '') === 'https://api.w.org/') facts.apiLink = true;
      if (isWpAsset(attrs.href)) facts.wpAssets++;
      if (typeof attrs.href === 'string' && facts.nextLinks.length < MAX_LINKS && splitClasses((attrs.rel ?? '').toLowerCase()).has('next')) {
        facts.nextLinks.push(attrs.href);
      }
      break;
    case 'script':
    case 'img':
      if (isWpAsset(attrs.src)) facts.wpAssets++;
      break;
    case 'a':
      if (typeof attrs.href === 'string' && facts.links.length < MAX_LINKS) facts.links.push(attrs.href);
      break;
    case 'form': {
      const form: FormFacts = {
        id,
        action: attrs.action ?? '',
        method: (attrs.method ?? 'get').toLowerCase(),
        hasLog: false,
        hasPwd: false,
        hasPasswordInput: false,
        hasRememberMe: false,
        hasWpSubmit: false,
        interim: false,
      };
      if (facts.forms.length < 50) facts.forms.push(form);
      ctx.form = form;
      break;
    }
    case 'input': {
      const form = ctx.form;
      if (form === null) break;
      const inputName = attrs.name ?? '';
      const type = (attrs.type ?? 'text').toLowerCase();
      if (inputName === 'log') form.hasLog = true;
      if (inputName === 'pwd') form.hasPwd = true;
      if (type === 'password') form.hasPasswordInput = true;
      if (inputName === 'rememberme') form.hasRememberMe = true;
      if (id === 'wp-submit' || inputName === 'wp-submit') form.hasWpSubmit = true;
      if (inputName === 'interim-login') form.interim = true;
      if (inputName === 'redirect_to' && type === 'hidden' && form.redirectTo === undefined) {
        form.redirectTo = (attrs.value ?? '').slice(0, 2048);
      }
      break;
    }
    case 'address':
      addCapture('address');
      break;
    case 'center':
      addCapture('center');
      break;
    default:
      break;
  }
  if (id === 'login') ctx.inLogin = true;
  if (id === 'login_error') addCapture('loginError');
  if (ctx.inLogin && classes.has('message') && id !== 'login_error') addCapture('loginMessage');
  if (classes.has('wp-die-message')) {
    facts.hasWpDieMessage = true;
    addCapture('wpDie');
  }
}

// ---------------------------------------------------------------------------
// Helpers

const LOGIN_WORDS = ['log in', 'login', 'sign in', 'signin', 'authenticate', 'single sign-on', 'anmelden', 'connexion'];

const APACHE_WORDING = [
  'This server could not verify that you',
  "You don't have permission to access",
  'The requested URL was not found on this server',
];

// Substrings seen in widely deployed captive portals (lower case), checked
// against the raw HTML. Each is specific enough not to appear on a normal site.
const CAPTIVE_MARKS = [
  'captive portal',
  'captiveportal',
  'captive-portal',
  '<wispaccessgatewayparam', // WISPr
  'network-auth.com', // Cisco Meraki splash pages
  'fgtauth', // FortiGate
  'wifidog',
  'uamip=', // ChilliSpot / CoovaChilli
  'coovachilli',
  '/guest/s/default', // UniFi guest portal
  'hotspotlogin',
  'hotspot login',
  '$(link-login-only)', // MikroTik template variable left unrendered
  'nomadix',
];

function hasCaptiveMarks(html: string, facts: Facts): boolean {
  const head = html.slice(0, MARK_SCAN_LENGTH).toLowerCase();
  if (CAPTIVE_MARKS.some((m) => head.includes(m))) return true;
  const text = `${facts.title} ${facts.docText}`.toLowerCase();
  const wifi = text.includes('wi-fi') || text.includes('wifi') || text.includes('hotspot');
  return wifi && (text.includes('accept') || text.includes('terms of use') || text.includes('guest'));
}

function crossHostPasswordForm(facts: Facts, pageUrl: URL | null): { action: string | null } | undefined {
  if (pageUrl === null) return undefined;
  for (const form of facts.forms) {
    if (!form.hasPasswordInput && !form.hasPwd) continue;
    const action = safeUrl(form.action, pageUrl);
    if (action !== null && isOtherHost(action.href, pageUrl)) return { action: action.href };
  }
  return undefined;
}

/** A host other than the page's that most of the page's (few) links go to. */
function dominantOtherHostLink(facts: Facts, pageUrl: URL): string | undefined {
  if (facts.links.length === 0 || facts.links.length > 10) return undefined;
  let other: string | undefined;
  let otherCount = 0;
  for (const href of facts.links) {
    const u = safeUrl(href, pageUrl);
    if (u === null || (u.protocol !== 'http:' && u.protocol !== 'https:')) continue;
    if (isOtherHost(u.href, pageUrl)) {
      otherCount++;
      other ??= u.href;
    }
  }
  return otherCount * 2 > facts.links.length ? other : undefined;
}

function loginFormInfo(form: FormFacts, pageUrl: URL | null, rawUrl: string): LoginFormInfo {
  const action = form.action === '' ? pageUrl : safeUrl(form.action, pageUrl);
  const info: LoginFormInfo = {
    action: action?.href ?? null,
    crossHost: action !== null && pageUrl !== null && isOtherHost(action.href, pageUrl),
    method: form.method,
    hasUsername: form.hasLog,
    hasPassword: form.hasPwd || form.hasPasswordInput,
    hasRememberMe: form.hasRememberMe,
    reauth: pageUrl !== null ? pageUrl.searchParams.get('reauth') === '1' : rawUrl.includes('reauth=1'),
    interim: form.interim || (pageUrl?.searchParams.has('interim-login') ?? false),
  };
  if (form.redirectTo !== undefined) info.redirectTo = form.redirectTo;
  return info;
}

function isOtherHost(href: string, pageUrl: URL): boolean {
  const u = safeUrl(href, pageUrl);
  if (u === null || (u.protocol !== 'http:' && u.protocol !== 'https:')) return false;
  return u.hostname.toLowerCase() !== pageUrl.hostname.toLowerCase();
}

/** `0; url=https://…` → the URL part, quotes removed. */
function refreshUrl(content: string): string | null {
  const lower = content.toLowerCase();
  const at = lower.indexOf('url');
  if (at < 0) return null;
  let rest = content.slice(at + 3).trimStart();
  if (!rest.startsWith('=')) return null;
  rest = rest.slice(1).trim();
  if ((rest.startsWith("'") || rest.startsWith('"')) && rest.length > 1) {
    const q = rest.charAt(0);
    const end = rest.indexOf(q, 1);
    rest = end > 0 ? rest.slice(1, end) : rest.slice(1);
  }
  return rest === '' ? null : rest.slice(0, 2048);
}

function isWpAsset(ref: string | undefined): boolean {
  return typeof ref === 'string' && (ref.includes('/wp-content/') || ref.includes('/wp-includes/'));
}

function isStatusTitle(title: string): boolean {
  // "401 Unauthorized", "401 Authorization Required", "403 Forbidden"
  if (title.length < 5 || title.charAt(3) !== ' ') return false;
  for (let i = 0; i < 3; i++) {
    const c = title.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

const NO_CLASSES: ReadonlySet<string> = new Set();
// the elements onElement has a case for; any other element without an id or
// a class it reads (and outside the login box) cannot change the walk
const ELEMENT_CASES = new Set(['body', 'meta', 'link', 'script', 'img', 'a', 'form', 'input', 'address', 'center']);

function splitClasses(value: string): Set<string> {
  const out = new Set<string>();
  for (const c of value.slice(0, 2048).split(/[ \t\n\r\f]+/)) if (c !== '') out.add(c);
  return out;
}

function headerValue(headers: Record<string, string[]> | undefined, name: string): string {
  if (headers === undefined || headers === null || typeof headers !== 'object') return '';
  const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

function firstNonSpace(s: string): string {
  for (let i = 0; i < s.length && i < 4096; i++) {
    const c = s.charAt(i);
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t' && c !== '\ufeff') return c;
  }
  return '';
}

function safeUrl(href: string, base: URL | null | undefined): URL | null {
  try {
    if (typeof href !== 'string' || href.length > 4096) return null;
    return base ? new URL(href.trim(), base) : new URL(href.trim());
  } catch {
    return null;
  }
}

/** Whitespace-collapsed, trimmed, cut to `max` characters (with an ellipsis when cut). */
function collapse(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

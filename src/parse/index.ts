// The parsers: pure functions from raw response parts to plain data.

export {
  type Challenge,
  canonicalScheme,
  MAX_VALUE_LENGTH,
  parseWwwAuthenticate,
  parseWwwAuthenticateDetailed,
  type WwwAuthenticateResult,
} from './www-authenticate.js';
export {
  COOKIE_PROBLEM_CODES,
  type CookieJudgement,
  type CookieProblem,
  type CookieProblemCode,
  cookieCoversPath,
  isWordPressAuthCookie,
  type JudgeSetCookieOptions,
  judgeSetCookie,
  MAX_COOKIE_BYTES,
  MAX_SET_COOKIE_LENGTH,
  type SameSite,
  type WordPressCookieKind,
  wordPressCookieKind,
} from './set-cookie.js';
export { MAX_REST_BODY_LENGTH, parseRestError, type RestError, type RestErrorItem } from './rest-error.js';
export {
  type ClassifyPageOptions,
  classifyPage,
  EXCERPT_LENGTH,
  type LoginFormInfo,
  MAX_HTML_LENGTH,
  type PageClassification,
} from './page.js';

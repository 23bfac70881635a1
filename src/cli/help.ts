// The words of `wp401 --help` beyond the options: examples, environment
// variables, exit codes and where the reports go. Kept apart from the parser
// so the options list stays readable.
import { SECRET_ENV } from '../config/secrets.js';

export const EXAMPLES: [string, string][] = [
  ['read -rs WP401_PASSWORD && export WP401_PASSWORD', 'ask for the password without echoing it'],
  ['$0 scan https://staging.example.com/ --user admin', 'scan, log in as admin, write ./wp401-report/'],
  ['$0 scan https://staging.example.com/ --user admin --isolate', 'name the plugin behind each 401 (companion plugin + WP401_BRIDGE_KEY)'],
  ['$0 scan https://staging.example.com/ --no-browser --json > result.json', 'HTTP probes only, the result as JSON on stdout (CI)'],
  ['$0 scan-many sites.yml --out fleet', 'many sites; fleet/index.html sums them up'],
  ['$0 bridge zip', 'write wp401-bridge.zip to upload in Plugins → Add New'],
];

const ENVIRONMENT = [
  `  ${SECRET_ENV.password.padEnd(26)} the WordPress password of --user`,
  `  ${SECRET_ENV.appPassword.padEnd(26)} an application password of --user`,
  `  ${SECRET_ENV.httpUser.padEnd(26)} user of a site-wide HTTP basic-auth lock`,
  `  ${SECRET_ENV.httpPassword.padEnd(26)} its password`,
  `  ${SECRET_ENV.bridgeKey.padEnd(26)} the companion plugin's key (Tools → wp401)`,
  `  ${'PUPPETEER_EXECUTABLE_PATH'.padEnd(26)} the Chromium or Chrome to use`,
  `  ${'NODE_EXTRA_CA_CERTS'.padEnd(26)} extra certificate authorities (like --ca)`,
  `  ${'NO_COLOR'.padEnd(26)} no colours in the terminal`,
];

export const EPILOGUE = [
  'Secrets are read from the environment only, never from the command line:',
  ...ENVIRONMENT,
  '',
  'Reports: ./wp401-report/ (--out): index.html, wp401.json, wp401.har (--format).',
  '--json writes the result to stdout instead, and nothing else goes there.',
  '',
  'Exit codes:',
  '  0    no authentication problem found',
  '  1    problems found (or the scan was cut short by its time budget)',
  '  2    usage or configuration error',
  '  3    the site is unreachable or not WordPress',
  '  4    wp401 itself failed (a file it cannot read or write, a crash)',
  '  130  interrupted (Ctrl-C); a partial report is written',
].join('\n');

// Secrets come from the environment only — never from argv, where `ps`
// shows them, nor from the config file (it refuses them). They travel in this
// object only, and every one is registered with the redactor.

export interface Secrets {
  password?: string;
  appPassword?: string;
  httpUser?: string;
  httpPassword?: string;
  bridgeKey?: string;
}

export const SECRET_ENV = {
  password: 'WP401_PASSWORD',
  appPassword: 'WP401_APP_PASSWORD',
  httpUser: 'WP401_HTTP_USER',
  httpPassword: 'WP401_HTTP_PASSWORD',
  bridgeKey: 'WP401_BRIDGE_KEY',
} as const;

export function readSecrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  const out: Secrets = {};
  for (const [key, name] of Object.entries(SECRET_ENV) as [keyof Secrets, string][]) {
    const v = env[name];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

/** Every secret value worth scrubbing from output, including the user:password pair. */
export function secretValues(s: Secrets): string[] {
  const list = [s.password, s.appPassword, s.httpPassword, s.bridgeKey].filter((v): v is string => !!v);
  if (s.appPassword) list.push(s.appPassword.replace(/\s+/g, ''));
  return list;
}

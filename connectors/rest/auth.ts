import { z } from 'zod';
import { ConfigError } from '../../lib/errors.js';

/**
 * Authentication of a declarative HTTP source. Secrets are named by environment variable and
 * read from the environment when the project file is loaded, so a missing one stops the start;
 * the file never holds a secret.
 */

const environmentName = /^[A-Z_][A-Z0-9_]*$/;

/** The name of an environment variable that must be set when the project is loaded. */
export const secretName = z
  .string()
  .regex(environmentName, 'an environment variable name such as TERREZE_YELO_API_KEY')
  .superRefine((name, context) => {
    if ((process.env[name] ?? '') !== '') return;
    context.addIssue({
      code: 'custom',
      message: `environment variable ${name} to be set (the secret is read from the environment, never from the project file)`,
    });
  });

export const authParameter = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none') }),
    /** An API key in a header, such as La Rochelle's `X-Cda-Lr-Api-Key`. */
    z.strictObject({ type: z.literal('header'), header: z.string().min(1), secretEnv: secretName }),
    z.strictObject({ type: z.literal('bearer'), secretEnv: secretName }),
    z.strictObject({
      type: z.literal('basic'),
      username: z.string().min(1),
      passwordEnv: secretName,
    }),
    /** An API key in the query string; kept out of every recorded URL. */
    z.strictObject({
      type: z.literal('query'),
      parameter: z.string().min(1),
      secretEnv: secretName,
    }),
  ])
  .default({ type: 'none' });

export type AuthParameter = z.infer<typeof authParameter>;

export interface ResolvedAuth {
  headers: Record<string, string>;
  searchParams: Record<string, string>;
  secrets: string[];
}

function secret(name: string, source: string): string {
  const value = process.env[name] ?? '';
  if (value === '') {
    throw new ConfigError('environment', [
      {
        path: name,
        expected: `the secret of source ${source} (it was set when the project loaded)`,
      },
    ]);
  }
  return value;
}

/** The headers and query parameters a source's authentication adds to every request. */
export function resolveAuth(auth: AuthParameter, source: string): ResolvedAuth {
  switch (auth.type) {
    case 'none':
      return { headers: {}, searchParams: {}, secrets: [] };
    case 'header': {
      const value = secret(auth.secretEnv, source);
      return { headers: { [auth.header]: value }, searchParams: {}, secrets: [value] };
    }
    case 'bearer': {
      const value = secret(auth.secretEnv, source);
      return { headers: { authorization: `Bearer ${value}` }, searchParams: {}, secrets: [value] };
    }
    case 'basic': {
      const password = secret(auth.passwordEnv, source);
      const token = Buffer.from(`${auth.username}:${password}`).toString('base64');
      return {
        headers: { authorization: `Basic ${token}` },
        searchParams: {},
        secrets: [password, token],
      };
    }
    case 'query': {
      const value = secret(auth.secretEnv, source);
      return { headers: {}, searchParams: { [auth.parameter]: value }, secrets: [value] };
    }
  }
}

/**
 * The AWS credentials local handlers sign with, and so the keys the @connections API must accept from them.
 * A Lambda function signs with its execution role; locally a handler inherits the emulator's environment, as
 * SAM and serverless-offline hand on the developer's credentials, so a handler can still call AWS itself:
 * - keys in the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) are passed on;
 * - a profile (AWS_PROFILE, or `default`) of the shared files is left to the handler's SDK, which resolves it;
 *   the static keys of that profile are accepted by @connections (a profile without static keys, such as SSO or
 *   an assumed role, is not: src/local/LIMITATIONS.md);
 * - nothing at all (no keys, no profile, no shared files: CI, a container): the handler gets the emulator's first
 *   key pair (default `test`/`test`), so its SDK can sign @connections calls.
 */
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import type {KnownCredential} from '../../protocol/sigv4.ts'

const SOURCES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
]

/** Whether a handler's SDK would find credentials of its own in `env` (keys, a profile, the shared files). */
export function environmentHasCredentials(env: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  if (SOURCES.some((name) => env[name])) return true
  return existsSync(join(home, '.aws', 'credentials')) || existsSync(join(home, '.aws', 'config'))
}

/** The environment variables that give a handler credentials: none when it has its own, else the emulator's pair. */
export function handlerCredentialEnvironment(
  known: readonly KnownCredential[],
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): Record<string, string> {
  if (environmentHasCredentials(env, home)) return {}
  const pair = known[0]
  return pair ? {AWS_ACCESS_KEY_ID: pair.accessKeyId, AWS_SECRET_ACCESS_KEY: pair.secretAccessKey} : {}
}

/**
 * The key pairs handlers sign with that the emulator can verify: the environment's keys, and the static keys of the
 * active profile (AWS_PROFILE, else `default`) in the shared credentials and config files.
 */
export async function handlerKeyPairs(env: NodeJS.ProcessEnv = process.env): Promise<KnownCredential[]> {
  const out: KnownCredential[] = []
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    out.push({accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, profile: 'local-functions'})
  const profile = env.AWS_PROFILE || 'default'
  try {
    const {loadSharedConfigFiles} = await import('@smithy/core/config')
    const {credentialsFile, configFile} = await loadSharedConfigFiles({ignoreCache: true})
    for (const values of [credentialsFile[profile], configFile[profile]]) {
      if (values?.aws_access_key_id && values.aws_secret_access_key)
        out.push({accessKeyId: values.aws_access_key_id, secretAccessKey: values.aws_secret_access_key, profile})
    }
  } catch {
    // No readable shared files: nothing more to accept.
  }
  return out
}

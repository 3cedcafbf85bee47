/**
 * The AWS CLI v2 as an independent client of the emulator: where it is, whether a test may run it, and an
 * environment that isolates it from the user's own AWS configuration.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'

export const AWS_CLI = process.env.APIGW_AWS_CLI ?? '/usr/bin/aws'

/** Why an AWS CLI test cannot run here (skip with it), or undefined. In CI the CLI is required: that throws. */
export function awsCliSkipReason(): string | undefined {
  if (existsSync(AWS_CLI)) return undefined
  if (process.env.CI) throw new Error(`The AWS CLI v2 is required in CI but ${AWS_CLI} does not exist (set APIGW_AWS_CLI).`)
  return `AWS CLI v2 not found at ${AWS_CLI} (set APIGW_AWS_CLI or install awscli to run this test)`
}

/** Dummy credentials, region us-east-1, no instance metadata and no config or credentials files of the user's. */
export function awsCliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    ...extra,
  }
}

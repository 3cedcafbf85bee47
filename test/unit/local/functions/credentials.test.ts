/**
 * The credentials local handlers get and the keys @connections accepts from them (data-plane/functions/credentials.ts):
 * a developer's keys or profile stay the handler's (it may call AWS itself); with none at all the handler gets the
 * emulator's pair; the static keys of the active profile are accepted.
 */
import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {
  environmentHasCredentials,
  handlerCredentialEnvironment,
  handlerKeyPairs,
} from '../../../../src/local/data-plane/functions/credentials.ts'
import {tempDir} from '../../../helpers/temp.ts'

const EMULATOR = [{accessKeyId: 'test', secretAccessKey: 'test', profile: 'test'}]

describe('credentials of local handlers', () => {
  it('gives the emulator pair only when the environment has no credentials of its own', () => {
    const home = tempDir()
    assert.equal(environmentHasCredentials({}, home), false)
    assert.deepEqual(handlerCredentialEnvironment(EMULATOR, {}, home), {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'})
    for (const env of [{AWS_ACCESS_KEY_ID: 'AKIDX', AWS_SECRET_ACCESS_KEY: 's'}, {AWS_PROFILE: 'dev'}, {AWS_SHARED_CREDENTIALS_FILE: '/x'}])
      assert.deepEqual(handlerCredentialEnvironment(EMULATOR, env, home), {}, JSON.stringify(env))
    mkdirSync(join(home, '.aws'))
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = h\n')
    assert.deepEqual(handlerCredentialEnvironment(EMULATOR, {}, home), {})
  })

  it('accepts the environment keys and the static keys of the active profile, from both shared files', async () => {
    const dir = tempDir()
    const credentials = join(dir, 'credentials')
    const config = join(dir, 'config')
    writeFileSync(
      credentials,
      '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = v\n',
    )
    writeFileSync(config, '[profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = o\n[profile sso]\nsso_session = corp\n')
    const files = {AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config}
    const ids = async (env: NodeJS.ProcessEnv) => {
      const saved = {...process.env}
      // loadSharedConfigFiles reads the file paths from process.env.
      Object.assign(process.env, files)
      try {
        return (await handlerKeyPairs(env)).map((p) => p.accessKeyId)
      } finally {
        for (const k of Object.keys(files)) if (saved[k] === undefined) delete process.env[k]
        Object.assign(process.env, saved)
      }
    }
    assert.deepEqual(await ids({}), ['AKIDDEFAULT'])
    assert.deepEqual(await ids({AWS_PROFILE: 'dev'}), ['AKIDDEV'])
    assert.deepEqual(await ids({AWS_PROFILE: 'ops'}), ['AKIDOPS'])
    assert.deepEqual(await ids({AWS_PROFILE: 'sso'}), [])
    assert.deepEqual(await ids({AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e'}), ['AKIDENV', 'AKIDDEV'])
  })
})

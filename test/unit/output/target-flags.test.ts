// Hints that work when copied (issue 14 point 5): the target flags in use are appended to every apigw command a
// text quotes, once, and only where the command takes them.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {targetFlagsFromArgv, withTargetFlags} from '../../../src/output/target-flags.ts'

describe('targetFlagsFromArgv', () => {
  const cases: Array<[string, string[], ReturnType<typeof targetFlagsFromArgv>]> = [
    ['nothing', ['pets', '--stage', 'dev'], {}],
    ['--local', ['--stage', 'dev', '--local'], {local: true}],
    [
      'valued flags, both spellings',
      ['--region', 'eu-west-1', '--profile=ci', '--endpoint-url', 'http://127.0.0.1:4567'],
      {
        region: 'eu-west-1',
        profile: 'ci',
        endpointUrl: 'http://127.0.0.1:4567',
      },
    ],
    ['--config', ['--config', 'infra/apigw.yaml'], {config: 'infra/apigw.yaml'}],
    ['after --, words are arguments', ['--', '--local'], {}],
  ]
  for (const [name, argv, expected] of cases) {
    it(name, () => {
      // Given a command line / When its target flags are read / Then they are the ones typed
      assert.deepEqual(targetFlagsFromArgv(argv), expected)
    })
  }
})

describe('withTargetFlags', () => {
  const cases: Array<[string, string, Parameters<typeof withTargetFlags>[1], string]> = [
    ['no flags: unchanged', 'Deploy it first: `apigw deploy pets --stage qa`.', {}, 'Deploy it first: `apigw deploy pets --stage qa`.'],
    [
      '--local appended',
      'Deploy it first: `apigw deploy pets --stage qa`.',
      {local: true},
      'Deploy it first: `apigw deploy pets --stage qa --local`.',
    ],
    [
      'every quoted command, in order of the flags',
      'Run `apigw history pets --stage prod`, then `apigw rollback pets --stage prod --to d1`.',
      {endpointUrl: 'http://127.0.0.1:4567', region: 'eu-west-1', profile: 'ci'},
      'Run `apigw history pets --stage prod --endpoint-url http://127.0.0.1:4567 --region eu-west-1 --profile ci`, then ' +
        '`apigw rollback pets --stage prod --to d1 --endpoint-url http://127.0.0.1:4567 --region eu-west-1 --profile ci`.',
    ],
    ['a flag already there is not repeated', '`apigw deploy --local --stage dev`', {local: true}, '`apigw deploy --local --stage dev`'],
    ['init takes none', 'Run `apigw init` first.', {local: true, config: 'x/apigw.yaml'}, 'Run `apigw init` first.'],
    ['--help is left alone', 'See `apigw deploy --help`.', {local: true}, 'See `apigw deploy --help`.'],
    [
      'local and validate take only --config',
      '`apigw local reset --yes` or `apigw validate pets`',
      {local: true, region: 'eu-west-1', config: 'infra/apigw.yaml'},
      '`apigw local reset --yes --config infra/apigw.yaml` or `apigw validate pets --config infra/apigw.yaml`',
    ],
    ['values are shell-quoted', '`apigw status`', {config: 'my project/apigw.yaml'}, "`apigw status --config 'my project/apigw.yaml'`"],
    ['other tools are left alone', '`aws apigateway get-rest-apis`', {local: true}, '`aws apigateway get-rest-apis`'],
  ]
  for (const [name, text, flags, expected] of cases) {
    it(name, () => {
      // Given a hint and the flags in use / When retargeted / Then each apigw command carries them
      assert.equal(withTargetFlags(text, flags), expected)
    })
  }
})

/**
 * Cold start: `apigw --help` and `apigw validate` (a small spec, and the 4 MB Stripe spec) against
 * `node -e 0` and `aws --version` (AWS CLI v2, when installed), medians over several runs, ratios taken in
 * this one run.
 */
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fmt, printTable, type Row, sharedSpec, timeCommand} from './lib.ts'

const root = new URL('..', import.meta.url).pathname
const bin = join(root, 'bin/run.js')
const node = process.execPath
const cwd = mkdtempSync(join(tmpdir(), 'apigw-bench-'))
const small = join(root, 'test/fixtures/validate/rest-good.yaml')
const awsCli = process.env.APIGW_AWS_CLI ?? '/usr/bin/aws'

const nodeMs = timeCommand(node, ['-e', '0'], {runs: 9})
const helpMs = timeCommand(node, [bin, '--help'], {runs: 9, cwd})
const validateSmallMs = timeCommand(node, [bin, 'validate', '--spec', small], {cwd})
const stripe = sharedSpec('stripe-e0123a3.json')
const validateStripeMs = stripe ? timeCommand(node, [bin, 'validate', '--spec', stripe], {runs: 5, cwd}) : undefined
const awsMs = existsSync(awsCli) ? timeCommand(awsCli, ['--version'], {runs: 5, cwd}) : undefined

const rows: Row[] = [
  {name: 'node -e 0', value: fmt(nodeMs)},
  {name: 'apigw --help', value: fmt(helpMs)},
  {name: 'apigw --help / node -e 0', value: `${(helpMs / nodeMs).toFixed(2)}x`, target: '<= 5x', ok: helpMs / nodeMs <= 5},
]
if (awsMs !== undefined) {
  rows.push({name: 'aws --version (AWS CLI v2)', value: fmt(awsMs)})
  rows.push({name: 'apigw --help / aws --version', value: `${(helpMs / awsMs).toFixed(2)}x`, target: '<= 0.3x', ok: helpMs / awsMs <= 0.3})
} else rows.push({name: `aws --version: skipped (${awsCli} not installed)`, value: '-'})
rows.push({name: 'apigw validate (small spec, 2 files)', value: fmt(validateSmallMs)})
rows.push({name: 'apigw validate / node -e 0', value: `${(validateSmallMs / nodeMs).toFixed(2)}x`})
if (validateStripeMs !== undefined)
  rows.push({name: 'apigw validate stripe-e0123a3.json (4 MB)', value: fmt(validateStripeMs), target: '< 1 s', ok: validateStripeMs < 1000})
printTable('Cold start (medians)', rows)

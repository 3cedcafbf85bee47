/**
 * Every error message the v1 control plane (src/local/control-plane/v1/) can produce, with its source: either AWS's
 * recordings (test/fixtures/ground-truth/19-error-messages-catalogue.json and v1-updates-vpc-links.json, matched
 * with `${…}` parts as wildcards), or the list below of messages written by the emulator in AWS's style where no
 * recording exists (each also said in src/local/LIMITATIONS.md). A new message in the source fails this test until
 * it is found in a recording or added here with its reason; a message listed here that the source no longer has
 * fails it too, so the list stays true.
 */
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {messagesIn} from '../../helpers/error-messages.ts'

/** The calls whose first argument is a message (and `new AwsError(code, …)`). */
const CALLEES = ['badRequest', 'notFound', 'conflict']

const SRC = new URL('../../../src/local/control-plane/v1/', import.meta.url)
const GT = new URL('../../fixtures/ground-truth/', import.meta.url)

/**
 * The modules checked: the REST API configuration, deployments, stages, exports, keys, plans, account, tags,
 * client certificates and VPC links. A new module joins the list when its messages have their sources.
 */
const CHECKED = [
  'account.ts',
  'api-key-import.ts',
  'api-keys.ts',
  'client-certificates.ts',
  'common.ts',
  'config.ts',
  'deployments.ts',
  'documentation.ts',
  'edits.ts',
  'exports.ts',
  'keys-and-plans.ts',
  'lookup.ts',
  'model-template.ts',
  'resources.ts',
  'rest-apis.ts',
  'sdk.ts',
  'stage-cache.ts',
  'stages.ts',
  'tags.ts',
  'updates.ts',
  'usage-plans.ts',
  'vpc-links.ts',
]

/** Messages of the emulator's own wording (AWS's answer not recorded), `{}` standing for an interpolated value. */
const NOT_RECORDED: Record<string, string> = {
  'Invalid feature specified: null': 'UpdateAccount / GetAccount: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid throttle value specified: {}': 'UpdateAccount / GetAccount: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'The role ARN is not well formed: {}': 'UpdateAccount / GetAccount: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid API Key file: the file is empty.': 'ImportApiKeys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid API Key file: the {} column is missing.': 'ImportApiKeys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid API Key file: {}': 'ImportApiKeys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid format specified: {}. Valid options are csv': 'ImportApiKeys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Warnings found during import:\n{}': 'ImportApiKeys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'API Key already exists': 'API keys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Cannot create more API keys: the limit of {} API keys per account and Region is reached.':
    'API keys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected a boolean for {}': 'API keys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected a string for {}': 'API keys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid stage identifier specified': 'API keys: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid Client Certificate identifier specified': 'client certificates: not recorded (LIMITATIONS: client certificates)',
  'Expected a list for patchOperations': 'paging and body types: Coral-style, not recorded',
  'Expected a map of strings for {}': 'paging and body types: Coral-style, not recorded',
  'Expected a string value for {}.{}': 'paging and body types: Coral-style, not recorded',
  'Invalid position parameter specified': 'paging and body types: Coral-style, not recorded',
  'STRING_VALUE can not be converted to an Integer': 'paging and body types: Coral-style, not recorded',
  'No integration defined for method': "CreateDeployment: AWS's words as the issue and API reference give them; no recording",
  "The REST API doesn't contain any methods": 'CreateDeployment: the API reference states it, the words are not recorded',
  "1 validation error detected: Value '{}' at 'createAuthorizerInput.type' failed to satisfy constraint: Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]":
    'Create/Put/Delete edits: not recorded (LIMITATIONS: REST APIs)',
  'Cannot delete authorizer, is referenced in method': 'Create/Put/Delete edits: not recorded (LIMITATIONS: REST APIs)',
  'Cannot delete root resource': 'Create/Put/Delete edits: not recorded (LIMITATIONS: REST APIs)',
  'Invalid gateway response type specified: {}': 'Create/Put/Delete edits: not recorded (LIMITATIONS: REST APIs)',
  'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]':
    'Create/Put/Delete edits: not recorded (LIMITATIONS: REST APIs)',
  'Model name must be alphanumeric': 'Create/Put/Delete edits: not recorded (LIMITATIONS: REST APIs)',
  'Invalid export type specified: {}. Valid types are oas30, swagger': 'GetExport: not recorded (LIMITATIONS: REST APIs)',
  'Invalid extensions specified: {}': 'GetExport: not recorded (LIMITATIONS: REST APIs)',
  "1 validation error detected: Value '{}' at 'createRestApiInput.apiKeySource' failed to satisfy constraint: Member must satisfy enum value set: [HEADER, AUTHORIZER]":
    'REST APIs and import: not recorded (LIMITATIONS: REST APIs)',
  "1 validation error detected: Value '{}' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [merge, overwrite]":
    "PutRestApi mode: Coral's recorded form for other members (19), not recorded for mode",
  'Invalid REST API name specified': 'REST APIs and import: not recorded (LIMITATIONS: REST APIs)',
  'Invalid basepath parameter value: {}. Valid values are: ignore, prepend, split':
    'REST APIs and import: not recorded (LIMITATIONS: REST APIs)',
  'Warnings found during import:\n\t{}': 'REST APIs and import: not recorded (LIMITATIONS: REST APIs)',
  'GetSdk for sdkType {} is not supported by the apigw local emulator (only javascript is generated locally; see LIMITATIONS.md). Use `apigw export sdk --language typescript` for a typed client.':
    "GetSdk: the emulator's own (LIMITATIONS: GetSdk)",
  'Invalid SDK type specified': "GetSdk: the emulator's own (LIMITATIONS: GetSdk)",
  'Canary weight must be between 0.0 and 100.0': 'stages: not recorded (LIMITATIONS: REST APIs)',
  'Invalid Deployment identifier specified': 'stages: not recorded (LIMITATIONS: REST APIs)',
  "Invalid patch operation specified. Must be 'add'|'remove'|'replace'|'copy'": 'stages: not recorded (LIMITATIONS: REST APIs)',
  'Invalid value for {}: {}': 'stages: not recorded (LIMITATIONS: REST APIs)',
  'Stage already exists': 'stages: not recorded (LIMITATIONS: REST APIs)',
  'Stage name only allows a-zA-Z0-9_': 'stages: not recorded (LIMITATIONS: REST APIs)',
  'A resource can have at most {} tags': 'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid Stage identifier specified': 'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid resource identifier specified: {} cannot be tagged in the apigw local emulator':
    'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid tag key: {}': 'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid tag value for key: {}': 'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Tag keys cannot start with the reserved prefix aws:': 'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Tags must be specified': 'tags: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid Authorizer identifier specified': 'Update* patch operations: not recorded (LIMITATIONS: Update* patch operations)',
  'Invalid authorizer name specified': 'Update* patch operations: not recorded (LIMITATIONS: Update* patch operations)',
  'Invalid authorizer result TTL specified. Must be between 0 and 3600':
    'Update* patch operations: not recorded (LIMITATIONS: Update* patch operations)',
  'Invalid resource name specified': 'Update* patch operations: not recorded (LIMITATIONS: Update* patch operations)',
  'Invalid status code specified: {}': 'Update* patch operations: not recorded (LIMITATIONS: Update* patch operations)',
  'Timeout should be between 50 ms and 29000 ms': 'Update* patch operations: not recorded (LIMITATIONS: Update* patch operations)',
  "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [WEEK, DAY, MONTH]":
    'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'API Key {} cannot be added to more than {} usage plans.': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'API Key {} is already associated with Usage Plan {}': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Cannot delete Usage Plan {} because there are API Stages associated with it, including {}:{}':
    'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected a list for apiStages': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected a map for apiStages.throttle': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected an object for quota': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected an object for {}': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Expected {} for {}': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid API Key identifier specified': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid Authorizer URI: {}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.':
    'CreateAuthorizer / UpdateAuthorizer: AWS words quoted in public deployment reports, not in a recording',
  'Invalid API Stage {api: %s, stage: %s} specified for usageplan %s':
    'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid key type specified: {}. Valid options are API_KEY': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid remaining quota specified: {}': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Invalid {} specified: {}. The date format is yyyy-MM-dd': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'The end date must not be before the start date': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Usage Plan name must be non-empty': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Usage Plan {} cannot be added because API Key {} cannot reference multiple Usage Plans with the same API Stage: {}:{}':
    'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'Usage Plan {} has no quota to update': 'usage plans / usage: not recorded (LIMITATIONS: v1 keys, plans, account)',
  'TargetArns cannot be empty': "VPC links: the emulator's wording (LIMITATIONS: VPC links)",
  "1 validation error detected: Value null at '{}.location.type' failed to satisfy constraint: Member must not be null":
    "documentation: Coral's constraint wording as recorded for other members (LIMITATIONS: documentation parts and versions)",
  "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null":
    "documentation: Coral's constraint wording as recorded for other members (LIMITATIONS: documentation parts and versions)",
  "1 validation error detected: Value '{}' at 'locationStatus' failed to satisfy constraint: Member must satisfy enum value set: [DOCUMENTED, UNDOCUMENTED]":
    "documentation: Coral's constraint wording as recorded for other members (LIMITATIONS: documentation parts and versions)",
  "1 validation error detected: Value null at 'createDocumentationVersionInput.documentationVersion' failed to satisfy constraint: Member must not be null":
    "documentation: Coral's constraint wording as recorded for other members (LIMITATIONS: documentation parts and versions)",
  "Invalid location attribute '{}' specified for type {}.": 'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
  "Location attribute 'name' is required for type {}.": 'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
  'Invalid path specified: {}': 'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
  'Invalid documentation properties specified: the value must be a JSON object.':
    'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
  'Documentation part already exists for the specified location: {}.':
    "documentation: the developer guide's words (Document an API using the API Gateway REST API), not a recording",
  'Invalid mode specified: {}. Valid values are: merge, overwrite':
    'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
  'Invalid Documentation version identifier specified': 'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
  'Documentation version already exists: {}': 'documentation: not recorded (LIMITATIONS: documentation parts and versions)',
}

function recordedMessages(): string[] {
  const catalogue = JSON.parse(readFileSync(new URL('19-error-messages-catalogue.json', GT), 'utf8')) as {errors: {message: string}[]}
  const updates = JSON.parse(readFileSync(new URL('v1-updates-vpc-links.json', GT), 'utf8')) as {
    recordings: Record<string, Record<string, {message?: string}>>
  }
  const fromUpdates = Object.values(updates.recordings).flatMap((g) => Object.values(g).flatMap((r) => (r.message ? [r.message] : [])))
  return [...catalogue.errors.map((e) => e.message), ...fromUpdates]
}

/** A source message with `{}` wildcards matches a recorded one (placeholders like `<name:1>` match anything). */
function matchesRecording(message: string, recorded: string[]): boolean {
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(`^${message.split('{}').map(escapeRe).join('.+')}$`, 's')
  return recorded.some((r) => pattern.test(r) || pattern.test(r.replace(/<[^>]+>/g, 'x')))
}

describe('v1 control-plane error messages and their sources', () => {
  const files = readdirSync(SRC).filter((f) => CHECKED.includes(f))
  const found = new Map<string, string>()
  for (const f of files) for (const msg of messagesIn(readFileSync(new URL(f, SRC), 'utf8'), CALLEES)) found.set(msg, f)
  const recorded = recordedMessages()

  it('finds the messages in the source', () => {
    assert.ok(found.size > 40, `only ${found.size} messages found: the extraction is broken`)
    assert.ok(found.has('Invalid Vpc Link identifier specified'))
    assert.equal(files.length, CHECKED.length, 'a checked module is missing')
  })

  it('has a source for every message: an AWS recording, or the list of the emulator’s own wordings', () => {
    const unsourced = [...found.entries()].filter(([msg]) => !matchesRecording(msg, recorded) && !(msg in NOT_RECORDED))
    assert.deepEqual(
      unsourced.map(([msg, f]) => `${f}: ${msg}`),
      [],
      `messages without a recording: find AWS's words, or add them to NOT_RECORDED with the reason\n${JSON.stringify(unsourced)}`,
    )
  })

  it('lists only messages the source still has', () => {
    const stale = Object.keys(NOT_RECORDED).filter((msg) => !found.has(msg))
    assert.deepEqual(stale, [])
  })
})

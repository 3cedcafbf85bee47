export {registry} from './registry.ts'
export {runChecks} from './run-checks.ts'
export type {Check, CheckContext, ChecksConfig, DiffReport, Draft, IgnoreRule, RegistryEntry} from './types.ts'

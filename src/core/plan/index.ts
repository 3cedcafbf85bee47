export {apiArn, planDeployment, TAG_API, TAG_USAGE_PLAN} from './plan.ts'
export * from './settings.ts'
export type * from './types.ts'

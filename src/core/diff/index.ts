export {diffSpecs} from './diff-specs.ts'
export type * from './types.ts'

/** API Gateway v1: API keys, usage plans and their keys, usage, tags, account. */
import type {RouteDef} from '../../types.ts'

export const keysAndPlansRoutes: RouteDef[] = []

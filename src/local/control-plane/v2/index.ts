/** API Gateway v2 (HTTP APIs): every route under /v2. */
import type {RouteDef} from '../../types.ts'

export const v2Routes: RouteDef[] = []

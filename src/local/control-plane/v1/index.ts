/** API Gateway v1: REST APIs, resources, methods, import/export, deployments, stages. */
import type {RouteDef} from '../../types.ts'

export const restApiRoutes: RouteDef[] = []

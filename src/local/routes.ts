/** Every operation the emulator knows, by protocol. */
import {domainNameRoutes} from './control-plane/v1/domain-names.ts'
import {keysAndPlansRoutes} from './control-plane/v1/keys-and-plans.ts'
import {restApiRoutes} from './control-plane/v1/index.ts'
import {v2Routes} from './control-plane/v2/index.ts'
import {logsOperations} from './control-plane/logs/index.ts'
import {Router} from './router.ts'

export const v1Router = new Router([...restApiRoutes, ...keysAndPlansRoutes, ...domainNameRoutes])
export const v2Router = new Router(v2Routes)
export {logsOperations}

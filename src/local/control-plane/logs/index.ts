/** CloudWatch Logs (awsJson1_1): operation name (from X-Amz-Target) → handler. */
import type {JsonOperation} from '../../types.ts'

export const logsOperations: Record<string, JsonOperation> = {}

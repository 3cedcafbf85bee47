/**
 * Local Lambda functions for the emulator's data plane: `createFunctionHost` runs apigw.yaml's `functions:`
 * (Node handlers warm in child processes, any other runtime through the Lambda Runtime API) and sends the
 * rest to the Lambda Invoke API at --lambda-endpoint; output goes to `/aws/lambda/NAME` in the Logs store.
 */
export {createFunctionHost, type FunctionHostOptions, type LocalFunctionHost, resolveHandler} from './host.ts'
export {createStoreLogSink} from './logs.ts'
export {type FunctionRef, parseFunctionRef} from './ref.ts'
export {
  type FunctionDefinition,
  FunctionEndpointError,
  type FunctionHost,
  FunctionNotFoundError,
  type InvocationType,
  type InvokeOptions,
  type InvokeResult,
  type LogSink,
} from './types.ts'

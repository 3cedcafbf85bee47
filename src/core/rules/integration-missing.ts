import {listOperations} from './operations.ts'
import type {Rule} from './types.ts'

/** An operation AWS imports without an integration cannot be deployed until one is added by hand. */
export const integrationMissing: Rule = ({spec}) =>
  listOperations(spec)
    .filter((op) => op.operation['x-amazon-apigateway-integration'] === undefined)
    .map((op) => ({
      message: `${op.method} ${op.path} has no x-amazon-apigateway-integration; API Gateway imports it without a backend.`,
      hint: 'Add an x-amazon-apigateway-integration (aws_proxy for Lambda, http_proxy for a URL, mock for a stub) to the operation.',
      location: {file: op.file, pointer: op.pointer},
      operation: `${op.method} ${op.path}`,
    }))

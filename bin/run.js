#!/usr/bin/env node
// apigw entry point. Loads commands from dist/ through the oclif manifest, so `--help` touches no command code,
// and keeps V8's compiled code between runs (node:module compile cache), which roughly halves cold start.
import module from 'node:module'
import {requireNode} from './check-node.js'

// Before loading anything that an older Node.js could not run (node:sqlite, module hooks).
requireNode('apigw')
module.enableCompileCache?.()
// `apigw … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})

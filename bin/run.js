#!/usr/bin/env node
// apigw entry point. Loads commands from dist/ through the oclif manifest, so `--help` touches no command code.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})

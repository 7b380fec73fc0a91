#!/usr/bin/env node
/** The `opsim` executable. */
import { processIo } from './io.ts';
import { main } from './main.ts';

process.exitCode = main(process.argv.slice(2), processIo());

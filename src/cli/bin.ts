#!/usr/bin/env node
/** The `opsim` executable. */
import { processIo } from './io.ts';
import { mainAsync } from './main.ts';

process.exitCode = await mainAsync(process.argv.slice(2), processIo());

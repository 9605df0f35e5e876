#!/usr/bin/env node
// The `status-dashboard` executable: the CLI (./main.ts) on this process's arguments and stdio.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

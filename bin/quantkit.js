#!/usr/bin/env node
// The `quantkit` command: the CLI is TypeScript, run through tsx's loader (a dependency).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

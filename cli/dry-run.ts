import { KcError } from '../src/errors/index.js';

/** Parses --dry-run[=client|server]: a bare flag means client. */
export function dryRunMode(value: string | boolean | undefined): 'client' | 'server' | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === 'client') return 'client';
  if (value === 'server') return 'server';
  throw new KcError('USAGE', `--dry-run=${value}: expected client or server`, { hint: 'use --dry-run (client) or --dry-run=server' });
}

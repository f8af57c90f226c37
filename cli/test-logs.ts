import type { TestOutcome } from '../src/actions/test.js';
import { safe, terminalSafeLines } from './terminal-safe.js';

/** The `kc test --logs` section: each test Pod's logs under a `--- logs of Pod/NAME ---` header, as helm test --logs. */
export function testLogsText(results: readonly TestOutcome[]): string[] {
  return results.flatMap((r) =>
    (r.logs ?? []).flatMap((log) => [safe`--- logs of Pod/${log.pod} ---`, terminalSafeLines(log.text.trimEnd()), '']),
  );
}

// cdk8s's own Include construct inside a kc chart bundle (the built CLI: npm test builds it): it reads its file (no `_loadurl.mjs` needed) and refuses
// URLs with a message that says what to do.
import { afterAll, describe, expect, test } from '@jest/globals';
import { kcSpawner } from '../helpers/spawn-kc.js';
import { tempProject } from '../helpers/temp-project.js';

const chart = (url: string) => `import type { Construct } from 'constructs';
import { z } from 'zod';
import { Include } from 'cdk8s';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({});
export default class Inc extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'inc', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, p: z.input<typeof schema>) {
    super(scope, id, Inc.meta, p);
    new Include(this, 'cm', { url: ${JSON.stringify(url)} });
  }
}
`;

const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: included\ndata:\n  a: "1"\n';
const local = tempProject({ 'index.ts': chart('manifests/cm.yaml'), 'manifests/cm.yaml': manifest });
const remote = tempProject({ 'index.ts': chart('https://127.0.0.1:1/cm.yaml') });
// The built CLI in the chart's folder: cdk8s resolves an Include's path from the working directory, as here.
const spawner = kcSpawner({});
afterAll(() => {
  spawner.killAll();
  local.remove();
  remote.remove();
});

describe("cdk8s's Include in a kc chart", () => {
  test('the included file is part of the chart', async () => {
    const run = await spawner.kc(['synth', '.'], { cwd: local.dir }).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/data:\n  a: "1"\nkind: ConfigMap\n/);
    expect(run.stdout).toContain('  name: included\n');
  });

  test('a URL is refused (no network in a render), naming the URL and the fix', async () => {
    const run = await spawner.kc(['synth', '.'], { cwd: remote.dir }).done;
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('Include of https://127.0.0.1:1/cm.yaml');
    expect(run.stderr).toContain('download the manifest into the project');
    expect(run.stderr).not.toContain('_loadurl.mjs');
  });
});

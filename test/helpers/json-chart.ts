// A chart for the `-o json|yaml` tests of diff, get and show: ConfigMaps named by the values, a Secret and a test hook
// Secret holding a secret value, notes naming the release, and a README.

/** The secret value the tests look for (it must never appear unless asked for). */
export const PASSWORD = 'hunter2-very-secret';

/** The chart's index.ts: `--set maps.NAME=VALUE` adds ConfigMap RELEASE-NAME; `password` is a secret value. */
export const JSON_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, secret, type ChartMeta } from 'kc/chart';

export const schema = z.object({
  maps: z.record(z.string(), z.string()).default({}),
  password: secret(z.string(), 'The password.'),
  port: z.number().int().default(8080),
});

export class Maps extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = {
    name: 'maps', version: '1.2.3', appVersion: '9.9', description: 'Maps for tests', schema,
    notes: (_values, release) => \`Release \${release.name} is ready.\`,
  };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Maps.meta, props);
    const password = this.values.password;
    new k8s.KubeSecret(this, 'secret', { metadata: { name: \`\${id}-secret\` }, stringData: { password } });
    for (const [name, v] of Object.entries(this.values.maps)) {
      new k8s.KubeConfigMap(this, name, { metadata: { name: \`\${id}-\${name}\` }, data: { v } });
    }
    const annotations = { 'kc.dev/hook': 'test' };
    new k8s.KubeSecret(this, 'hook', { metadata: { name: \`\${id}-hook\`, annotations }, stringData: { password } });
  }
}
export default Maps;
`;

/** The chart's README.md. */
export const JSON_CHART_README = '# Maps\n\nConfigMaps for tests.\n';

/** The chart's files, for tempProject. */
export const jsonChartFiles = (): Record<string, string> => ({
  'index.ts': JSON_CHART,
  'README.md': JSON_CHART_README,
});

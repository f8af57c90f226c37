// A kc chart with a CustomResourceDefinition (Gadget in `group`), one Gadget, a ConfigMap, and on request a second
// ConfigMap (`extra`) and a Service the API server refuses (`broken`: its port is out of range), for tests of
// --skip-crds and --cleanup-on-fail.
export const GADGET_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({
  group: z.string().default('gadgets.kc-test.example.com'),
  note: z.string().default('v1'),
  crd: z.boolean().default(true),
  gadget: z.boolean().default(true),
  extra: z.boolean().default(false),
  broken: z.boolean().default(false),
});

export class Gadgets extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'gadgets', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Gadgets.meta, props);
    const v = this.values;
    if (v.crd) {
      new ApiObject(this, 'crd', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gadgets.' + v.group, annotations: { note: v.note } },
        spec: {
          group: v.group,
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
          versions: [{
            name: 'v1', served: true, storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          }],
        },
      });
    }
    if (v.gadget) new ApiObject(this, 'gadget', { apiVersion: v.group + '/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { note: v.note } });
    new k8s.KubeConfigMap(this, 'cm', { metadata: { name: this.fullname }, data: { note: v.note } });
    if (v.extra) new k8s.KubeConfigMap(this, 'extra', { metadata: { name: this.fullname + '-extra' }, data: { note: v.note } });
    // A Service comes after ConfigMaps (Helm's install order): "extra" exists when the API server refuses this.
    if (v.broken) new k8s.KubeService(this, 'broken', { metadata: { name: this.fullname + '-broken' }, spec: { ports: [{ port: 70000 }] } });
  }
}
export default Gadgets;
`;

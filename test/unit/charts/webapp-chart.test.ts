import { describe, expect, test } from '@jest/globals';
import { Testing } from 'cdk8s';
import { WebAppChart } from '../../../charts/webapp/index.js';

type Obj = { kind: string; spec?: { template?: { spec?: Record<string, unknown> } } };
const podSpec = (objects: Obj[]) => objects.find((o) => o.kind === 'Deployment')?.spec?.template?.spec ?? {};

describe('WebAppChart pod settings helm create users bring', () => {
  test('affinity is passed through as written, fields cdk8s types do not list included', () => {
    // requiredDuringScheduling is not a Kubernetes field: kept, so that `kc lint` and the API server report it
    // instead of it vanishing in cdk8s's typed conversion.
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } },
      podAntiAffinity: { requiredDuringScheduling: [{ topologyKey: 'kubernetes.io/hostname' }] },
    };
    const spec = podSpec(Testing.synth(new WebAppChart(Testing.app(), 'web', { affinity })) as Obj[]);
    expect(spec.affinity).toEqual(affinity);
  });

  test('no affinity renders none; the pod security context takes seccompProfile and supplementalGroups', () => {
    const spec = podSpec(
      Testing.synth(new WebAppChart(Testing.app(), 'web', { podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, supplementalGroups: [3000] } })) as Obj[],
    );
    expect(spec.affinity).toBeUndefined();
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, supplementalGroups: [3000] });
  });

  test('volumes and volumeMounts are passed through as written, like helm create\'s', () => {
    const volumes = [{ name: 'cache', emptyDir: { sizeLimit: '64Mi' } }, { name: 'conf', configMap: { name: 'nginx-conf' } }];
    const volumeMounts = [{ name: 'cache', mountPath: '/var/cache/nginx' }, { name: 'conf', mountPath: '/etc/nginx/conf.d', readOnly: true }];
    const spec = podSpec(Testing.synth(new WebAppChart(Testing.app(), 'web', { volumes, volumeMounts })) as Obj[]) as { volumes?: unknown; containers: { volumeMounts?: unknown }[] };
    expect(spec.volumes).toEqual(volumes);
    expect(spec.containers[0].volumeMounts).toEqual(volumeMounts);
    const plain = podSpec(Testing.synth(new WebAppChart(Testing.app(), 'web', {})) as Obj[]) as { volumes?: unknown; containers: { volumeMounts?: unknown }[] };
    expect(plain.volumes).toBeUndefined();
    expect(plain.containers[0].volumeMounts).toBeUndefined();
  });
});

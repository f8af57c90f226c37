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

type Named = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, any> };
const synth = (release: string, values: ConstructorParameters<typeof WebAppChart>[2]) => Testing.synth(new WebAppChart(Testing.app(), release, values)) as Named[];

describe('WebAppChart nameOverride and fullnameOverride, as in helm create', () => {
  test('nameOverride renames objects and the app.kubernetes.io/name label everywhere, selectors included', () => {
    const objects = synth('web', { nameOverride: 'shop', ingress: { enabled: true } });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/web-shop', 'Ingress/web-shop', 'Service/web-shop', 'ServiceAccount/web-shop']);
    for (const o of objects) expect(o.metadata.labels?.['app.kubernetes.io/name']).toBe('shop');
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec!.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'shop' });
    expect(deployment.spec!.template.metadata.labels['app.kubernetes.io/name']).toBe('shop');
    expect(objects.find((o) => o.kind === 'Service')!.spec!.selector).toEqual({ 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'shop' });
    expect(objects.find((o) => o.kind === 'Ingress')!.spec!.rules[0].http.paths[0].backend.service.name).toBe('web-shop');
    // The chart label and the container keep the chart's own name, as Helm's .Chart.Name does.
    expect(deployment.metadata.labels!['kc.dev/chart']).toMatch(/^webapp-/);
    expect(deployment.spec!.template.spec.containers[0].name).toBe('webapp');
  });

  test('fullnameOverride names every object and the ServiceAccount the pods use; a release containing the name is kept', () => {
    const objects = synth('web', { fullnameOverride: 'storefront' });
    expect(new Set(objects.map((o) => o.metadata.name))).toEqual(new Set(['storefront']));
    expect(objects.find((o) => o.kind === 'Deployment')!.spec!.template.spec.serviceAccountName).toBe('storefront');
    expect(synth('my-shop', { nameOverride: 'shop' }).find((o) => o.kind === 'Service')!.metadata.name).toBe('my-shop');
  });

  test('the notes name the overridden Service', () => {
    const chart = new WebAppChart(Testing.app(), 'web', { fullnameOverride: 'storefront' });
    expect(chart.renderNotes()).toContain('port-forward svc/storefront 8080:80');
  });

  test('an override that is not a DNS label is a values error, not a name the API server refuses later', () => {
    expect(() => new WebAppChart(Testing.app(), 'web', { nameOverride: 'My_Shop' })).toThrow(/values for release "web" are invalid/);
    expect(() => new WebAppChart(Testing.app(), 'web', { fullnameOverride: 'x'.repeat(64) })).toThrow(/values for release "web" are invalid/);
  });
});


describe('WebAppChart replicas left to an autoscaler or kubectl scale', () => {
  const deployment = (props: object) =>
    (Testing.synth(new WebAppChart(Testing.app(), 'web', props)) as Named[]).find((o) => o.kind === 'Deployment')!;
  const yielded = (o: Named) => (o.metadata as { annotations?: Record<string, string> }).annotations?.['kc.dev/yield-fields'];

  test('with autoscaling the Deployment starts at minReplicas and yields spec.replicas', () => {
    const d = deployment({ autoscaling: { enabled: true, minReplicas: 2 } });
    expect(d.spec?.replicas).toBe(2);
    expect(yielded(d)).toBe('spec.replicas');
  });

  test('yieldReplicas yields replicaCount; by default replicas are the chart\'s on every deploy', () => {
    expect(yielded(deployment({ yieldReplicas: true, replicaCount: 3 }))).toBe('spec.replicas');
    const plain = deployment({ replicaCount: 3 });
    expect(plain.spec?.replicas).toBe(3);
    expect(yielded(plain)).toBeUndefined();
  });
});

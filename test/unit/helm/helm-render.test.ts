// renderHelmChart with a stand-in helm: the arguments, the values on stdin, the release, and Helm's errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { renderHelmChart, type HelmRenderRequest } from '../../../src/helm/helm-render.js';
import type { HelmRunner } from '../../../src/helm/helm-run.js';
import { setLayer } from '../../../src/values/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-helm-'));
const helm = path.join(dir, 'helm');
fs.writeFileSync(helm, '#!/bin/sh\n', { mode: 0o755 });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello\nspec:\n  replicas: 3\n';

function request(run: HelmRunner, sets: string[] = []): HelmRenderRequest {
  return {
    chartPath: '/charts/hello',
    label: './hello',
    chart: { name: 'hello', version: '0.1.0' },
    release: 'web',
    namespace: 'shop',
    layers: [
      { label: 'values.yaml', values: { image: { tag: '1.2' } } },
      setLayer(sets.map((text) => ({ kind: 'set', text }))),
    ],
    readText: () => '',
    env: { KC_HELM: helm },
    run,
  };
}

describe('renderHelmChart', () => {
  test('runs helm template with the release, namespace and CRDs, and the merged values on stdin', async () => {
    const calls: { binary: string; args: string[]; stdin?: string }[] = [];
    const run: HelmRunner = async (binary, args, options) => {
      calls.push({ binary, args, stdin: options.stdin });
      return { code: 0, signal: null, stdout: deployment, stderr: '' };
    };
    const release = await renderHelmChart(request(run, ['replicaCount=3', 'debug=true']));
    expect(calls[0].binary).toBe(helm);
    expect(calls[0].args).toEqual([
      'template',
      'web',
      '/charts/hello',
      '--namespace',
      'shop',
      '--include-crds',
      '--values',
      '-',
    ]);
    expect(JSON.parse(calls[0].stdin!)).toEqual({ image: { tag: '1.2' }, replicaCount: 3, debug: true });
    expect(release.values).toEqual({ image: { tag: '1.2' }, replicaCount: 3, debug: true });
    expect(release.objects).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hello', namespace: 'shop' },
        spec: { replicas: 3 },
      },
    ]);
    expect(release.chart).toEqual({ name: 'hello', version: '0.1.0' });
    expect(release.provenance['replicaCount']).toContain('replicaCount=3');
  });

  test("a template error is HELM_TEMPLATE_FAILED with Helm's own message", async () => {
    const stderr =
      'Error: template: hello/templates/deployment.yaml:7:4: executing "x" at <.Values.oops>: nil pointer\n';
    const run: HelmRunner = async () => ({ code: 1, signal: null, stdout: '', stderr });
    await expect(renderHelmChart(request(run))).rejects.toMatchObject({
      code: 'HELM_TEMPLATE_FAILED',
      message: expect.stringContaining('hello/templates/deployment.yaml:7:4'),
    });
  });

  test('no helm at KC_HELM is HELM_NOT_FOUND, and helm is never run', async () => {
    let ran = false;
    const run: HelmRunner = async () => {
      ran = true;
      return { code: 0, signal: null, stdout: '', stderr: '' };
    };
    const req = { ...request(run), env: { KC_HELM: path.join(dir, 'missing') } };
    await expect(renderHelmChart(req)).rejects.toMatchObject({ code: 'HELM_NOT_FOUND' });
    await expect(renderHelmChart({ ...req, env: { PATH: dir + '-none' } })).rejects.toMatchObject({
      code: 'HELM_NOT_FOUND',
      message: expect.stringContaining('./hello is a Helm chart'),
    });
    expect(ran).toBe(false);
  });
});

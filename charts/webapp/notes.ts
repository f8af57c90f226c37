import type { z } from 'zod';
import { fullname, type ReleaseInfo } from 'kc/chart';
import pkg from './package.json' with { type: 'json' };
import type { webappValues } from './values.js';

/** The chart's NOTES, like helm create's NOTES.txt: how to reach the application. */
export function webappNotes(v: z.output<typeof webappValues>, release: ReleaseInfo): string {
  const name = fullname(release.name, pkg.name, v);
  const ns = release.namespace ?? 'default';
  const lines = ['Get the application URL:'];
  if (v.ingress.enabled) {
    const tlsHosts = new Set(v.ingress.tls.flatMap((t) => t.hosts));
    for (const h of v.ingress.hosts) {
      for (const p of h.paths) lines.push(`  http${tlsHosts.has(h.host) ? 's' : ''}://${h.host}${p.path}`);
    }
  } else if (v.service.type === 'NodePort') {
    lines.push(
      `  export NODE_PORT=$(kubectl get --namespace ${ns} -o jsonpath="{.spec.ports[0].nodePort}" services ${name})`,
      `  export NODE_IP=$(kubectl get nodes -o jsonpath="{.items[0].status.addresses[0].address}")`,
      '  echo http://$NODE_IP:$NODE_PORT',
    );
  } else if (v.service.type === 'LoadBalancer') {
    lines.push(
      `  NOTE: the LoadBalancer IP may take a few minutes to appear; watch it with: kubectl get --namespace ${ns} svc -w ${name}`,
      `  export SERVICE_IP=$(kubectl get svc --namespace ${ns} ${name} -o jsonpath="{.status.loadBalancer.ingress[0].ip}")`,
      `  echo http://$SERVICE_IP:${v.service.port}`,
    );
  } else {
    lines.push(
      `  kubectl --namespace ${ns} port-forward svc/${name} 8080:${v.service.port}`,
      '  # then visit http://127.0.0.1:8080',
    );
  }
  return lines.join('\n');
}

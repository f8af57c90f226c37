import { containerStatuses, describeStuck, terminalWaiting } from './pod-failure.js';
import { failed, notReady, ready, type Readiness } from './readiness-result.js';
import { condition, field, str } from './status-fields.js';
import type { KubeObject } from './types.js';

/** The first container waiting for something other than plain start-up, as a not-ready verdict. */
function waitingContainer(o: KubeObject): Readiness | undefined {
  for (const c of containerStatuses(o)) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      return notReady(waiting.reason, `container ${c.name ?? '?'}${waiting.message ? `: ${waiting.message}` : ''}`);
    }
  }
  return undefined;
}

/** Describes a failed pod's first container that exited with an error. */
function exitDetail(o: KubeObject): string | undefined {
  type Terminated = { name?: string; state?: { terminated?: { exitCode?: number; reason?: string } } };
  const statuses = containerStatuses(o) as Terminated[];
  const exited = statuses.find((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
  const t = exited?.state?.terminated;
  return t ? `container ${exited.name ?? '?'} exited with code ${t.exitCode} (${t.reason ?? 'Error'})` : undefined;
}

/**
 * A Pod as kstatus computes it, except that a Failed pod and one stuck on a terminal waiting reason (crash loop,
 * image pull, missing config) fail at once, and an unschedulable one keeps waiting (an autoscaler may add a node).
 */
export function pod(o: KubeObject): Readiness {
  const phase = str(o, 'status', 'phase') ?? 'Pending';
  if (phase === 'Succeeded') return ready('Succeeded');
  if (phase === 'Failed') {
    return failed(str(o, 'status', 'reason') ?? 'Failed', str(o, 'status', 'message') ?? exitDetail(o));
  }
  if (phase === 'Running' && condition(o, 'Ready')?.status === 'True') return ready('Running');
  const stuck = terminalWaiting(o);
  if (stuck) return failed(stuck.reason, describeStuck(stuck));
  const scheduled = condition(o, 'PodScheduled');
  if (scheduled?.status === 'False') return notReady(scheduled.reason || 'Unschedulable', scheduled.message);
  const waiting = waitingContainer(o);
  if (waiting) return waiting;
  if (phase === 'Running') {
    const statuses = field(o, 'status', 'containerStatuses');
    const list = Array.isArray(statuses) ? (statuses as { ready?: boolean }[]) : [];
    const readyCount = list.filter((c) => c.ready).length;
    return notReady(`${readyCount}/${list.length} containers ready`, condition(o, 'Ready')?.message);
  }
  return notReady(phase);
}

/** A PersistentVolumeClaim is ready once Bound; Lost (its volume is gone) is terminal. */
export function pvc(o: KubeObject): Readiness {
  const phase = str(o, 'status', 'phase') ?? 'Pending';
  if (phase === 'Bound') return ready('Bound');
  if (phase === 'Lost') return failed('Lost', 'the bound PersistentVolume no longer exists');
  return notReady(phase);
}

/** A PersistentVolume is ready when Available or Bound; Failed (reclamation failed) is terminal. */
export function pv(o: KubeObject): Readiness {
  const phase = str(o, 'status', 'phase') ?? 'Pending';
  if (phase === 'Available' || phase === 'Bound') return ready(phase);
  if (phase === 'Failed') return failed('Failed', str(o, 'status', 'message'));
  return notReady(phase);
}

/**
 * A Service as kstatus computes it: ready once it has a cluster IP. A LoadBalancer without an address is ready
 * too (as in kstatus and Helm 4: no controller may ever give one), and says so.
 */
export function service(o: KubeObject): Readiness {
  if (str(o, 'spec', 'type') !== 'LoadBalancer') return ready('Ready');
  if (!str(o, 'spec', 'clusterIP')) return notReady('NoIPAssigned', 'spec.clusterIP is not set yet');
  const external = field(o, 'spec', 'externalIPs');
  const ingress = field(o, 'status', 'loadBalancer', 'ingress');
  if ((Array.isArray(external) && external.length > 0) || (Array.isArray(ingress) && ingress.length > 0)) {
    return ready('Ready');
  }
  return ready('no load balancer address', 'status.loadBalancer.ingress is empty; not waited for');
}

/** A CustomResourceDefinition as kstatus computes it: Established, or failed on names or another refusal. */
export function crd(o: KubeObject): Readiness {
  const names = condition(o, 'NamesAccepted');
  if (names?.status === 'False') return failed(names.reason || 'NamesNotAccepted', names.message);
  const established = condition(o, 'Established');
  if (established?.status === 'True') return ready('Established');
  if (established?.status === 'False' && established.reason && established.reason !== 'Installing') {
    return failed(established.reason, established.message);
  }
  return notReady('Installing', established?.message);
}

// CPU time the local control plane's processes (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
// kwok) have used, read from /proc with the pid files test/cluster/cluster.sh keeps. The release benchmark reads it
// around each fresh install, so the report can show what each tool's install cost the cluster as well as itself:
// on a machine of N cores no tool's wall time can go below (its CPU + the cluster's CPU) / N.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './measure.mjs';

// Linux reports /proc times in clock ticks; USER_HZ is 100 on every architecture Node runs on.
const CLOCK_TICKS = 100;

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok-controller'];

/** utime + stime of one process in seconds, or undefined when it cannot be read. */
function processCpuS(pid) {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * A reader of the local control plane's CPU seconds (summed over its processes), or undefined when the cluster is
 * not the one test/cluster started under `root` (e.g. KC_TEST_KUBECONFIG points elsewhere) or /proc is missing.
 */
export function controlPlaneCpu(root) {
  const dir = path.join(root, '.kc/cluster/kwok/clusters/kc-test/pids');
  const pids = COMPONENTS.map((c) => {
    try {
      return fs.readFileSync(path.join(dir, `${c}.pid`), 'utf8').trim();
    } catch {
      return undefined;
    }
  }).filter(Boolean);
  if (pids.length === 0 || pids.some((p) => processCpuS(p) === undefined)) return undefined;
  return () => pids.reduce((sum, p) => sum + (processCpuS(p) ?? 0), 0);
}

/** The machine's core count, as the floor's divisor. */
export const cores = () => os.availableParallelism?.() ?? os.cpus().length;

/**
 * Rows of the fresh-install CPU table, one per tool whose installs carry `cpuS` and `clusterCpuS`: median wall, the
 * tool's CPU, the control plane's CPU, their sum, and the floor that sum sets on the wall time on `coreCount` cores.
 */
export function installCpuRows(installsByTool, coreCount) {
  return Object.entries(installsByTool)
    .filter(([, runs]) => runs.length && runs.every((r) => r.cpuS !== undefined && r.clusterCpuS !== undefined))
    .map(([tool, runs]) => {
      const [wall, own, cluster] = [median(runs.map((r) => r.wallS)), median(runs.map((r) => r.cpuS)), median(runs.map((r) => r.clusterCpuS))];
      const floor = (own + cluster) / coreCount;
      return [tool, wall.toFixed(3), own.toFixed(3), cluster.toFixed(3), (own + cluster).toFixed(3), floor.toFixed(3), `${(wall / floor).toFixed(2)}×`];
    });
}

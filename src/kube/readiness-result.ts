/** Whether one object is ready, with a short reason; `failed` marks a state that waiting cannot fix. */
export interface Readiness {
  ready: boolean;
  /** Short, e.g. 'Available', '1/3 replicas updated', 'Pending', 'CrashLoopBackOff'. */
  reason: string;
  message?: string;
  /** Terminal failure (Job Failed, Pod crash looping, CRD names rejected…): stop waiting. */
  failed?: boolean;
}

/** A ready verdict. */
export function ready(reason: string, message?: string): Readiness {
  return message ? { ready: true, reason, message } : { ready: true, reason };
}

/** A not-yet-ready verdict: waiting may still see it ready. */
export function notReady(reason: string, message?: string): Readiness {
  return message ? { ready: false, reason, message } : { ready: false, reason };
}

/** A terminal verdict: the object will not become ready without a change. */
export function failed(reason: string, message?: string): Readiness {
  return { ...notReady(reason, message), failed: true };
}

import { KcError } from '../errors/index.js';

/** The body of a failed Kubernetes API call (a metav1.Status). */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** True for a KcError raised for a 404 from the API. */
export function isNotFound(err: unknown): boolean {
  return err instanceof KcError && err.code === 'NOT_FOUND';
}

/** Classifies a failed response by HTTP status and Status reason/causes (never by message text). */
export function apiError(status: number, body: ApiStatus | undefined, what: string): KcError {
  const message = body?.message ?? `HTTP ${status}`;
  const causes = body?.details?.causes ?? [];
  switch (status) {
    case 401:
    case 403:
      return new KcError('FORBIDDEN', `${what}: ${message}`, { hint: 'check the credentials and RBAC permissions of the kubeconfig user' });
    case 404:
      return new KcError('NOT_FOUND', `${what}: ${message}`);
    case 409: {
      if (body?.reason === 'AlreadyExists') return new KcError('ALREADY_EXISTS', `${what}: ${message}`);
      const conflicts = causes.filter((c) => c.reason === 'FieldManagerConflict');
      if (conflicts.length > 0) {
        return new KcError('FIELD_CONFLICT', `${what}: fields are owned by another field manager`, {
          details: conflicts.map((c) => `${c.field ?? '?'}: ${c.message ?? ''}`),
          hint: 'another tool manages these fields; pass --force-conflicts to take them over, or stop setting them in the chart',
        });
      }
      return new KcError('CONFLICT', `${what}: ${message}`, { hint: 'the object changed meanwhile; run the command again' });
    }
    case 400:
    case 422:
      return new KcError('OBJECT_INVALID', `${what}: ${message}`, {
        details: causes.map((c) => `${c.field ?? ''}: ${c.message ?? c.reason ?? ''}`.replace(/^: /, '')),
        hint: 'fix the object in the chart; `kc synth` shows what is sent',
      });
    default:
      return new KcError('API_ERROR', `${what}: ${message}`, { hint: 'the API server refused the request; see the message' });
  }
}

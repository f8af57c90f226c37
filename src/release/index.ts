export { ReleaseStore } from './store.js';
export { SecretDriver, RECORD_TYPE, KEY_SECRET } from './drivers/secret-driver.js';
export { MemoryDriver } from './drivers/memory-driver.js';
export { MemoryLocker, currentHolder, describeHolder, lockLost, type ReleaseLocker, type LockHandle, type LockHolder } from './lock.js';
export { LeaseLocker, leaseExpired, leaseRef, type LeaseOptions } from './lease-locker.js';
export { isPending, recordName, type ReleaseRecord, type ReleaseStatus, type RevisionSummary } from './record.js';
export { encodePayload, decodePayload, PART_BYTES } from './codec.js';
export type { ReleaseDriver, SummaryFilter } from './driver.js';
export { LIST_STATES, nameFilter, selectReleases, type ListQuery, type ListState } from './list-query.js';

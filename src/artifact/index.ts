export {
  ARTIFACT_FORMAT_VERSION, CHART_NAME, ENTRY, artifactFileName, formatSize, dependencyEntry, manifestJson, manifestSchema, sha256,
  type ArtifactManifest, type LockedDependency,
} from './format.js';
export { FIXED_MTIME, deterministicTgz, tarOf, type ArchiveFile } from './tar-write.js';
export { DEFAULT_ARCHIVE_LIMITS, readArchive, unsafePathReason, type ArchiveLimits } from './tar-read.js';
export { openArtifact, verifyDigest, type OpenedArtifact } from './open.js';
export { cachedArtifact, extractArtifact, writeFileAtomic, type ExtractedArtifact } from './extract.js';
export { chartPackageOf, checkVersion, declaredDependencies, type ChartPackage, type DeclaredDependency } from './chart-package.js';
export { LOCK_FILE, checkLock, lockJson, lockProblems, readLock, type DependencyLock } from './lock.js';
export { kcVersion, packArtifact, type PackInput } from './pack.js';

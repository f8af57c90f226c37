export { cleanForDiff } from './clean.js';
export { displayObject, redactSecretObject, secretPlaceholder } from './redact.js';
export { diffObjects, type ChangeAction, type DiffOptions, type ObjectChange } from './object-diff.js';
export { diffPlan, type DiffPair, type DiffSummary } from './plan-diff.js';
export { overlayOnLive } from './overlay.js';
export { renderDiff } from './render.js';

export { KcError, isKcError, internalError, type KcErrorOptions } from './kc-error.js';
export { ErrorCodes, ExitCode, type ErrorCode } from './codes.js';

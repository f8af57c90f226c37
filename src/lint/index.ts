export { formatFinding, mergeFindings, type LintFinding, type LintLevel } from './finding.js';
export { ruleFindings, imageTagProblem, type ReleaseObject, type RuleFinding } from './rules.js';
export { imageSettingFindings, type ContainerPlace } from './image-rules.js';
export { KNOWN_IMAGES, knownImage, parseImage, type KnownImage, type WritablePath } from './known-images.js';
export { SchemaChecker } from './schema-check.js';
export { validateAgainst, type SchemaIssue } from './validate.js';
export { bundledKubeSchemas, bundledKubeVersions, serverKubeSchemas } from './kube-schemas.js';
export { compactOpenApi, groupVersionPaths, kindIndex, type KubeSchemaSet, type OpenApiSchema, type OpenApiDocument } from './openapi.js';
export { typecheck, sourceFiles, type TypecheckResult } from './typecheck.js';

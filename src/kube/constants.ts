/** The field manager kc applies with. */
export const FIELD_MANAGER = 'kc';
/** Annotation naming the release (namespace/name) an object belongs to. */
export const RELEASE_ANNOTATION = 'kc.dev/release';

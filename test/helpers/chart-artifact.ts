// A small valid kc chart artifact (.tgz) made in memory, for registry tests: same inputs, same bytes.
import { openArtifact, packArtifact, type OpenedArtifact } from '../../src/artifact/index.js';

/** The .tgz and its opened form for a chart `name`@`version` (the bundle text varies with `code`). */
export async function chartArtifact(
  name: string,
  version: string,
  code = 'module.exports = {};\n',
): Promise<{ archive: Buffer; opened: OpenedArtifact }> {
  const { archive } = packArtifact({
    name,
    version,
    description: `the ${name} chart`,
    keywords: ['test'],
    bundleCode: Buffer.from(code),
    sourceMap: Buffer.from('{"version":3,"sources":[],"mappings":""}'),
    valuesSchema: { type: 'object', properties: { replicas: { type: 'integer' } } },
    valuesDefaults: { replicas: 1 },
    dependencies: [],
  });
  return { archive, opened: await openArtifact(archive, `${name}-${version}.tgz`) };
}

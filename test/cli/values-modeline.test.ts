import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { SCHEMA_FILE, valuesModeline } from '../../cli/values-modeline.js';

/** yaml-language-server's modeline pattern (its modelineUtil): a comment line with `$schema=`. */
const MODELINE = /^#\s+yaml-language-server\s*:\s*\$schema=(\S+)$/;

describe('kc show values modeline', () => {
  test('starts with a yaml-language-server modeline naming values.schema.json, and stays the same YAML', async () => {
    const run = await runCli(['show', 'values', 'charts/mysql']);
    expect(run.code).toBe(0);
    const [first, second, third] = run.stdout.split('\n');
    expect(first).toMatch(MODELINE);
    expect(MODELINE.exec(first)![1]).toBe('values.schema.json');
    expect(second).toBe('# write it beside this file: kc show schema charts/mysql --draft 07 > values.schema.json');
    expect(third).toBe('');
    // The modeline is a comment: the data is exactly what follows it.
    const rest = run.stdout.split('\n').slice(3).join('\n');
    expect(parse(run.stdout)).toEqual(parse(rest));
    expect(parse(run.stdout).image).toEqual({ repository: 'mysql', tag: '5.7.14', pullPolicy: 'IfNotPresent' });
  });

  test('the command it names writes the schema the saved values file is checked against', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-modeline-'));
    const values = await runCli(['show', 'values', 'charts/mysql']);
    const valuesFile = path.join(dir, 'values.yaml');
    fs.writeFileSync(valuesFile, values.stdout.replace(/^# {3}rootPassword.*$/m, '') + 'rootPassword: root\n');
    const named = values.stdout
      .split('\n')[1]
      .replace(/^.*: kc /, '')
      .replace(/ > .*$/, '')
      .split(' ');
    const schema = await runCli(named);
    expect(schema.code).toBe(0);
    fs.writeFileSync(path.join(dir, SCHEMA_FILE), schema.stdout);
    // As the editor does: the modeline's path resolved against the values file's folder.
    const target = path.resolve(path.dirname(valuesFile), MODELINE.exec(values.stdout.split('\n')[0])![1]);
    const validate = new Ajv({ strict: true, validateFormats: false }).compile(
      JSON.parse(fs.readFileSync(target, 'utf8')),
    );
    expect(validate(parse(fs.readFileSync(valuesFile, 'utf8')))).toBe(true);
    expect(validate({ ...parse(fs.readFileSync(valuesFile, 'utf8')), service: { port: 'x' } })).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('repeats the chart and --version as given when plain, else names placeholders', () => {
    expect(valuesModeline('stable/mysql', { version: '^1.0' }).split('\n')[1]).toBe(
      "# write it beside this file: kc show schema stable/mysql --version '^1.0' --draft 07 > values.schema.json",
    );
    const odd = valuesModeline('my chart\n$(rm -rf ~)', { version: '1 2' });
    expect(odd.split('\n')[1]).toBe(
      "# write it beside this file: kc show schema CHART --version '1 2' --draft 07 > values.schema.json",
    );
    expect(odd.split('\n')).toHaveLength(4);
    const oci = valuesModeline('oci://127.0.0.1:5000/charts/mysql', { plainHttp: true, caFile: "it's.pem" });
    expect(oci.split('\n')[1]).toBe(
      '# write it beside this file: kc show schema oci://127.0.0.1:5000/charts/mysql --plain-http --ca-file FILE' +
        ' --draft 07 > values.schema.json',
    );
  });
});

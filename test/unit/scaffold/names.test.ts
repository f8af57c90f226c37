import { describe, expect, test } from '@jest/globals';
import { chartFiles, chartNames, dnsLabel } from '../../../src/scaffold/index.js';

describe('chartNames', () => {
  test.each([
    ['web', 'WebChart', 'webValues', 'WebValues'],
    ['my-api', 'MyApiChart', 'myApiValues', 'MyApiValues'],
    ['mychart', 'MyChart', 'mychartValues', 'MychartValues'],
    ['chart', 'ChartChart', 'chartValues', 'ChartValues'],
    ['a1-b2', 'A1B2Chart', 'a1B2Values', 'A1B2Values'],
  ])('%s', (name, className, valuesName, valuesType) => {
    expect(chartNames(name)).toMatchObject({ name, className, valuesName, valuesType });
  });

  test.each(['My', 'my_chart', '-web', 'web-', '1web', '', 'x'.repeat(54)])('%j is refused as a chart name', (name) => {
    expect(() => chartNames(name)).toThrow(/invalid chart name/);
  });
});

describe('dnsLabel', () => {
  test.each([
    ['My Project', 'my-project'],
    ['kc-init-AbC_12', 'kc-init-abc-12'],
    ['123', 'app'],
    ['--x--', 'x'],
  ])('%j → %j', (text, label) => expect(dnsLabel(text)).toBe(label));
});

describe('chartFiles', () => {
  test('are deterministic and name the chart everywhere', () => {
    const files = chartFiles(chartNames('shop'));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'index.ts', 'notes.ts', 'package.json', 'tests.ts', 'values.ts']);
    expect(chartFiles(chartNames('shop'))).toEqual(files);
    expect(JSON.parse(files['package.json'])).toMatchObject({ name: 'shop', version: '0.1.0', kc: { chart: 'index.ts' } });
    expect(files['index.ts']).toContain('export class ShopChart extends KcChart<typeof shopValues>');
    expect(files['index.ts']).toContain('tests: shopTests');
    expect(files['tests.ts']).toContain("hook(job, { on: ['test']");
    expect(files['values.ts']).toContain('.prefault({})');
    expect(files['values.ts']).toContain(".describe('");
  });
});

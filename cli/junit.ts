import type { TestReport } from '../src/actions/test.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A JUnit XML report of `kc test`, for CI systems. */
export function junitXml(report: TestReport): string {
  const failures = report.results.filter((r) => !r.ok).length;
  const cases = report.results.map((r) => {
    const head = `    <testcase classname="${esc(`${report.namespace}.${report.release}`)}" name="${esc(r.name)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    if (r.ok) return `${head}/>`;
    return `${head}>\n      <failure message="${esc(r.reason)}">${esc(r.details.join('\n'))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.results.length}" failures="${failures}">`,
    `  <testsuite name="${esc(report.release)}" tests="${report.results.length}" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

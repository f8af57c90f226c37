import type { TestReport } from '../src/actions/test.js';

// Test pods' logs carry colour codes and stray control bytes; XML 1.0 forbids those (even as &#1;), and a CI system
// refuses the whole report over one. Colour sequences go; other forbidden characters, unpaired surrogates, U+FFFE
// and U+FFFF become U+FFFD.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const FORBIDDEN = new RegExp(
  [
    '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]', // control characters, non-characters
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])', // a high surrogate without its low one
    '(?<![\\ud800-\\udbff])[\\udc00-\\udfff]', // a low surrogate without its high one
  ].join('|'),
  'g',
);

/** Text made safe for XML 1.0 content and attributes: forbidden characters replaced, markup escaped. */
export function xmlText(s: string): string {
  return s
    .replace(ANSI, '')
    .replace(FORBIDDEN, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const esc = xmlText;

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

import path from 'node:path';
import { kcRoot } from '../kc-root.js';

const runner = () => JSON.stringify(path.join(kcRoot(), 'src/chart/runner.ts'));

/** Entry of a project bundle: runs the app module's default export. */
export function appEntry(appFile: string): string {
  return [
    `import app from ${JSON.stringify(appFile)};`,
    `import { runApp, testApp } from ${runner()};`,
    'export const run = (request) => runApp(app, request);',
    'export const test = (request, release, api) => testApp(app, request, release, api);',
  ].join('\n');
}

/** Entry of a project-file bundle: exposes the file's default export as `config`. */
export function configEntry(configFile: string): string {
  return `export { default as config } from ${JSON.stringify(configFile)};`;
}

/** Entry of a chart bundle: runs or describes the chart class the module exports. */
export function chartEntry(chartFile: string): string {
  return [
    `import * as mod from ${JSON.stringify(chartFile)};`,
    `import { runChart, describeChart, testChart } from ${runner()};`,
    'export const run = (request) => runChart(mod, request);',
    'export const test = (request, release, api) => testChart(mod, request, release, api);',
    'export const describe = () => describeChart(mod);',
  ].join('\n');
}

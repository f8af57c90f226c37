import { KcError } from '../errors/index.js';

/** The identifiers generated code uses for one chart. */
export interface ChartNames {
  /** Chart name, a DNS label: `web`, `my-api`. */
  name: string;
  /** Chart class: `WebChart`, `MyApiChart`. */
  className: string;
  /** Values schema constant: `webValues`, `myApiValues`. */
  valuesName: string;
  /** Props type: `WebValues`, `MyApiValues`. */
  valuesType: string;
  /** Camel-case stem for other exports: `web`, `myApi`. */
  stem: string;
}

const CHART_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a chart name the way Helm does (lowercase letters, digits, dashes; at most 53 characters). */
export function checkChartName(name: string): void {
  if (!CHART_NAME.test(name) || name.length > 53) {
    throw new KcError('USAGE', `invalid chart name "${name}"`, {
      hint: 'use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 53 characters',
    });
  }
}

/** The identifiers for a (valid) chart name; `mychart` becomes `MyChart`, not `MychartChart`. */
export function chartNames(name: string): ChartNames {
  checkChartName(name);
  const words = name.split('-').filter(Boolean);
  const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const base = /.chart$/i.test(pascal) ? pascal.slice(0, -5) : pascal;
  const stem = pascal[0].toLowerCase() + pascal.slice(1);
  return { name, className: `${base}Chart`, valuesName: `${stem}Values`, valuesType: `${pascal}Values`, stem };
}

/** A DNS-label version of any text (a folder name), for project, release and namespace names. */
export function dnsLabel(text: string, fallback = 'app'): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return label || fallback;
}

import { defineConfig } from 'kc/config';
import type app from './app.js';

// Typed by the app's releases: a misspelt key under values.db or values.web is a TypeScript error (kc lint).
export default defineConfig<typeof app>({
  app: './app.ts',
  environments: {
    dev: {
      namespace: 'webapp-dev',
      context: 'current',
      description: 'One small pod each; the database keeps no data across restarts.',
      values: {
        db: { persistence: { enabled: false }, resources: { requests: { cpu: '50m', memory: '128Mi' } } },
        web: { env: { LOG_LEVEL: 'debug' }, resources: { requests: { cpu: '10m', memory: '32Mi' } } },
      },
    },
    prod: {
      namespace: 'webapp-prod',
      context: 'current',
      description: 'Persistent database; the web app autoscales behind an Ingress.',
      values: {
        db: { persistence: { size: '20Gi' }, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } } },
        web: { env: { LOG_LEVEL: 'info' } },
      },
      valuesFiles: ['values/prod.yaml'],
    },
  },
});

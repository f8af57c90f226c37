import { defineConfig } from 'kc/config';

export default defineConfig({
  app: './app.ts',
  environments: {
    dev: {
      namespace: 'mysql-dev',
      context: 'current',
      values: {
        'my-mysql': { persistence: { enabled: false }, resources: { requests: { cpu: '50m', memory: '128Mi' } } },
      },
    },
    prod: {
      namespace: 'mysql-prod',
      context: 'current',
      values: {
        'my-mysql': { image: { tag: '5.7.15' } },
      },
      valuesFiles: ['values/prod.yaml'],
    },
  },
});

import { defineApp } from 'kc/chart';
import { MySqlChart } from '../../charts/mysql/index.js';

// The seed's MySQL as one release: the chart's defaults plus the seed's passwords.
export default defineApp((app) => {
  new MySqlChart(app, 'my-mysql', { rootPassword: 'root', password: 'mysql' });
});

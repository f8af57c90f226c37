import { defineApp } from 'kc/chart';
import { MySqlChart } from '../../charts/mysql/index.js';
import { WebAppChart } from '../../charts/webapp/index.js';

// A web application and the MySQL database it uses, as two releases of one app.
export default defineApp((app) => {
  const db = new MySqlChart(app, 'db', { rootPassword: 'root', user: 'app', password: 'app', database: 'app' });

  // Read the connection details from the db release itself, so renaming it or changing its port
  // (in code or in any values layer) cannot leave the web app pointing at the old Service.
  const web = new WebAppChart(app, 'web', {
    env: {
      DATABASE_HOST: db.fullname,
      DATABASE_PORT: String(db.values.service.port),
      DATABASE_NAME: db.values.database,
      DATABASE_USER: db.values.user,
    },
  });

  // kc orders releases by these edges: the database is applied before the app that connects to it.
  web.addDependency(db);

  // Returned by release name, so kc.config.ts (defineConfig<typeof app>) checks each environment's values.
  return { db, web };
});

// Examples and environment variables for every command's --help, kept in one table so that command files stay about
// flags and actions. Applied once after all commands are registered; test/cli/help-examples.test.ts fails for a
// command without examples, an example of another command or a flag the command lacks, and an unread variable.
import type { Command } from 'commander';

/** What --help adds below a command's options: command lines to copy, and what the environment changes. */
export interface HelpExtra {
  /** 1-4 command lines, each starting with `kc <command path>`; `  # ...` after one explains it. */
  examples: string[];
  /** Environment variables this command reads, beyond the ones every command reads (GLOBAL_ENV). */
  env: string[];
}

/** Each variable kc reads, with what it does: one line of help. */
export const ENV_HELP: Record<string, string> = {
  KUBECONFIG: "kubeconfig files, ':'-separated (below --kubeconfig; default ~/.kube/config)",
  KC_KUBECONTEXT: "kube context (below --context and the environment's; default the current one)",
  KC_NAMESPACE: "namespace (below -n and the environment's; default the context's)",
  KC_LOCK_DURATION_SECONDS: 'how long a killed run keeps a release locked, 1-3600 (default 30)',
  HTTPS_PROXY: 'proxy for https requests (HTTP_PROXY for http; hosts in NO_PROXY go direct)',
  KC_CONFIG_DIR: 'where repositories.yaml is kept (default $XDG_CONFIG_HOME/kc, ~/.config/kc)',
  DOCKER_CONFIG: "folder of Docker's config.json with registry credentials (default ~/.docker)",
  REGISTRY_AUTH_FILE: "podman's credentials file, read after Docker's (and HELM_REGISTRY_CONFIG, Helm's)",
  KC_HELM: 'the helm binary for Helm charts (default: helm on PATH)',
  COSIGN_PASSWORD: "the signing key's password (default: asked on the terminal)",
  SOURCE_DATE_EPOCH: "the artifact's created time, in seconds since 1970 (default 0, so the same input, same bytes)",
  ARGOCD_APP_NAME: 'release name when the chart says none (set by Argo CD, as are the next two)',
  ARGOCD_APP_NAMESPACE: "namespace when the project's environment says none",
  ARGOCD_APP_PARAMETERS: "the Application's plugin parameters (JSON): values (files) and set (key: value)",
  ARGOCD_ENV_KC_VALUES: "more values files, comma-separated (the Application's plugin env)",
  ARGOCD_ENV_KC_SET: "--set expressions: this and each ARGOCD_ENV_KC_SET* variable (the Application's plugin env)",
  KUBE_VERSION: "the cluster's Kubernetes version, for charts that ask (set by Argo CD)",
  NO_COLOR: 'any value: no colour (as --no-color)',
  FORCE_COLOR: 'colour even when the output is not a terminal (0 or false: none)',
  KC_CACHE_DIR: 'where bundles, charts and compiled code are cached (default $XDG_CACHE_HOME/kc, ~/.cache/kc)',
  KC_DEBUG: "any value: an internal error's stack trace too",
};

/** Variables every command reads: listed in `kc --help`, named at the end of each command's. */
export const GLOBAL_ENV = ['NO_COLOR', 'FORCE_COLOR', 'KC_CACHE_DIR', 'KC_DEBUG'];

const CLUSTER = ['KUBECONFIG', 'KC_KUBECONTEXT', 'KC_NAMESPACE', 'HTTPS_PROXY'];
const LOCKING = [...CLUSTER, 'KC_LOCK_DURATION_SECONDS'];
/** Reading charts from repositories and OCI registries. */
const CHARTS = ['KC_CONFIG_DIR', 'DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'HTTPS_PROXY'];
const REGISTRY = ['DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'HTTPS_PROXY'];
const union = (...lists: string[][]) => [...new Set(lists.flat())];

/** Examples and variables by command path ('' is kc itself). */
export const HELP_EXTRAS: Record<string, HelpExtra> = {
  '': {
    examples: [
      'kc init shop',
      'kc synth examples/mysql --env prod',
      'kc install my charts/mysql --set rootPassword=root',
    ],
    env: [],
  },
  synth: {
    examples: [
      'kc synth examples/mysql --env prod  # a project environment as YAML',
      'kc synth charts/mysql --release my --set rootPassword=root',
      'kc synth examples/webapp-with-db --env dev --only web -o json',
      'kc synth examples/mysql --env prod --output-dir out  # one file per release',
    ],
    env: union(CHARTS, ['KC_HELM']),
  },
  show: { examples: ['kc show values charts/mysql', 'kc show chart stable/mysql'], env: CHARTS },
  'show values': {
    examples: [
      'kc show values charts/mysql > values.yaml',
      "kc show values stable/mysql --version '^1.0'",
      'kc show values oci://127.0.0.1:5000/charts/mysql --plain-http',
    ],
    env: CHARTS,
  },
  'show schema': {
    examples: ['kc show schema charts/mysql > values.schema.json', 'kc show schema mysql-1.0.0.tgz --draft 07'],
    env: CHARTS,
  },
  'show chart': {
    examples: ['kc show chart charts/mysql', "kc show chart stable/mysql --version '^1.0'"],
    env: CHARTS,
  },
  'show readme': { examples: ['kc show readme charts/mysql', 'kc show readme stable/mysql'], env: CHARTS },
  'show all': { examples: ['kc show all charts/mysql', 'kc show all stable/mysql -o json'], env: CHARTS },
  values: { examples: ['kc values schema charts/mysql > values.schema.json'], env: [] },
  'values schema': {
    examples: [
      'kc values schema charts/mysql > values.schema.json',
      'kc values schema charts/mysql --draft 07 > values.schema.json  # for editors that know only draft-07',
    ],
    env: [],
  },
  install: {
    examples: [
      'kc install my charts/mysql --set rootPassword=root',
      "kc install my stable/mysql --version '^1.0' -n db --create-namespace -f values.yaml",
      'kc install my oci://127.0.0.1:5000/charts/mysql --plain-http --set rootPassword=root',
      'kc install my charts/mysql --set rootPassword=root --dry-run  # print what would be applied',
    ],
    env: union(LOCKING, CHARTS, ['KC_HELM']),
  },
  upgrade: {
    examples: [
      'kc upgrade my charts/mysql --reuse-values --set image.tag=5.7.15',
      "kc upgrade my stable/mysql --version '^1.1' --install --set rootPassword=root",
      'kc upgrade my charts/mysql -f values.yaml --atomic --timeout 10m',
    ],
    env: union(LOCKING, CHARTS, ['KC_HELM']),
  },
  deploy: {
    examples: [
      'kc deploy examples/mysql --env prod',
      'kc deploy --env dev --only web  # in a project folder: the release web alone',
      'kc deploy examples/mysql --env prod --dry-run=server',
    ],
    env: union(LOCKING, CHARTS, ['KC_HELM', 'COSIGN_PASSWORD', 'SOURCE_DATE_EPOCH']),
  },
  rollback: {
    examples: [
      'kc rollback my  # to the revision before the latest',
      'kc rollback my 1 -n db',
      'kc rollback web --env prod',
    ],
    env: LOCKING,
  },
  uninstall: {
    examples: ['kc uninstall my -n db', 'kc uninstall my --keep-history', 'kc uninstall web api --env prod --wait'],
    env: LOCKING,
  },
  history: { examples: ['kc history my', 'kc history my -n db -o json', 'kc history web --env prod'], env: CLUSTER },
  list: { examples: ['kc list', 'kc list -A --failed', 'kc list -n db -q'], env: CLUSTER },
  status: {
    examples: ['kc status my', 'kc status my --revision 2 -o json', 'kc status --env prod  # every release of prod'],
    env: CLUSTER,
  },
  get: { examples: ['kc get values my', 'kc get manifest my --revision 2'], env: CLUSTER },
  'get manifest': { examples: ['kc get manifest my', 'kc get manifest my --revision 2 -n db'], env: CLUSTER },
  'get values': {
    examples: ['kc get values my', 'kc get values my --all -o json', 'kc get values my --show-secrets'],
    env: CLUSTER,
  },
  'get notes': { examples: ['kc get notes my', 'kc get notes web --env prod'], env: CLUSTER },
  'get hooks': { examples: ['kc get hooks my', 'kc get hooks my --revision 1'], env: CLUSTER },
  'get metadata': { examples: ['kc get metadata my', 'kc get metadata my -o json'], env: CLUSTER },
  'get all': { examples: ['kc get all my', 'kc get all my --revision 3 -n db'], env: CLUSTER },
  diff: {
    examples: [
      'kc diff examples/mysql --env prod',
      'kc diff my charts/mysql --reuse-values --set image.tag=5.7.15',
      'kc diff examples/mysql --env prod --exit-code  # exit 20 when changes are pending',
    ],
    env: union(CLUSTER, CHARTS, ['KC_HELM']),
  },
  test: {
    examples: [
      'kc test my',
      'kc test my charts/mysql --logs  # with the chart: its typed checks too',
      'kc test my --junit report.xml',
    ],
    env: CLUSTER,
  },
  package: {
    examples: ['kc package charts/mysql', 'kc package charts/mysql --version 1.0.1 --app-version 5.7.15 -d dist'],
    env: [],
  },
  repo: { examples: ['kc repo add stable https://charts.example.com', 'kc repo list'], env: ['KC_CONFIG_DIR'] },
  'repo index': {
    examples: ['kc repo index dist --url https://charts.example.com', 'kc repo index dist --merge dist/index.yaml'],
    env: [],
  },
  'repo add': {
    examples: [
      'kc repo add stable https://charts.example.com',
      'kc repo add stable https://charts.example.com --force-update',
    ],
    env: ['KC_CONFIG_DIR', 'HTTPS_PROXY'],
  },
  'repo list': { examples: ['kc repo list', 'kc repo list -o json'], env: ['KC_CONFIG_DIR'] },
  'repo update': { examples: ['kc repo update', 'kc repo update stable'], env: ['KC_CONFIG_DIR', 'HTTPS_PROXY'] },
  'repo remove': { examples: ['kc repo remove stable'], env: ['KC_CONFIG_DIR'] },
  registry: { examples: ['kc registry login ghcr.io -u me --password-stdin'], env: ['DOCKER_CONFIG', 'HTTPS_PROXY'] },
  'registry login': {
    examples: [
      'kc registry login ghcr.io -u me --password-stdin < token.txt',
      'kc registry login 127.0.0.1:5000 -u me -p secret --plain-http',
    ],
    env: ['DOCKER_CONFIG', 'HTTPS_PROXY'],
  },
  'registry logout': { examples: ['kc registry logout ghcr.io'], env: ['DOCKER_CONFIG'] },
  search: { examples: ['kc search mysql', 'kc search repo mysql --versions'], env: CHARTS },
  'search repo': {
    examples: [
      'kc search repo mysql',
      "kc search repo stable/mysql --version '^1' -o json",
      'kc search repo oci://127.0.0.1:5000/charts/mysql --versions --plain-http',
    ],
    env: CHARTS,
  },
  pull: {
    examples: [
      'kc pull stable/mysql',
      "kc pull stable/mysql --version '^1.0' -d charts --untar",
      'kc pull oci://127.0.0.1:5000/charts/mysql --plain-http --verify --key cosign.pub',
    ],
    env: CHARTS,
  },
  push: {
    examples: [
      'kc push charts/mysql oci://ghcr.io/me/charts',
      'kc push mysql-1.0.0.tgz oci://127.0.0.1:5000/charts --plain-http',
      'kc push charts/mysql oci://ghcr.io/me/charts --sign --key cosign.key',
    ],
    env: union(REGISTRY, ['COSIGN_PASSWORD']),
  },
  sign: {
    examples: ['kc sign oci://ghcr.io/me/charts/mysql:1.0.0 --key cosign.key'],
    env: union(REGISTRY, ['COSIGN_PASSWORD']),
  },
  publish: {
    examples: [
      "kc publish --env prod  # to the environment's gitops.repository",
      'kc publish examples/webapp-with-db oci://127.0.0.1:5000/fleet/webapp --env prod --plain-http',
      'kc publish --env prod --sign --key cosign.key -o json',
    ],
    env: union(CHARTS, ['KC_HELM', 'COSIGN_PASSWORD', 'SOURCE_DATE_EPOCH']),
  },
  dependency: { examples: ['kc dependency update charts/web', 'kc dependency list charts/web'], env: CHARTS },
  'dependency update': {
    examples: ['kc dependency update charts/web', 'kc dependency update charts/web --plain-http'],
    env: CHARTS,
  },
  'dependency list': { examples: ['kc dependency list charts/web', 'kc dependency list charts/web -o json'], env: [] },
  init: { examples: ['kc init shop', 'kc init shop --chart api  # its first chart: charts/api'], env: [] },
  create: { examples: ['kc create api  # in a project: charts/api', 'kc create api -d charts --force'], env: [] },
  lint: {
    examples: ['kc lint', 'kc lint examples/mysql --strict', 'kc lint charts/mysql --set rootPassword=x -o json'],
    env: ['KC_HELM', 'KUBECONFIG', 'KC_KUBECONTEXT', 'HTTPS_PROXY'],
  },
  template: {
    examples: [
      'kc template my charts/mysql --set rootPassword=root',
      'kc template my stable/mysql -n db -f values.yaml',
      'kc template web ./hello --debug  # a Helm chart folder too',
    ],
    env: union(CHARTS, ['KC_HELM']),
  },
  gitops: { examples: ['kc gitops export --env prod', 'kc gitops argocd-plugin > plugin.yaml'], env: [] },
  'gitops export': {
    examples: [
      'kc gitops export --env prod  # Flux, following the tag "prod"',
      'kc gitops export --env prod --digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'kc gitops export --env prod --engine argocd > apps.yaml',
    ],
    env: [],
  },
  'gitops render': {
    examples: [
      "kc gitops render  # as Argo CD's plugin runs it, in the Application's folder (kc-release.yaml)",
      'kc gitops render apps/mysql',
    ],
    env: [
      'ARGOCD_APP_NAME',
      'ARGOCD_APP_NAMESPACE',
      'ARGOCD_APP_PARAMETERS',
      'ARGOCD_ENV_KC_VALUES',
      'ARGOCD_ENV_KC_SET',
      'KUBE_VERSION',
      'KC_HELM',
    ],
  },
  'gitops argocd-plugin': {
    examples: ['kc gitops argocd-plugin > plugin.yaml', 'kc gitops argocd-plugin --kc node /opt/kc/bin/kc.cjs'],
    env: [],
  },
  import: {
    examples: [
      'kc import helm:./charts/hello',
      'kc import helm:stable/hello@1.2.0 -o src/imports',
      'kc import helm:oci://127.0.0.1:5000/charts/hello:0.1.0 --plain-http',
    ],
    env: CHARTS,
  },
  'import crd': {
    examples: [
      'kc import crd crds/servicemonitor.yaml',
      'kc import crd --from-cluster servicemonitors.monitoring.coreos.com -o imports',
    ],
    env: ['KUBECONFIG', 'KC_KUBECONTEXT', 'HTTPS_PROXY'],
  },
  adopt: { examples: ['kc adopt helm my -n db'], env: LOCKING },
  'adopt helm': {
    examples: ['kc adopt helm my -n db', 'kc adopt helm my -n db --delete-helm-records'],
    env: LOCKING,
  },
  version: { examples: ['kc version', 'kc version --short', 'kc version -o json --context kind-kind'], env: CLUSTER },
  completion: {
    examples: [
      'kc completion bash > ~/.local/share/bash-completion/completions/kc',
      'kc completion zsh > "${fpath[1]}/_kc"  # or: source <(kc completion zsh) after compinit',
      'kc completion fish > ~/.config/fish/completions/kc.fish',
    ],
    env: [],
  },
};

/** The command's path as typed after `kc` ('' for kc itself, 'get values'). */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function envLines(names: string[]): string[] {
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `  ${n.padEnd(width)}  ${ENV_HELP[n]}`);
}

/** The text --help prints below the options of the command at `path`. */
export function helpText(path: string): string {
  const extra = HELP_EXTRAS[path];
  if (!extra) return '';
  const lines = ['', 'Examples:', ...extra.examples.map((e) => `  ${e}`)];
  if (path === '') lines.push('', 'Environment (every command):', ...envLines(GLOBAL_ENV));
  else {
    const global = `${GLOBAL_ENV.join(', ')}, as every command (kc --help)`;
    if (extra.env.length) lines.push('', 'Environment:', ...envLines(extra.env), `  also ${global}`);
    else lines.push('', `Environment: only ${global}`);
  }
  return lines.join('\n') + '\n';
}

/** Visible commands under `cmd`, depth first. */
export function visibleCommands(cmd: Command): Command[] {
  const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;
  return cmd.commands.filter((c) => !hidden(c)).flatMap((c) => [c, ...visibleCommands(c)]);
}

/** Adds the examples and environment of HELP_EXTRAS to every visible command's --help (rendered only when shown). */
export function addHelpExtras(program: Command): void {
  for (const cmd of [program, ...visibleCommands(program)]) {
    cmd.addHelpText('after', () => helpText(commandPath(cmd)));
  }
}

// The program the sandbox process runs, as text: kc writes it to the cache and starts it under Node's permission
// model. It reads one request on stdin, evaluates the chart bundle in a vm context whose `require`, `process` and
// `console` are kc's, and writes one JSON answer on stdout. Plain JavaScript, no template literals, no imports.

/** Modules a packaged chart may require: pure computation, no I/O. */
export const ALLOWED_MODULES = [
  'assert', 'assert/strict', 'buffer', 'crypto', 'events', 'path', 'path/posix', 'punycode', 'querystring',
  'stream', 'string_decoder', 'url', 'util', 'util/types', 'zlib',
];

/** Modules cdk8s requires when it loads: they resolve to stubs whose every function refuses. */
export const STUBBED_MODULES: Record<string, string> = {
  fs: 'read or write files',
  'fs/promises': 'read or write files',
  os: 'inspect the machine',
  child_process: 'start processes',
};

/** Environment variables cdk8s and its YAML library probe; they read as unset instead of refusing. */
export const ENV_PROBES = [
  'CDK8S_LEGACY_HASH', 'CDK8S_OUTDIR', 'CDK8S_RECORD_CONSTRUCT_METADATA', 'CDK8S_DISABLE_SORT', 'LOG_STREAM', 'LOG_TOKENS',
  'NODE_ENV', 'NODE_DEBUG', 'DEBUG', 'FORCE_COLOR', 'NO_COLOR',
];

const NETWORK = ['net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'dns/promises'];

/** Why each other module is refused (anything not listed is refused as "use <module>"). */
export const REFUSED_REASONS: Record<string, string> = {
  ...Object.fromEntries(NETWORK.map((m) => [m, 'open network connections'])),
  worker_threads: 'start threads',
  cluster: 'start processes',
  inspector: 'use the inspector',
  vm: 'compile code outside the sandbox',
  module: 'load modules',
};

const inContext = String.raw`(function (outer) {
  'use strict';
  function refuse(what, why) {
    var err = new Error('kc sandbox refused ' + what + ': packaged charts cannot ' + why);
    err.name = 'SandboxRefusal';
    throw err;
  }
  function preview(args) {
    var first = args[0];
    if (typeof first === 'string') return JSON.stringify(first.length > 80 ? first.slice(0, 80) + '...' : first);
    if (typeof first === 'number') return String(first);
    return args.length ? '...' : '';
  }
  function stubOf(name, shape, why) {
    var out = {};
    shape.functions.forEach(function (key) {
      out[key] = function () { refuse(name + '.' + key + '(' + preview(arguments) + ')', why); };
    });
    Object.keys(shape.values).forEach(function (key) { out[key] = shape.values[key]; });
    Object.keys(shape.objects).forEach(function (key) { out[key] = stubOf(name + '.' + key, shape.objects[key], why); });
    return Object.freeze(out);
  }
  var written = Object.create(null);
  var probes = new Set(JSON.parse(outer.envProbes));
  var env = new Proxy(written, {
    get: function (target, key) {
      if (typeof key === 'symbol' || key in written) return written[key];
      if (probes.has(key)) return undefined;
      refuse('process.env.' + key, 'read environment variables');
    },
    has: function (target, key) { return key in written; },
  });
  var info = JSON.parse(outer.processInfo);
  function refusing(what) { return function () { refuse(what + '()', 'control or inspect the kc process'); }; }
  var proc = {
    env: env, argv: ['node', 'chart'], execArgv: [], platform: info.platform, arch: info.arch,
    version: info.version, versions: info.versions, release: { name: 'node' }, pid: 1, ppid: 0, title: 'kc-chart', features: {},
    cwd: refusing('process.cwd'), chdir: refusing('process.chdir'), exit: refusing('process.exit'), abort: refusing('process.abort'),
    kill: refusing('process.kill'), dlopen: refusing('process.dlopen'), binding: refusing('process.binding'),
    memoryUsage: refusing('process.memoryUsage'), getuid: refusing('process.getuid'), getgid: refusing('process.getgid'),
    nextTick: function (fn) { var args = Array.prototype.slice.call(arguments, 1); queueMicrotask(function () { fn.apply(null, args); }); },
    emitWarning: function () {}, emit: function () { return false; }, listeners: function () { return []; },
    on: function () { return proc; }, once: function () { return proc; }, off: function () { return proc; },
    addListener: function () { return proc; }, removeListener: function () { return proc; }, removeAllListeners: function () { return proc; },
  };
  function log() { outer.log(Array.prototype.slice.call(arguments)); }
  var cons = { log: log, info: log, warn: log, error: log, debug: log, trace: log, dir: log };
  var cache = Object.create(null);
  function requireModule(id) {
    var name = String(id).replace(/^node:/, '');
    if (name === 'process') return proc;
    if (name in cache) return cache[name];
    var kind = outer.kindOf(name);
    if (kind === 'allowed') return (cache[name] = outer.load(name));
    if (kind === 'stub') return (cache[name] = stubOf(name, JSON.parse(outer.shapeOf(name)), outer.reasonOf(name)));
    refuse('require(' + JSON.stringify(String(id)) + ')', outer.reasonOf(name));
  }
  function run(bundle, requestJson) {
    var req = JSON.parse(requestJson);
    var host = {
      env: req.env,
      namespace: req.namespace,
      resolveValues: function (r) {
        // The release's values were merged by kc before the run; nested charts get their props (and schema defaults).
        if (r.release === req.release) return { values: JSON.parse(JSON.stringify(req.values)) };
        return { values: r.props === undefined ? {} : r.props };
      },
    };
    return JSON.stringify(bundle.run({ host: host, release: req.release, chartVersion: req.chartVersion, appVersion: req.appVersion }));
  }
  return { require: requireModule, process: proc, console: cons, run: run, module: { exports: {} } };
})`;

/** The sandbox program's source text. */
export function childSource(): string {
  return String.raw`'use strict';
// kc's chart sandbox: started by kc under Node's permission model; never run it by hand.
const fs = require('fs');
const path = require('path');
const util = require('util');
const vm = require('vm');
const ALLOWED = new Set(${JSON.stringify(ALLOWED_MODULES)});
const STUBBED = ${JSON.stringify(STUBBED_MODULES)};
const REFUSED = ${JSON.stringify(REFUSED_REASONS)};
const LOG_LIMIT = 64 * 1024;
let logged = 0;

function shapeOf(mod, depth) {
  const shape = { functions: [], values: {}, objects: {} };
  for (const key of Object.keys(mod)) {
    const value = mod[key];
    if (typeof value === 'function') shape.functions.push(key);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) shape.values[key] = value;
    else if (typeof value === 'object' && depth < 1) shape.objects[key] = shapeOf(value, depth + 1);
  }
  return shape;
}

const outer = {
  envProbes: JSON.stringify(${JSON.stringify(ENV_PROBES)}),
  processInfo: JSON.stringify({ platform: process.platform, arch: process.arch, version: process.version, versions: { node: process.versions.node } }),
  kindOf: (name) => (ALLOWED.has(name) ? 'allowed' : name in STUBBED ? 'stub' : 'refused'),
  load: (name) => require(name),
  shapeOf: (name) => JSON.stringify(shapeOf(require(name), 0)),
  reasonOf: (name) => STUBBED[name] || REFUSED[name] || 'use the ' + JSON.stringify(name) + ' module',
  log: (args) => {
    if (logged > LOG_LIMIT) return;
    const text = util.format(...args) + '\n';
    logged += text.length;
    process.stderr.write(text);
  },
};

function answer(data) {
  process.stdout.write(JSON.stringify(data));
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  const bundleFile = request.bundle;
  const context = vm.createContext(Object.create(null), { name: 'kc chart sandbox', codeGeneration: { strings: true, wasm: false } });
  const globals = {
    Buffer, URL, URLSearchParams, TextEncoder, TextDecoder, AbortController, AbortSignal, Event, EventTarget,
    atob, btoa, structuredClone, queueMicrotask, setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate,
  };
  for (const [key, value] of Object.entries(globals)) context[key] = value;
  const sandbox = vm.runInContext(${JSON.stringify(inContext)}, context, { filename: 'kc-sandbox.js' })(outer);
  context.process = sandbox.process;
  context.console = sandbox.console;
  context.global = vm.runInContext('globalThis', context);
  const code = fs.readFileSync(bundleFile, 'utf8');
  const params = ['exports', 'require', 'module', '__filename', '__dirname'];
  try {
    const fn = vm.compileFunction(code, params, { filename: bundleFile, parsingContext: context });
    fn.call(sandbox.module.exports, sandbox.module.exports, sandbox.require, sandbox.module, bundleFile, path.dirname(bundleFile));
  } catch (err) {
    answer({ result: { ok: false, failure: { kind: 'chart', message: 'loading the chart failed: ' + (err && err.message), stack: err && err.stack } } });
    return;
  }
  answer({ result: JSON.parse(sandbox.run(sandbox.module.exports, JSON.stringify(request))) });
}

try {
  main();
} catch (err) {
  answer({ error: { message: String(err && err.message), stack: err && err.stack } });
}
// The answer is out (stdout to a pipe is synchronous on Linux and macOS): a timer the chart left must not hold kc.
process.exit(0);
`;
}

// The program of the chart worker, as text: kc starts it with `new Worker(text, { eval: true })`, so it runs the
// same from the built CLI and from the TypeScript sources. It evaluates a chart bundle as src/bundle/code-cache.ts
// does (same wrapper, same cache file), runs one job and answers with plain data. Plain JavaScript, no imports.

const program = String.raw`'use strict';
const { isAscii } = require('node:buffer');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');

const stopThread = process.exit.bind(process);
// A call that would end kc is reported (with where it was made) and ends this thread only.
function fatal(call) {
  parentPort.postMessage({ type: 'fatal', call: call, stack: new Error('chart code called ' + call).stack });
  stopThread(1);
}
const shown = (value) => (value === undefined ? '' : typeof value === 'string' ? JSON.stringify(value) : String(value));
process.exit = function (code) { fatal('process.exit(' + shown(code) + ')'); };
process.abort = function () { fatal('process.abort()'); };
// Signal 0 only probes; kc's own process, its group (0) and every process (-1) are never signalled.
const hitsKc = (pid, signal) => signal !== 0 && (Number(pid) === process.pid || Number(pid) <= 0);
const kill = process.kill;
process.kill = function (pid, signal) {
  if (hitsKc(pid, signal)) {
    fatal('process.kill(' + shown(pid) + (signal === undefined ? '' : ', ' + shown(signal)) + ')');
  }
  return kill.call(process, pid, signal);
};
// What process.kill calls, with the signal as a number.
const rawKill = process._kill;
process._kill = function (pid, signal) {
  if (hitsKc(pid, signal)) fatal('process._kill(' + shown(pid) + ', ' + shown(signal) + ')');
  return rawKill.call(process, pid, signal);
};

let fault;
// Duck-typed: what chart code throws need not be an Error of this realm.
const messageOf = (err) => (err && typeof err.message === 'string' ? err.message : String(err));
const stackOf = (err) => (err && typeof err.stack === 'string' ? err.stack : undefined);
function faultOf(err, what) {
  return { kind: 'chart', message: what + ': ' + messageOf(err), stack: stackOf(err) };
}
process.on('uncaughtException', (err) => { fault = fault || faultOf(err, 'uncaught exception'); });
process.on('unhandledRejection', (err) => { fault = fault || faultOf(err, 'unhandled rejection'); });

const wrap = (source) => '(function (exports, require, module, __filename, __dirname) {' + source + '\n})';
let loaded;
function load(file, cacheFile) {
  if (loaded && loaded.file === file) return loaded;
  loaded = { file: file, cacheFile: cacheFile };
  try {
    const bytes = fs.readFileSync(file);
    // As kc's evaluateWithCodeCache: ASCII read as Latin-1 (one byte a character), and the cache file starts with
    // the sha1 of the source's bytes (V8 checks only its length).
    const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    const digest = crypto.createHash('sha1').update(bytes).digest();
    let cachedData;
    try {
      const raw = fs.readFileSync(cacheFile);
      if (raw.length > 20 && raw.subarray(0, 20).equals(digest)) cachedData = raw.subarray(20);
    } catch { cachedData = undefined; }
    loaded.digest = digest;
    const script = new vm.Script(wrap(source), { filename: file, cachedData: cachedData });
    const mod = { exports: {} };
    script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
    loaded.script = script;
    loaded.exports = mod.exports;
    loaded.cacheWanted = !cachedData || script.cachedDataRejected === true;
  } catch (err) {
    loaded.failure = { kind: 'chart', message: messageOf(err), stack: stackOf(err) };
  }
  return loaded;
}

function saveCache() {
  if (!loaded || !loaded.cacheWanted) return;
  loaded.cacheWanted = false;
  const tmp = loaded.cacheFile + '.' + process.pid + '.' + Date.now() + '.tmp';
  try {
    fs.mkdirSync(path.dirname(loaded.cacheFile), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([loaded.digest, loaded.script.createCachedData()]));
    fs.renameSync(tmp, loaded.cacheFile);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

// values are merged by kc: a blocking call, answered on the host port while this thread waits.
function hostOf(job) {
  const flag = new Int32Array(job.answered);
  return {
    env: job.request.env,
    namespace: job.request.namespace,
    resolveValues(request) {
      const seen = Atomics.load(flag, 0);
      job.host.postMessage(request);
      while (Atomics.load(flag, 0) === seen) Atomics.wait(flag, 0, seen);
      const got = receiveMessageOnPort(job.host);
      if (!got) throw new Error('kc gave no answer for the values of release ' + JSON.stringify(request.release));
      if (got.message.error) {
        const err = new Error(got.message.error.message);
        err.name = got.message.error.name;
        throw err;
      }
      return got.message.answer;
    },
  };
}

// The cluster access a chart test is lent: each call is answered by kc, asynchronously, on the api port.
function apiOf(job) {
  const calls = new Map();
  let next = 0;
  job.api.on('message', (m) => {
    const call = calls.get(m.id);
    calls.delete(m.id);
    if (!m.error) return call.resolve(m.value);
    const err = new Error(m.error.message);
    err.name = m.error.name;
    call.reject(err);
  });
  const method = (name) => (...args) => new Promise((resolve, reject) => {
    const id = ++next;
    calls.set(id, { resolve: resolve, reject: reject });
    job.api.postMessage({ id: id, method: name, args: args });
  });
  return { namespace: job.request.apiNamespace, get: method('get'), list: method('list') };
}

function describe(bundle) {
  try {
    return { ok: true, description: bundle.exports.describe() };
  } catch (err) {
    return { ok: false, failure: { kind: 'app', message: messageOf(err) } };
  }
}

// True for an object made by a literal or Object.create(null), not an instance of a class (Date, Map, ...).
function isPlain(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Which value of a project file's export kc cannot copy (a function, a symbol) and where, or undefined.
function uncopiable(value, at, seen) {
  const kind = typeof value;
  if (kind === 'function' || kind === 'symbol') return (at || '(default export)') + ' is a ' + kind;
  if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  // An object literal's __proto__: {...} sets the prototype, which a copy drops: kept as an own key, so that kc's
  // check of values keys still finds (and refuses) it on the other side.
  const proto = Object.getPrototypeOf(value);
  const literal = proto && proto !== Object.prototype && !Array.isArray(value) && isPlain(proto);
  if (literal && !Object.prototype.hasOwnProperty.call(value, '__proto__')) {
    Object.defineProperty(value, '__proto__', { value: proto, enumerable: true, writable: true, configurable: true });
  }
  for (const key of Object.keys(value)) {
    const found = uncopiable(value[key], at ? at + '.' + key : key, seen);
    if (found) return found;
  }
  return undefined;
}

// A project file's default export, as plain data.
function config(bundle) {
  const value = bundle.exports.config;
  const bad = uncopiable(value, '', new Set());
  return bad ? { ok: false, failure: { kind: 'data', message: bad } } : { ok: true, config: value };
}

async function perform(job, bundle) {
  if (job.op === 'describe') return describe(bundle);
  if (job.op === 'config') return config(bundle);
  const request = { host: hostOf(job), release: job.request.release };
  if (job.op === 'test') return await bundle.exports.test(request, job.request.release, apiOf(job));
  return bundle.exports.run(request);
}

function answer(result) {
  saveCache();
  try {
    parentPort.postMessage({ type: 'result', result: fault ? { ok: false, failure: fault } : result });
  } catch (err) {
    const failure = faultOf(err, 'the chart returned data kc cannot copy');
    parentPort.postMessage({ type: 'result', result: { ok: false, failure: failure } });
  }
}

parentPort.on('message', (job) => {
  const bundle = load(job.file, job.cacheFile);
  if (job.op === 'load') return;
  const done = bundle.failure ? Promise.resolve({ ok: false, failure: bundle.failure }) : perform(job, bundle);
  done
    .catch((err) => ({ ok: false, failure: faultOf(err, 'kc could not run the chart') }))
    // Answered after the run's promise jobs settled, so a rejection nothing handled fails the run too.
    .then((result) => setImmediate(() => answer(result)));
});
`;

/** The chart worker's source text. */
export function workerSource(): string {
  return program;
}

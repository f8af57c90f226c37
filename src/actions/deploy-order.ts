// How a deploy schedules its releases: each one after the releases it depends on, the independent ones at once.
// They share the session's transport, so the bound on requests in flight holds for the whole deploy.

/** What scheduling needs of a release: its name and the names it depends on. */
export interface Schedulable {
  name: string;
  dependsOn: string[];
}

/** The reason a release never started: one it depends on, or another release, failed first. */
const NOT_STARTED = Symbol('not started');

/**
 * Runs `run` for every release once those it depends on (among `releases`; others are taken as deployed already)
 * have succeeded; releases that do not depend on each other run at the same time. After a failure no other release
 * starts, those running finish, and the first failure is thrown. Results are in the order of `releases`, which
 * must have no dependency cycle (orderReleases refuses one when the app is synthesized).
 */
export async function runInDependencyOrder<R extends Schedulable, T>(releases: readonly R[], run: (release: R) => Promise<T>): Promise<T[]> {
  const byName = new Map(releases.map((r) => [r.name, r]));
  const runs = new Map<string, Promise<T>>();
  let firstFailure: { error: unknown } | undefined;
  const start = (release: R): Promise<T> => {
    const known = runs.get(release.name);
    if (known) return known;
    const deps = release.dependsOn.filter((d) => byName.has(d)).map((d) => start(byName.get(d)!));
    const running = Promise.all(deps).then(() => {
      if (firstFailure) throw NOT_STARTED;
      return run(release);
    });
    running.catch((error: unknown) => {
      if (error !== NOT_STARTED) firstFailure ??= { error };
    });
    runs.set(release.name, running);
    return running;
  };
  const settled = await Promise.allSettled(releases.map(start));
  if (firstFailure) throw firstFailure.error;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

// What a few official Docker Hub images need from their pod: the directories they write to at start-up and the
// user they start as. Each entry names where it comes from (the image's Dockerfile and entrypoint in its
// docker-library repository), so it can be re-checked when an image changes. Images outside this table are not
// judged: kc cannot know what an arbitrary image writes to or runs as.

/** A directory an image writes to, so it must be a writable volume when the root filesystem is read-only. */
export interface WritablePath {
  path: string;
  /** Data to keep (a PersistentVolumeClaim, or an emptyDir for throwaway data) or scratch space (an emptyDir). */
  kind: 'data' | 'scratch';
  /** An environment variable that moves the directory (e.g. PGDATA): its literal value replaces `path`. */
  env?: string;
  /** Only for tags of this major version or later (a tag with no version, e.g. `latest`, counts as the newest). */
  sinceMajor?: number;
  /** Only for tags of this major version or earlier. */
  untilMajor?: number;
  /** Where the path comes from. */
  source: string;
}

/** An official image that starts as root and needs some directories writable. */
export interface KnownImage {
  /** The image's name among Docker Hub's official images (`library/NAME`). */
  name: string;
  /** The unprivileged user its entrypoint switches to, which `runAsUser` can name instead. */
  user: { name: string; uid: number; alpineUid?: number; source: string };
  writable: WritablePath[];
  /** What to do instead of running as that uid, when the uid alone is not enough. */
  nonRootHint?: string;
}

/** The official images kc lint knows, by name. */
export const KNOWN_IMAGES: readonly KnownImage[] = [
  {
    name: 'postgres',
    user: {
      name: 'postgres',
      uid: 999,
      alpineUid: 70,
      source:
        'docker-library/postgres 17/bookworm/Dockerfile (useradd ' +
        '--uid=999), 17/alpine3.22/Dockerfile (adduser -u 70); ' +
        'docker-entrypoint.sh runs as root and re-executes itself with gosu postgres',
    },
    writable: [
      {
        path: '/var/lib/postgresql/data',
        kind: 'data',
        env: 'PGDATA',
        untilMajor: 17,
        source: 'ENV PGDATA and VOLUME /var/lib/postgresql/data in docker-library/postgres 17/bookworm/Dockerfile',
      },
      {
        path: '/var/lib/postgresql',
        kind: 'data',
        env: 'PGDATA',
        sinceMajor: 18,
        source:
          'VOLUME /var/lib/postgresql (PGDATA /var/lib/postgresql/18/docker) ' +
          'in docker-library/postgres 18/trixie/Dockerfile',
      },
      {
        path: '/var/run/postgresql',
        kind: 'scratch',
        source:
          'install --directory /var/run/postgresql (the socket directory) in ' +
          'docker-library/postgres 17/bookworm/Dockerfile',
      },
    ],
  },
  {
    name: 'mysql',
    user: {
      name: 'mysql',
      uid: 999,
      source:
        'docker-library/mysql 8.4/Dockerfile.oracle (useradd --uid 999); ' +
        'docker-entrypoint.sh re-executes itself with gosu mysql',
    },
    writable: [
      {
        path: '/var/lib/mysql',
        kind: 'data',
        source: 'VOLUME /var/lib/mysql in docker-library/mysql 8.4/Dockerfile.oracle',
      },
      {
        path: '/var/run/mysqld',
        kind: 'scratch',
        source: 'mkdir -p /var/run/mysqld (the socket directory) in docker-library/mysql 8.4/Dockerfile.oracle',
      },
      {
        path: '/tmp',
        kind: 'scratch',
        source:
          'docker-entrypoint.sh\'s --log-bin-index="$(mktemp -u)" and ' +
          "mysqld's tmpdir (default /tmp, InnoDB's temporary files)",
      },
    ],
  },
  {
    name: 'mariadb',
    user: {
      name: 'mysql',
      uid: 999,
      source:
        'MariaDB/mariadb-docker 11.4/Dockerfile (useradd -r mysql); ' +
        'docker-entrypoint.sh re-executes itself with gosu mysql',
    },
    writable: [
      {
        path: '/var/lib/mysql',
        kind: 'data',
        source: 'VOLUME /var/lib/mysql in MariaDB/mariadb-docker 11.4/Dockerfile',
      },
      {
        path: '/run/mysqld',
        kind: 'scratch',
        source: 'mkdir -p /run/mysqld (the socket directory) in MariaDB/mariadb-docker 11.4/Dockerfile',
      },
      { path: '/tmp', kind: 'scratch', source: "mariadbd's tmpdir (default /tmp, InnoDB's temporary files)" },
    ],
  },
  {
    name: 'redis',
    user: {
      name: 'redis',
      uid: 999,
      source:
        'docker-library/redis 7.2/debian/Dockerfile (useradd -u 999); ' +
        'docker-entrypoint.sh re-executes redis-server with gosu redis',
    },
    writable: [
      {
        path: '/data',
        kind: 'data',
        source:
          'VOLUME /data and WORKDIR /data (where dump.rdb is saved) in docker-library/redis 7.2/debian/Dockerfile',
      },
    ],
  },
  {
    name: 'mongo',
    user: {
      name: 'mongodb',
      uid: 999,
      source:
        'docker-library/mongo 8.0/Dockerfile (useradd --uid 999); ' +
        'docker-entrypoint.sh re-executes itself with gosu mongodb',
    },
    writable: [
      {
        path: '/data/db',
        kind: 'data',
        source: 'VOLUME /data/db /data/configdb in docker-library/mongo 8.0/Dockerfile',
      },
      {
        path: '/data/configdb',
        kind: 'data',
        source: 'VOLUME /data/db /data/configdb in docker-library/mongo 8.0/Dockerfile',
      },
      {
        path: '/tmp',
        kind: 'scratch',
        source: "docker-entrypoint.sh's TMPDIR (default /tmp) config files and mongod's socket /tmp/mongodb-27017.sock",
      },
    ],
  },
  {
    name: 'nginx',
    user: {
      name: 'nginx',
      uid: 101,
      source:
        'nginxinc/docker-nginx mainline/debian/Dockerfile (useradd --uid ' +
        '101); the master process runs as root, workers as nginx',
    },
    writable: [
      {
        path: '/var/cache/nginx',
        kind: 'scratch',
        source: "nginx's *_temp_path directories, which nginxinc/docker-nginx-unprivileged's Dockerfile moves to /tmp",
      },
      {
        path: '/var/run',
        kind: 'scratch',
        source:
          "pid /var/run/nginx.pid in the image's /etc/nginx/nginx.conf " +
          "(docker-nginx-unprivileged's Dockerfile seds it to /tmp)",
      },
    ],
    nonRootHint: 'nginx as uid 101 cannot bind port 80: use the image nginxinc/nginx-unprivileged (port 8080) instead',
  },
];

const BY_NAME = new Map(KNOWN_IMAGES.map((i) => [i.name, i]));

// Registries that serve Docker Hub's official images under the same path (mirror.gcr.io mirrors Docker Hub;
// public.ecr.aws/docker/library is Docker's own copy on ECR Public).
const HUB_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'mirror.gcr.io']);

/** A parsed image reference: the official image's name (if it is one) and its tag. */
export interface ImageRef {
  /** `postgres` for `postgres`, `library/postgres` and `docker.io/library/postgres`; none for `bitnami/postgresql`. */
  officialName?: string;
  tag?: string;
}

/** Parses an image reference, recognizing Docker Hub's official images however the registry is spelled. */
export function parseImage(image: string): ImageRef {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  const parts = (colon > slash ? withoutDigest.slice(0, colon) : withoutDigest).split('/');
  // As Docker does: a first component with a dot or a port, or localhost, is a registry.
  const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.shift() : undefined;
  let path = parts.join('/');
  if (registry === 'public.ecr.aws' && path.startsWith('docker/library/')) path = path.slice('docker/'.length);
  else if (registry !== undefined && !HUB_REGISTRIES.has(registry)) return { tag };
  if (parts.length === 1) path = `library/${path}`;
  const officialName =
    path.startsWith('library/') && path.split('/').length === 2 ? path.slice('library/'.length) : undefined;
  return { officialName, tag };
}

/** The known official image an image reference names, if any (never another publisher's image of the same name). */
export function knownImage(image: string): { known: KnownImage; tag?: string } | undefined {
  const { officialName, tag } = parseImage(image);
  const known = officialName ? BY_NAME.get(officialName) : undefined;
  return known && { known, tag };
}

/** The major version a tag starts with (`16.4-alpine` is 16); undefined for `latest`, `alpine` or no tag. */
export function tagMajor(tag: string | undefined): number | undefined {
  const m = tag ? /^(\d+)/.exec(tag) : null;
  return m ? Number(m[1]) : undefined;
}

/** The directories an image of this tag writes to (env values replace the paths they name). */
export function writablePaths(known: KnownImage, tag: string | undefined, env: Record<string, string>): WritablePath[] {
  const major = tagMajor(tag);
  return known.writable
    .filter(
      (w) =>
        (w.sinceMajor === undefined || major === undefined || major >= w.sinceMajor) &&
        (w.untilMajor === undefined || (major !== undefined && major <= w.untilMajor)),
    )
    .map((w) => (w.env && env[w.env] ? { ...w, path: env[w.env] } : w));
}

/** The uid `runAsUser` should name for this image (alpine variants of some images use another). */
export function imageUid(known: KnownImage, tag: string | undefined): number {
  return tag?.includes('alpine') && known.user.alpineUid !== undefined ? known.user.alpineUid : known.user.uid;
}

// Where kc keeps caches and settings (no other imports: the CLI launcher reads it before loading kc).
import os from 'node:os';
import path from 'node:path';

/** The cache folder: $KC_CACHE_DIR, else $XDG_CACHE_HOME/kc, else ~/.cache/kc. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KC_CACHE_DIR) return env.KC_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kc');
}

/** The settings folder: $KC_CONFIG_DIR, else $XDG_CONFIG_HOME/kc, else ~/.config/kc. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KC_CONFIG_DIR) return env.KC_CONFIG_DIR;
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'kc');
}

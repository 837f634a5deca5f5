import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from './option-spec.ts';

function home(env: Environment): string {
  return env.HOME && env.HOME !== '' ? env.HOME : homedir();
}

/** `$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil` (Trivy's rule, with our name). */
export function defaultCacheDir(env: Environment): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg && xdg !== '' ? join(xdg, 'vigil') : join(home(env), '.cache', 'vigil');
}

/** Home for user configuration files such as `vex/repository.yaml`: `$VIGIL_HOME`, else `~/.vigil`. */
export function vigilHome(env: Environment): string {
  const configured = env.VIGIL_HOME;
  return configured && configured !== '' ? configured : join(home(env), '.vigil');
}

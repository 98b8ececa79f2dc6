/** "Did you mean" for unknown keys: the closest known key, if close enough. */
import { editDistance } from '../edit-distance.js';

/** Keys compose users may bring along, and what cloudlab uses instead. */
const FAMILIAR: Readonly<Record<string, string>> = {
  image: 'cloudlab runs processes, not containers: write command: ["node", "server.js"] instead',
  build: 'cloudlab runs processes, not containers: build beforehand and write the command that runs the result',
  container_name: 'remove it; a service is named by its key under services',
  volumes: 'remove it; the lab keeps its state under state_dir',
  networks: 'remove it; every listener binds to host',
  deploy: 'write replicas: N on the service instead of deploy.replicas',
  env_file: 'write the variables under environment, or ${VAR} them from the environment cloudlab runs in',
  version: 'remove it; cloudlab.yaml has no version',
  expose: 'remove it; each replica gets a free port in the variable port_env names',
};

const normalize = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

/** The known key closest to `key`, or undefined when none is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = normalize(key) === normalize(candidate) ? 0 : editDistance(key.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** The fix for an unknown key: a close known key, a compose key's counterpart, or the list. */
export function unknownKeyFix(key: string, known: readonly string[]): string {
  const close = closestKey(key, known);
  if (close !== undefined) return `did you mean "${close}"?`;
  const familiar = FAMILIAR[key];
  if (familiar !== undefined) return familiar;
  return `remove it; the known keys are ${known.join(', ')}`;
}

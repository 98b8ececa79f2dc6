/**
 * The built-in default when there is no cloudlab.yaml: the cafe demo. It is written in
 * the file's own shape and goes through the same validation as a file.
 */
import { join, resolve } from 'node:path';
import { DEFAULTS } from './defaults.js';
import { PACKAGE_ROOT } from './package-root.js';
import type { FileConfig } from './schema.js';

export const BUILTIN_LABEL = 'built-in cafe demo';

/** The cafe demo for a lab started in `cwd` (its state lives in cwd/.cloudlab). */
export function builtinConfig(cwd: string, packageRoot: string = PACKAGE_ROOT): FileConfig {
  const cafeDist = join(packageRoot, 'examples', 'cafe', 'dist', 'src');
  const stateDir = resolve(cwd, DEFAULTS.state_dir);
  return {
    name: 'cafe-demo',
    state_dir: DEFAULTS.state_dir,
    dependencies: {
      postgres: { engine: 'embedded', database: 'cafe', proxy: { listen: DEFAULTS.postgres.proxy.listen } },
      cache: { engine: 'auto', proxy: { listen: DEFAULTS.cache.proxy.listen } },
    },
    services: {
      payments: {
        command: ['node', join(cafeDist, 'payments', 'main.js')],
        replicas: 1,
        depends_on: ['postgres'],
        proxy: { listen: 8081 },
        // The lab forwards stdout to the hub as logs (with trace ids); the SDK's own log export would send each line twice.
        environment: { CAFE_FLAGS_FILE: join(stateDir, 'flags.json'), OTEL_LOGS_EXPORTER: 'none' },
      },
      cafe: {
        command: ['node', join(cafeDist, 'cafe', 'main.js')],
        replicas: 2,
        depends_on: ['postgres', 'cache', 'payments'],
        ports: ['8000'],
        environment: { CAFE_FLAGS_FILE: join(stateDir, 'flags.json'), OTEL_LOGS_EXPORTER: 'none' },
      },
    },
  };
}

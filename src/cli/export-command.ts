import { relative, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { LabError } from '../errors.js';
import * as exporters from '../export/index.js';
import type { ExportFile, ExportModel } from '../export/index.js';
import { parseFlags } from './args.js';

export const EXPORT_HELP = `Usage: cloudlab export <target> [--out DIR] [--file cloudlab.yaml] [--force]

Writes the lab's config as files for the real stack. Targets:
  compose     docker-compose.yml, the demo overlay (Prometheus, Grafana, Jaeger, Toxiproxy,
              Redis Commander), Dockerfiles, .env.example and a README (default --out deploy/compose)
  k8s         Kubernetes manifests (default --out deploy/k8s)
  terraform   AWS: Terraform root module and modules (ECS Fargate, ALB, RDS, ElastiCache, AMP,
              IAM, GitHub OIDC), ADOT collector config, deploy workflow (default --out deploy/terraform)
  all         every target, each in <out>/<target> (default --out deploy)

Every target also gets guides/ (local setup, demo, AWS migration). A file that exists with
other content is not overwritten without --force. See docs/export.md.

  -o, --out     the output directory (relative to the current directory)
  -f, --file    the config file; default ./cloudlab.yaml, else the built-in cafe demo
  --force       overwrite files that differ
`;

type Render = (model: ExportModel, options: { outDir: string }) => ExportFile[];

const TARGETS = ['compose', 'k8s', 'terraform', 'all'] as const;
type Target = (typeof TARGETS)[number];

/** The renderer of a target, or null while it is not built. */
function renderer(target: Exclude<Target, 'all'>): Render | null {
  if (target === 'compose') return exporters.renderCompose;
  if (target === 'k8s') return (model) => exporters.renderKubernetes(model);
  if (target === 'terraform') return (model) => exporters.renderTerraform(model);
  return null;
}

function notBuilt(targets: string[]): LabError {
  return new LabError('LAB_EXPORT_NOT_BUILT', `cloudlab export: ${targets.join(' and ')} ${targets.length === 1 ? 'is' : 'are'} not built yet; use cloudlab export compose (docs/export.md lists the targets)`);
}

export async function runExportCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('export', argv, {
    out: { type: 'string', short: 'o' },
    file: { type: 'string', short: 'f' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(EXPORT_HELP);
    return 0;
  }
  const [target, ...extra] = positionals;
  if (target === undefined || !(TARGETS as readonly string[]).includes(target)) {
    const received = target === undefined ? 'nothing' : `"${target}"`;
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab export: the target must be one of ${TARGETS.join(', ')}, received ${received}; see cloudlab export --help`);
  }
  if (extra.length > 0) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab export: takes one target, received also "${extra.join(' ')}"; see cloudlab export --help`);
  }
  if (values.out === '') throw new LabError('LAB_CLI_BAD_FLAG', 'cloudlab export: --out must be a directory, received ""');
  const chosen = target as Target;
  const targets: Array<Exclude<Target, 'all'>> = chosen === 'all' ? ['compose', 'k8s', 'terraform'] : [chosen];
  const missing = targets.filter((t) => renderer(t) === null);
  if (missing.length > 0) throw notBuilt(missing);

  const cwd = process.cwd();
  const config = await loadConfig({ cwd, ...(values.file === undefined ? {} : { file: values.file }), env: process.env });
  const model = exporters.exportModel(config);
  const base = resolve(cwd, values.out ?? (chosen === 'all' ? 'deploy' : `deploy/${chosen}`));
  for (const t of targets) {
    const outDir = chosen === 'all' ? resolve(base, t) : base;
    // The guides (local setup, demo, AWS migration) go beside every target's files.
    const files = [...(renderer(t) as Render)(model, { outDir }), ...exporters.renderGuides(model)];
    const written = await exporters.writeExport(outDir, files, {
      force: values.force === true,
      onFile: (path, status) => out.write(`${status.padEnd(9)} ${relative(cwd, path) || path}\n`),
    });
    out.write(`cloudlab export ${t}: ${written.length} files in ${relative(cwd, outDir) || '.'}\n`);
  }
  return 0;
}

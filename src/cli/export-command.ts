import { relative, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { LabError } from '../errors.js';
import * as exporters from '../export/index.js';
import type { ExportFile, ExportModel } from '../export/index.js';
import { parseFlags } from './args.js';

export const EXPORT_HELP = `Usage: cloudlab export <target> [--out DIR] [--file cloudlab.yaml] [--compute ecs|eks] [--force]

Writes the lab's config as files for the real stack. Targets:
  compose     docker-compose.yml, the demo overlay (Prometheus, Grafana, Jaeger, Toxiproxy,
              Redis Commander), Dockerfiles, .env.example and a README (default --out deploy/compose)
  k8s         Kubernetes manifests (default --out deploy/k8s)
  terraform   AWS: Terraform root module and modules (ECS Fargate, ALB, RDS, ElastiCache, AMP,
              IAM, GitHub OIDC), ADOT collector config, deploy workflow (default --out deploy/terraform);
              with --compute eks: an EKS cluster running the k8s export instead of ECS
  all         every target, each in <out>/<target> (default --out deploy)

Every target also gets guides/ (local setup, demo, AWS migration). A file that exists with
other content is not overwritten without --force. See docs/export.md.

  -o, --out     the output directory (relative to the current directory)
  -f, --file    the config file; default ./cloudlab.yaml, else the built-in cafe demo
  --compute     where the terraform target runs the services: ecs (default, ECS Fargate behind
                an ALB) or eks (EKS; the workloads come from the k8s export). terraform and all only
  --force       overwrite files that differ
`;

type Render = (model: ExportModel, options: { outDir: string; compute: exporters.TerraformCompute }) => ExportFile[];

const TARGETS = ['compose', 'k8s', 'terraform', 'all'] as const;
type Target = (typeof TARGETS)[number];

const RENDERERS: Record<Exclude<Target, 'all'>, Render> = {
  compose: exporters.renderCompose,
  k8s: (model) => exporters.renderKubernetes(model),
  terraform: (model, options) => exporters.renderTerraform(model, { compute: options.compute }),
};

export async function runExportCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('export', argv, {
    out: { type: 'string', short: 'o' },
    file: { type: 'string', short: 'f' },
    force: { type: 'boolean' },
    compute: { type: 'string' },
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
  const compute = computeFlag(values.compute, chosen);
  const targets: Array<Exclude<Target, 'all'>> = chosen === 'all' ? ['compose', 'k8s', 'terraform'] : [chosen];

  const cwd = process.cwd();
  const config = await loadConfig({ cwd, ...(values.file === undefined ? {} : { file: values.file }), env: process.env });
  const model = exporters.exportModel(config);
  const base = resolve(cwd, values.out ?? (chosen === 'all' ? 'deploy' : `deploy/${chosen}`));
  for (const t of targets) {
    const outDir = chosen === 'all' ? resolve(base, t) : base;
    // The guides (local setup, demo, AWS migration) go beside every target's files.
    const files = [...RENDERERS[t](model, { outDir, compute }), ...exporters.renderGuides(model)];
    const written = await exporters.writeExport(outDir, files, {
      force: values.force === true,
      onFile: (path, status) => out.write(`${status.padEnd(9)} ${relative(cwd, path) || path}\n`),
    });
    out.write(`cloudlab export ${t}: ${written.length} files in ${relative(cwd, outDir) || '.'}\n`);
  }
  return 0;
}

/** --compute: ecs or eks, for the terraform and all targets only. */
function computeFlag(value: string | undefined, target: Target): exporters.TerraformCompute {
  if (value === undefined) return 'ecs';
  const allowed = exporters.TERRAFORM_COMPUTES as readonly string[];
  if (!allowed.includes(value)) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab export: --compute must be one of ${allowed.join(', ')}, received "${value}"; write --compute eks for EKS, or leave it out for ECS Fargate`);
  }
  if (target !== 'terraform' && target !== 'all') {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab export ${target}: --compute applies to the terraform and all targets only, received it with ${target}; remove it, or run cloudlab export terraform --compute ${value}`);
  }
  return value as exporters.TerraformCompute;
}

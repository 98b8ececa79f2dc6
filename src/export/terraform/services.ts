/** The root module's per-service blocks: environment, secrets and the ecs-service module call. */
import type { ExportModel, ModelEnvValue, ModelService } from '../model.js';
import { hclString, tfName } from './hcl.js';

/** The ADOT sidecar listens on localhost in the same task. */
export const SIDECAR_OTLP_HTTP = 'http://localhost:4318';

/** Services reachable through the load balancer. */
export function publicServices(model: ExportModel): ModelService[] {
  return model.services.filter((s) => s.publishedPorts.length > 0);
}

/** An ECR repository name: the image name the compose export builds. */
export function repositoryName(service: ModelService): string {
  return service.image;
}

/** A plain (non-secret) value as an HCL expression; null for values that are secrets. */
function plainValue(model: ExportModel, value: ModelEnvValue): string | null {
  switch (value.kind) {
    case 'literal':
      return hclString(value.value);
    case 'databaseUrl':
      return null;
    case 'cacheUrl':
      return 'module.elasticache.url';
    case 'serviceUrl':
    {
      const port = model.services.find((s) => s.name === value.service)?.containerPort ?? 8080;
      return `"http://${value.service}.\${aws_service_discovery_private_dns_namespace.this.name}:${port}"`;
    }
    case 'otlpEndpoint':
      return hclString(SIDECAR_OTLP_HTTP);
    case 'otelDisabled':
      // The ADOT sidecar is always there to receive.
      return '"false"';
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The ALB's `services` map entry of a public service. */
export function albServiceEntry(service: ModelService): string {
  const hc = service.healthcheck;
  const interval = clamp(Math.round(hc.intervalMs / 1000), 5, 300);
  const timeout = clamp(Math.round(hc.timeoutMs / 1000), 2, Math.min(120, interval - 1));
  return [
    `    ${hclString(service.name)} = {`,
    `      port                    = ${service.containerPort}`,
    `      health_path             = ${hclString(service.healthPath ?? '/')}`,
    // Without an HTTP health path, any answer below 500 shows the process is up.
    `      health_matcher          = ${hclString(service.healthPath === null ? '200-499' : '200-299')}`,
    `      health_interval_seconds = ${interval}`,
    `      health_timeout_seconds  = ${timeout}`,
    `      health_retries          = ${clamp(hc.retries, 2, 10)}`,
    '    }',
  ].join('\n');
}

/** `key = value` lines of a map, the `=` aligned as terraform fmt does. */
function mapLines(entries: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `    ${k.padEnd(width)} = ${v}`);
}

/** The `module "service_<name>"` call of one service. */
export function serviceModule(model: ExportModel, service: ModelService): string {
  const env: Array<[string, string]> = [];
  const secrets: Array<[string, string]> = [];
  for (const v of service.environment) {
    if (v.value.kind === 'databaseUrl') {
      secrets.push([hclString(v.name), 'module.rds.url_secret_arn']);
      if (model.postgres) secrets.push([hclString(model.postgres.passwordVariable), 'module.rds.password_secret_arn']);
      continue;
    }
    if (v.value.kind === 'cacheUrl' && model.cache === null) continue;
    const value = plainValue(model, v.value);
    if (value !== null) env.push([hclString(v.name), value]);
  }
  const isPublic = service.publishedPorts.length > 0;
  const lines = [
    `module "service_${tfName(service.name)}" {`,
    '  source = "./modules/ecs-service"',
    '',
    `  name                           = ${hclString(service.name)}`,
    '  cluster_name                   = aws_ecs_cluster.this.name',
    '  cluster_arn                    = aws_ecs_cluster.this.arn',
    '  region                         = var.region',
    '  vpc_id                         = module.vpc.vpc_id',
    '  vpc_cidr                       = module.vpc.vpc_cidr',
    '  subnet_ids                     = module.vpc.private_subnet_ids',
    `  image                          = "\${module.ecr.repository_urls[${hclString(repositoryName(service))}]}:\${lookup(var.image_tags, ${hclString(service.name)}, "latest")}"`,
    `  command                        = [${service.command.map(hclString).join(', ')}]`,
    `  container_port                 = ${service.containerPort}`,
    ...(service.metricsPath === null ? [] : [`  metrics_path                   = ${hclString(service.metricsPath)}`]),
    ...(service.metricsPath !== null && service.metricsPort !== service.containerPort ? [`  metrics_port                   = ${service.metricsPort}`] : []),
    `  desired_count                  = ${service.replicas}`,
    `  min_capacity                   = ${service.replicas}`,
    `  max_capacity                   = ${service.replicas * 3}`,
    `  target_group_arn               = ${isPublic ? `module.alb.target_group_arns[${hclString(service.name)}]` : 'null'}`,
    '  execution_role_arn             = module.iam.execution_role_arn',
    '  task_role_arn                  = module.iam.task_role_arn',
    '  service_discovery_namespace_id = aws_service_discovery_private_dns_namespace.this.id',
    '  adot_config                    = file("${path.module}/adot-collector.yaml")',
    '  amp_remote_write_url           = module.observability.amp_remote_write_url',
    '',
    '  environment = {',
    ...mapLines(env),
    '  }',
    '',
    '  secrets = {',
    ...mapLines(secrets),
    '  }',
    '}',
  ];
  return lines.join('\n');
}

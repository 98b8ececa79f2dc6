/**
 * The root module on ECS: main.tf, variables.tf, outputs.tf, versions.tf, backend.tf and
 * terraform.tfvars.example. The pieces both computes share (variables, versions, backend,
 * tfvars) are exported for root-eks.ts.
 */
import type { ExportFile, ExportModel } from '../model.js';
import { GENERATED_BY, hclString, output, tfFile, variable } from './hcl.js';
import { albServiceEntry, publicServices, repositoryName, serviceModule } from './services.js';

/** Placeholders the user replaces; docs/export.md and the README list them. */
export const PLACEHOLDER = 'CHANGE_ME';

function mainTf(model: ExportModel): string {
  const pub = publicServices(model);
  const blocks: string[] = [`
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge({ Project = var.project, ManagedBy = "terraform" }, var.tags)
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

module "vpc" {
  source = "./modules/vpc"

  name               = var.project
  cidr               = var.vpc_cidr
  availability_zones = slice(data.aws_availability_zones.available.names, 0, 2)
  single_nat_gateway = var.single_nat_gateway
}

module "ecr" {
  source = "./modules/ecr"

  repositories = [${model.services.map((s) => hclString(repositoryName(s))).join(', ')}]
}

resource "aws_ecs_cluster" "this" {
  name = var.project

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# Services find each other as <service>.<project>.internal, as they do by name in compose.
resource "aws_service_discovery_private_dns_namespace" "this" {
  name = "\${var.project}.internal"
  vpc  = module.vpc.vpc_id
}`];
  if (pub.length > 0) {
    blocks.push(`module "alb" {
  source = "./modules/alb"

  name              = var.project
  vpc_id            = module.vpc.vpc_id
  vpc_cidr          = module.vpc.vpc_cidr
  public_subnet_ids = module.vpc.public_subnet_ids
  domain            = var.domain
  default_service   = ${hclString(pub[0]!.name)}
  services = {
${pub.map(albServiceEntry).join('\n')}
  }
}`);
  }
  blocks.push(...dataStoreModules(model, null));
  blocks.push(`module "observability" {
  source = "./modules/observability"

  name           = var.project
  alb_arn_suffix = ${pub.length > 0 ? 'module.alb.arn_suffix' : 'null'}
  db_instance_id = ${model.postgres ? 'module.rds.instance_id' : 'null'}
  alarm_email    = var.alarm_email
}`);
  blocks.push(`module "iam" {
  source = "./modules/iam"

  name                = var.project
  account_id          = var.account_id
  secret_arns         = [${model.postgres ? 'module.rds.url_secret_arn, module.rds.password_secret_arn' : ''}]
  amp_workspace_arn   = module.observability.amp_workspace_arn
  ecr_repository_arns = module.ecr.repository_arns
  github_repository   = var.github_repository
  github_branch       = var.github_branch
  state_bucket        = var.state_bucket
  lock_table          = var.lock_table
  deploy_policy_arns  = var.deploy_policy_arns
}`);
  for (const service of model.services) blocks.push(serviceModule(model, service));
  return blocks.map((b) => b.trim()).join('\n\n');
}

/** Attributes aligned on `=`, as terraform fmt writes them. */
function attributes(pairs: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `  ${key.padEnd(width)} = ${value}`).join('\n');
}

/**
 * The root's modules rds and elasticache, as the model has them: reachable from the whole
 * VPC (ECS tasks), or, given security groups (the EKS cluster's), from those only.
 */
export function dataStoreModules(model: ExportModel, clientSecurityGroups: string | null): string[] {
  const network: Array<[string, string]> = [['name', 'var.project'], ['vpc_id', 'module.vpc.vpc_id'], ['vpc_cidr', 'module.vpc.vpc_cidr']];
  if (clientSecurityGroups !== null) network.push(['allow_vpc_cidr', 'false'], ['client_security_group_ids', clientSecurityGroups]);
  network.push(['subnet_ids', 'module.vpc.private_subnet_ids']);
  const blocks: string[] = [];
  if (model.postgres) {
    const args = attributes([...network, ['database', hclString(model.postgres.database)], ['username', hclString(model.postgres.user)], ['instance_class', 'var.db_instance_class']]);
    blocks.push(`module "rds" {\n  source = "./modules/rds"\n\n${args}\n}`);
  }
  if (model.cache) {
    blocks.push(`module "elasticache" {\n  source = "./modules/elasticache"\n\n${attributes([...network, ['engine', 'var.cache_engine']])}\n}`);
  }
  return blocks;
}

/** The root variables both computes declare. */
export function commonVariables(model: ExportModel): string[] {
  return [
    variable('project', 'string', 'Name prefix of every resource.', hclString(model.project)),
    variable('region', 'string', 'The AWS region, e.g. eu-west-1.'),
    variable('account_id', 'string', 'The AWS account id (12 digits); the provider refuses any other account.', undefined, `
validation {
  condition     = can(regex("^[0-9]{12}$", var.account_id))
  error_message = "account_id must be 12 digits."
}`),
    variable('domain', 'string', 'Your domain: public services answer on <service>.<domain> (point it at the ALB).'),
    variable('github_repository', 'string', 'owner/name of the GitHub repository whose workflow deploys.'),
    variable('github_branch', 'string', 'The branch that may deploy.', '"main"'),
    variable('state_bucket', 'string', 'The S3 bucket of the Terraform state (the same as in backend.tf).'),
    variable('lock_table', 'string', 'The DynamoDB lock table (the same as in backend.tf).'),
    variable('vpc_cidr', 'string', 'The VPC CIDR block.', '"10.0.0.0/16"'),
    variable('single_nat_gateway', 'bool', 'One NAT gateway for both zones (cheaper); false for one per zone.', 'true'),
    variable('alarm_email', 'string', 'An address that receives the CloudWatch alarms; empty for none.', '""'),
    variable('deploy_policy_arns', 'list(string)', 'Policies attached to the GitHub deploy role so terraform apply can manage this stack.', '[]'),
    variable('tags', 'map(string)', 'Extra tags on every resource.', '{}'),
  ];
}

function variablesTf(model: ExportModel): string {
  const vars = commonVariables(model);
  vars.splice(6, 0, variable('image_tags', 'map(string)', 'Image tag by service; the deploy workflow passes the commit SHA. Missing services use "latest".', '{}'));
  if (model.postgres) vars.push(variable('db_instance_class', 'string', 'The RDS instance class.', '"db.t4g.micro"'));
  if (model.cache) vars.push(variable('cache_engine', 'string', 'valkey or redis.', '"valkey"'));
  return vars.join('\n\n');
}

function outputsTf(model: ExportModel): string {
  const outs: string[] = [];
  if (publicServices(model).length > 0) outs.push(output('alb_dns_name', 'module.alb.dns_name', 'The load balancer; point <service>.<domain> here (CNAME or alias).'));
  outs.push(
    output('cluster_name', 'aws_ecs_cluster.this.name', 'The ECS cluster.'),
    output('ecr_repository_urls', 'module.ecr.repository_urls', 'Where the deploy workflow pushes each image.'),
    output('deploy_role_arn', 'module.iam.deploy_role_arn', 'Set as the AWS_DEPLOY_ROLE_ARN variable of the GitHub repository.'),
    output('amp_query_url', 'module.observability.amp_query_url', 'PromQL over the metrics the ADOT sidecars write.'),
    output('alarm_topic_arn', 'module.observability.alarm_topic_arn', 'The SNS topic of the alarms.'),
  );
  if (model.postgres) outs.push(output('database_url_secret_arn', 'module.rds.url_secret_arn', 'The secret holding DATABASE_URL (read it with aws secretsmanager get-secret-value).'));
  return outs.join('\n\n');
}

/** versions.tf; EKS adds the providers that manage the cluster's contents. */
export function versionsTf(extraProviders = ''): string {
  return `
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }${extraProviders}
  }
}
`;
}

export function backendTf(model: ExportModel): string {
  return `
# The state lives in S3, locked in DynamoDB. Create both once (see README.md), then
# replace every ${PLACEHOLDER}: backend blocks cannot read variables.
terraform {
  backend "s3" {
    bucket         = "${PLACEHOLDER}-terraform-state"
    key            = "${model.project}/terraform.tfstate"
    region         = "${PLACEHOLDER}"
    dynamodb_table = "${PLACEHOLDER}-terraform-locks"
    encrypt        = true
  }
}
`;
}

export function tfvarsExample(model: ExportModel, withImageTags = true): string {
  const tags = model.services.map((s) => `  ${hclString(s.name)} = "latest"`).join('\n');
  const imageTags = withImageTags ? `
# The deploy workflow sets these to the commit SHA (TF_VAR_image_tags).
image_tags = {
${tags}
}
` : '';
  return `${GENERATED_BY}
# Copy to terraform.tfvars and fill in. It holds no secrets: commit it.

region            = "eu-west-1"
account_id        = "123456789012"
domain            = "${model.project}.example.com"
github_repository = "your-org/${model.project}"
state_bucket      = "${PLACEHOLDER}-terraform-state"
lock_table        = "${PLACEHOLDER}-terraform-locks"
alarm_email       = ""
${imageTags}`;
}

export function rootModule(model: ExportModel): ExportFile[] {
  return [
    tfFile('main.tf', mainTf(model)),
    tfFile('variables.tf', variablesTf(model)),
    tfFile('outputs.tf', outputsTf(model)),
    tfFile('versions.tf', versionsTf()),
    tfFile('backend.tf', backendTf(model)),
    { path: 'terraform.tfvars.example', content: tfvarsExample(model) },
  ];
}

/**
 * The root module with `--compute eks`: the same VPC, ECR, RDS, ElastiCache, AMP and
 * GitHub OIDC as on ECS, with an EKS cluster instead of ECS services and the ALB. The
 * workloads come from the Kubernetes export (deploy/k8s), applied through k8s-eks/;
 * modules/eks-platform puts in the cluster what they need from AWS.
 */
import { CM_CACHE_URL, CM_POSTGRES_HOST, CM_POSTGRES_PORT, configData } from '../k8s/env.js';
import { configMapName, secretName } from '../k8s/names.js';
import type { ExportFile, ExportModel } from '../model.js';
import { hclString, output, tfFile, variable } from './hcl.js';
import { backendTf, commonVariables, dataStoreModules, tfvarsExample, versionsTf } from './root.js';
import { repositoryName } from './services.js';

const EKS_PROVIDERS = `
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.17"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }`;

/** Keys the Kubernetes export's ConfigMap holds whose values AWS decides. */
function awsConfigValue(key: string, value: string): string {
  if (key === CM_POSTGRES_HOST) return 'module.rds.address';
  if (key === CM_POSTGRES_PORT) return 'tostring(module.rds.port)';
  if (key === CM_CACHE_URL) return 'module.elasticache.url';
  return hclString(value);
}

function mapBlock(entries: ReadonlyArray<readonly [string, string]>, pad: string): string {
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([k]) => k.length));
  return `{\n${entries.map(([k, v]) => `${pad}  ${k.padEnd(width)} = ${v}`).join('\n')}\n${pad}}`;
}

function mainTf(model: ExportModel): string {
  // The module adds the OpenTelemetry settings itself (the collector's address).
  const config = Object.entries(configData(model))
    .filter(([key]) => !key.startsWith('OTEL_'))
    .map(([key, value]) => [key, awsConfigValue(key, value)] as const);
  const secrets = model.postgres ? [[model.postgres.passwordVariable, 'module.rds.password'] as const] : [];
  const clusterAuth = `host                   = module.eks.endpoint
  cluster_ca_certificate = base64decode(module.eks.certificate_authority)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
  }`;
  const blocks: string[] = [`
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge({ Project = var.project, ManagedBy = "terraform" }, var.tags)
  }
}

# The cluster's contents (modules/eks-platform), with a token of the caller's AWS identity.
provider "kubernetes" {
  ${clusterAuth}
}

provider "helm" {
  kubernetes {
    ${clusterAuth.replace(/\n/g, '\n  ')}
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

module "vpc" {
  source = "./modules/vpc"

  name                = var.project
  cidr                = var.vpc_cidr
  availability_zones  = slice(data.aws_availability_zones.available.names, 0, 2)
  single_nat_gateway  = var.single_nat_gateway
  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }
}

module "ecr" {
  source = "./modules/ecr"

  repositories = [${model.services.map((s) => hclString(repositoryName(s))).join(', ')}]
}

module "eks" {
  source = "./modules/eks"

  name                = var.project
  subnet_ids          = module.vpc.private_subnet_ids
  kubernetes_version  = var.kubernetes_version
  public_access_cidrs = var.cluster_public_access_cidrs
  node_instance_types = var.node_instance_types
  node_min_size       = var.node_min_size
  node_max_size       = var.node_max_size
  amp_workspace_arn   = module.observability.amp_workspace_arn
}`];
  blocks.push(...dataStoreModules(model, '[module.eks.cluster_security_group_id]'));
  blocks.push(`# The ALB belongs to the AWS Load Balancer Controller (from the Ingress): no ALB alarms here.
module "observability" {
  source = "./modules/observability"

  name           = var.project
  alb_arn_suffix = null
  db_instance_id = ${model.postgres ? 'module.rds.instance_id' : 'null'}
  alarm_email    = var.alarm_email
}`);
  blocks.push(`module "iam" {
  source = "./modules/iam"

  name                = var.project
  account_id          = var.account_id
  ecs_task_roles      = false
  eks_cluster_arn     = module.eks.cluster_arn
  amp_workspace_arn   = module.observability.amp_workspace_arn
  ecr_repository_arns = module.ecr.repository_arns
  github_repository   = var.github_repository
  github_branch       = var.github_branch
  state_bucket        = var.state_bucket
  lock_table          = var.lock_table
  deploy_policy_arns  = var.deploy_policy_arns
}`);
  blocks.push(`# The deploy workflow runs terraform apply (which manages the cluster's platform parts) and
# kubectl apply: its role is a cluster admin through an access entry, not through aws-auth.
resource "aws_eks_access_entry" "deploy" {
  cluster_name  = module.eks.cluster_name
  principal_arn = module.iam.deploy_role_arn
}

resource "aws_eks_access_policy_association" "deploy" {
  cluster_name  = module.eks.cluster_name
  principal_arn = module.iam.deploy_role_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.deploy]
}`);
  blocks.push(`module "eks_platform" {
  source = "./modules/eks-platform"

  cluster_name           = module.eks.cluster_name
  region                 = var.region
  vpc_id                 = module.vpc.vpc_id
  namespace              = ${hclString(model.project)}
  config_map_name        = ${hclString(configMapName(model))}
  secret_name            = ${hclString(secretName(model))}
  adot_role_arn          = module.eks.adot_role_arn
  adot_config            = file("\${path.module}/adot-collector.yaml")
  amp_remote_write_url   = module.observability.amp_remote_write_url
  lb_controller_role_arn = module.eks.lb_controller_role_arn

  config_data = ${mapBlock(config, '  ')}

  secret_data = ${mapBlock(secrets, '  ')}

  # The nodes and add-ons first: the controller and the collector run on them.
  depends_on = [module.eks]
}`);
  return blocks.map((b) => b.trim()).join('\n\n');
}

function variablesTf(model: ExportModel): string {
  const vars = [
    ...commonVariables(model),
    variable('kubernetes_version', 'string', 'The EKS Kubernetes version.', '"1.31"'),
    variable('cluster_public_access_cidrs', 'list(string)', 'Who may reach the cluster API from the internet (GitHub-hosted runners need it); [] for private only.', '["0.0.0.0/0"]'),
    variable('node_instance_types', 'list(string)', 'Instance types of the managed node group.', '["t3.large"]'),
    variable('node_min_size', 'number', 'Nodes at least.', '2'),
    variable('node_max_size', 'number', 'Nodes at most.', '6'),
  ];
  if (model.postgres) vars.push(variable('db_instance_class', 'string', 'The RDS instance class.', '"db.t4g.micro"'));
  if (model.cache) vars.push(variable('cache_engine', 'string', 'valkey or redis.', '"valkey"'));
  return vars.join('\n\n');
}

function outputsTf(model: ExportModel): string {
  const outs = [
    output('cluster_name', 'module.eks.cluster_name', 'The EKS cluster.'),
    output('kubeconfig_command', '"aws eks update-kubeconfig --name ${module.eks.cluster_name} --region ${var.region}"', 'Run it to point kubectl at the cluster.'),
    output('ecr_repository_urls', 'module.ecr.repository_urls', 'Where the deploy workflow pushes each image.'),
    output('deploy_role_arn', 'module.iam.deploy_role_arn', 'Set as the AWS_DEPLOY_ROLE_ARN variable of the GitHub repository.'),
    output('otlp_endpoint', 'module.eks_platform.otlp_endpoint', 'Where pods send OTLP (the ADOT collector on their node).'),
    output('amp_query_url', 'module.observability.amp_query_url', 'PromQL over the metrics the ADOT collectors write.'),
    output('alarm_topic_arn', 'module.observability.alarm_topic_arn', 'The SNS topic of the alarms.'),
  ];
  if (model.postgres) outs.push(output('database_url_secret_arn', 'module.rds.url_secret_arn', 'The secret holding DATABASE_URL (read it with aws secretsmanager get-secret-value).'));
  return outs.join('\n\n');
}

export function rootEksModule(model: ExportModel): ExportFile[] {
  return [
    tfFile('main.tf', mainTf(model)),
    tfFile('variables.tf', variablesTf(model)),
    tfFile('outputs.tf', outputsTf(model)),
    tfFile('versions.tf', versionsTf(EKS_PROVIDERS)),
    tfFile('backend.tf', backendTf(model)),
    { path: 'terraform.tfvars.example', content: tfvarsExample(model, false) },
  ];
}

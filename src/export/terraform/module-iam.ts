/**
 * modules/iam: least-privilege roles. The task execution role pulls images, writes logs
 * and reads exactly the app's secrets; the task role sends traces to X-Ray and writes
 * metrics to the one AMP workspace. GitHub Actions gets an OIDC provider and a deploy role
 * only the configured repository (and branch) can assume: no long-lived keys. On EKS
 * (ecs_task_roles = false) the task roles are not created: the eks module holds the
 * cluster, node and IRSA roles, and the deploy role may also read the cluster's endpoint.
 */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';

const MAIN = `
data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  count              = var.ecs_task_roles ? 1 : 0
  name_prefix        = "\${var.name}-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  count      = var.ecs_task_roles ? 1 : 0
  role       = aws_iam_role.execution[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "ReadTheAppSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = length(var.secret_arns) > 0 ? var.secret_arns : ["arn:aws:secretsmanager:*:\${var.account_id}:secret:none"]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  count  = var.ecs_task_roles ? 1 : 0
  name   = "secrets"
  role   = aws_iam_role.execution[0].id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

resource "aws_iam_role" "task" {
  count              = var.ecs_task_roles ? 1 : 0
  name_prefix        = "\${var.name}-task-"
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "XRay"
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "AmpRemoteWrite"
    actions   = ["aps:RemoteWrite"]
    resources = [var.amp_workspace_arn]
  }
}

resource "aws_iam_role_policy" "task" {
  count  = var.ecs_task_roles ? 1 : 0
  name   = "telemetry"
  role   = aws_iam_role.task[0].id
  policy = data.aws_iam_policy_document.task.json
}

resource "aws_iam_openid_connect_provider" "github" {
  count           = var.create_github_oidc_provider ? 1 : 0
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

locals {
  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:aws:iam::\${var.account_id}:oidc-provider/token.actions.githubusercontent.com"
}

data "aws_iam_policy_document" "deploy_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:\${var.github_repository}:ref:refs/heads/\${var.github_branch}", "repo:\${var.github_repository}:pull_request"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name_prefix        = "\${var.name}-deploy-"
  assume_role_policy = data.aws_iam_policy_document.deploy_assume.json
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = var.ecr_repository_arns
  }
  statement {
    sid       = "TerraformState"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::\${var.state_bucket}", "arn:aws:s3:::\${var.state_bucket}/*"]
  }
  dynamic "statement" {
    for_each = var.eks_cluster_arn == null ? [] : [var.eks_cluster_arn]
    content {
      sid       = "EksKubeconfig"
      actions   = ["eks:DescribeCluster"]
      resources = [statement.value]
    }
  }
  statement {
    sid       = "TerraformLock"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"]
    resources = ["arn:aws:dynamodb:*:\${var.account_id}:table/\${var.lock_table}"]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# terraform apply manages every resource of this stack: the platform team attaches the
# policies it allows for that (see README.md); nothing broad is attached by default.
resource "aws_iam_role_policy_attachment" "deploy_extra" {
  for_each   = toset(var.deploy_policy_arns)
  role       = aws_iam_role.deploy.name
  policy_arn = each.value
}
`;

const VARIABLES = [
  variable('name', 'string', 'Name prefix of the roles.'),
  variable('account_id', 'string', 'The AWS account id.'),
  variable('ecs_task_roles', 'bool', 'Create the ECS task execution and task roles (false on EKS).', 'true'),
  variable('eks_cluster_arn', 'string', 'The EKS cluster the deploy role may describe (aws eks update-kubeconfig); null on ECS.', 'null'),
  variable('secret_arns', 'list(string)', 'Secrets Manager secrets the tasks receive (and nothing else).', '[]'),
  variable('amp_workspace_arn', 'string', 'The AMP workspace the ADOT sidecars write to.'),
  variable('ecr_repository_arns', 'list(string)', 'Repositories the deploy role may push to.'),
  variable('github_repository', 'string', 'owner/name of the GitHub repository that deploys.'),
  variable('github_branch', 'string', 'The branch allowed to assume the deploy role.', '"main"'),
  variable('create_github_oidc_provider', 'bool', 'Create the GitHub OIDC provider (false when the account already has one).', 'true'),
  variable('state_bucket', 'string', 'The Terraform state bucket (see backend.tf).'),
  variable('lock_table', 'string', 'The Terraform lock table (see backend.tf).'),
  variable('deploy_policy_arns', 'list(string)', 'Extra policies for the deploy role, so terraform apply can manage this stack.', '[]'),
].join('\n\n');

const OUTPUTS = [
  output('execution_role_arn', 'one(aws_iam_role.execution[*].arn)', 'The task execution role (null on EKS).'),
  output('task_role_arn', 'one(aws_iam_role.task[*].arn)', 'The task role (null on EKS).'),
  output('deploy_role_arn', 'aws_iam_role.deploy.arn', 'The role GitHub Actions assumes (set it as the AWS_DEPLOY_ROLE_ARN repository variable).'),
].join('\n\n');

export function iamModule(): ExportFile[] {
  return [tfFile('modules/iam/main.tf', MAIN), tfFile('modules/iam/variables.tf', VARIABLES), tfFile('modules/iam/outputs.tf', OUTPUTS)];
}

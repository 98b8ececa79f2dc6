/**
 * modules/eks (with `--compute eks`): an EKS cluster in the private subnets, a managed
 * node group, the cluster and node IAM roles, the OIDC provider for IRSA and two IRSA
 * roles: the ADOT collector (X-Ray, AMP remote write) and the AWS Load Balancer
 * Controller (the ALB in front of the Ingress). The cluster security group, which the
 * managed nodes and the pods use, is an output: RDS and ElastiCache admit only it.
 */
import type { ExportFile } from '../model.js';
import { LB_CONTROLLER_POLICY } from './eks-lb-controller-policy.js';
import { output, tfFile, variable } from './hcl.js';

/** The namespace and service account names the IRSA roles trust (modules/eks-platform creates them). */
export const ADOT_SERVICE_ACCOUNT = 'adot-collector';
export const LB_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

const MAIN = `
data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name_prefix        = "\${var.name}-eks-"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/\${var.name}/cluster"
  retention_in_days = var.log_retention_days
}

resource "aws_kms_key" "secrets" {
  description             = "\${var.name}: envelope encryption of Kubernetes Secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_eks_cluster" "this" {
  name                      = var.name
  version                   = var.kubernetes_version
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = ["api", "audit", "authenticator"]

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = length(var.public_access_cidrs) > 0
    public_access_cidrs     = length(var.public_access_cidrs) > 0 ? var.public_access_cidrs : null
  }

  # Access entries (IAM principals mapped to Kubernetes permissions), no aws-auth ConfigMap.
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.secrets.arn
    }
  }

  depends_on = [aws_iam_role_policy_attachment.cluster, aws_cloudwatch_log_group.cluster]
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "\${var.name}-node-"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each   = toset(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"])
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/\${each.value}"
}

resource "aws_eks_node_group" "default" {
  cluster_name           = aws_eks_cluster.this.name
  node_group_name_prefix = "\${var.name}-"
  node_role_arn          = aws_iam_role.node.arn
  subnet_ids             = var.subnet_ids
  ami_type               = "AL2023_x86_64_STANDARD"
  capacity_type          = var.node_capacity_type
  instance_types         = var.node_instance_types

  scaling_config {
    desired_size = var.node_min_size
    min_size     = var.node_min_size
    max_size     = var.node_max_size
  }

  update_config {
    max_unavailable = 1
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

resource "aws_eks_addon" "this" {
  for_each                    = toset(["vpc-cni", "coredns", "kube-proxy"])
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  resolve_conflicts_on_update = "OVERWRITE"
  depends_on                  = [aws_eks_node_group.default]
}

# IRSA: pods assume IAM roles through the cluster's OIDC issuer.
data "tls_certificate" "oidc" {
  url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "cluster" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.oidc.certificates[0].sha1_fingerprint]
}

locals {
  oidc_issuer = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
  irsa = {
    adot          = { namespace = var.observability_namespace, service_account = "${ADOT_SERVICE_ACCOUNT}" }
    lb-controller = { namespace = "kube-system", service_account = "${LB_CONTROLLER_SERVICE_ACCOUNT}" }
  }
}

data "aws_iam_policy_document" "irsa_assume" {
  for_each = local.irsa
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.cluster.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "\${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:\${each.value.namespace}:\${each.value.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "\${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each           = local.irsa
  name_prefix        = "\${var.name}-\${each.key}-"
  assume_role_policy = data.aws_iam_policy_document.irsa_assume[each.key].json
}

data "aws_iam_policy_document" "adot" {
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

resource "aws_iam_role_policy" "adot" {
  name   = "telemetry"
  role   = aws_iam_role.irsa["adot"].id
  policy = data.aws_iam_policy_document.adot.json
}

${LB_CONTROLLER_POLICY}`;

const VARIABLES = [
  variable('name', 'string', 'The cluster name and name prefix.'),
  variable('subnet_ids', 'list(string)', 'Private subnets: the control plane network interfaces, the nodes and the pods.'),
  variable('kubernetes_version', 'string', 'The Kubernetes minor version.', '"1.31"'),
  variable('public_access_cidrs', 'list(string)', 'Who may reach the API endpoint from the internet (the deploy workflow runs on GitHub-hosted runners); [] for a private endpoint only.', '["0.0.0.0/0"]'),
  variable('node_instance_types', 'list(string)', 'Instance types of the managed node group.', '["t3.large"]'),
  variable('node_capacity_type', 'string', 'ON_DEMAND or SPOT.', '"ON_DEMAND"'),
  variable('node_min_size', 'number', 'Nodes at least (and at creation).', '2'),
  variable('node_max_size', 'number', 'Nodes at most.', '6'),
  variable('observability_namespace', 'string', 'The namespace of the ADOT collector (its IRSA role trusts its service account there).', '"observability"'),
  variable('amp_workspace_arn', 'string', 'The AMP workspace the ADOT collector may write to.'),
  variable('log_retention_days', 'number', 'Control plane log retention.', '30'),
].join('\n\n');

const OUTPUTS = [
  output('cluster_name', 'aws_eks_cluster.this.name', 'The cluster name (aws eks update-kubeconfig --name ...).'),
  output('cluster_arn', 'aws_eks_cluster.this.arn', 'The cluster ARN.'),
  output('endpoint', 'aws_eks_cluster.this.endpoint', 'The API server endpoint.'),
  output('certificate_authority', 'aws_eks_cluster.this.certificate_authority[0].data', 'The cluster CA, base64.'),
  output('cluster_security_group_id', 'aws_eks_cluster.this.vpc_config[0].cluster_security_group_id', 'The security group of the control plane, the managed nodes and the pods (RDS and ElastiCache admit it).'),
  output('oidc_provider_arn', 'aws_iam_openid_connect_provider.cluster.arn', 'The IRSA OIDC provider, for more service account roles.'),
  output('adot_role_arn', 'aws_iam_role.irsa["adot"].arn', 'The ADOT collector\'s IRSA role.'),
  output('lb_controller_role_arn', 'aws_iam_role.irsa["lb-controller"].arn', 'The AWS Load Balancer Controller\'s IRSA role.'),
  output('node_role_arn', 'aws_iam_role.node.arn', 'The node role.'),
].join('\n\n');

export function eksModule(): ExportFile[] {
  return [tfFile('modules/eks/main.tf', MAIN), tfFile('modules/eks/variables.tf', VARIABLES), tfFile('modules/eks/outputs.tf', OUTPUTS)];
}

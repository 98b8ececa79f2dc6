/**
 * modules/eks-platform (with `--compute eks`): what runs in the cluster before the
 * workloads and depends on AWS values only Terraform knows. The app namespace with the
 * ConfigMap and Secret the Kubernetes export's Deployments read (RDS and ElastiCache
 * endpoints, the generated password), the AWS Load Balancer Controller (Helm; it turns the
 * export's Ingress into an ALB), and the ADOT collector as a DaemonSet (IRSA; OTLP in,
 * each node's pods scraped, traces to X-Ray and metrics to AMP). The workloads themselves
 * come from the Kubernetes export (deploy/k8s), applied through k8s-eks/.
 */
import type { ExportFile } from '../model.js';
import { ADOT_SERVICE_ACCOUNT, LB_CONTROLLER_SERVICE_ACCOUNT } from './module-eks.js';
import { output, tfFile, variable } from './hcl.js';

/** The in-cluster name of the collector's Service: the apps' OTEL_EXPORTER_OTLP_ENDPOINT host. */
export const ADOT_NAME = 'adot-collector';

const MAIN = `
resource "kubernetes_namespace_v1" "app" {
  metadata {
    name   = var.namespace
    labels = { "app.kubernetes.io/part-of" = var.namespace, "app.kubernetes.io/managed-by" = "terraform" }
  }
}

# The settings the Deployments of the Kubernetes export read, with the AWS endpoints.
resource "kubernetes_config_map_v1" "app" {
  metadata {
    name      = var.config_map_name
    namespace = kubernetes_namespace_v1.app.metadata[0].name
  }
  # Tracing on: the collector on each node receives it.
  data = merge(var.config_data, {
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://${ADOT_NAME}.\${var.observability_namespace}.svc.cluster.local:4318"
    OTEL_SDK_DISABLED           = "false"
  })
}

resource "kubernetes_secret_v1" "app" {
  metadata {
    name      = var.secret_name
    namespace = kubernetes_namespace_v1.app.metadata[0].name
  }
  type = "Opaque"
  data = var.secret_data
}

resource "helm_release" "lb_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.lb_controller_chart_version
  namespace  = "kube-system"

  values = [yamlencode({
    clusterName = var.cluster_name
    region      = var.region
    vpcId       = var.vpc_id
    serviceAccount = {
      create      = true
      name        = "${LB_CONTROLLER_SERVICE_ACCOUNT}"
      annotations = { "eks.amazonaws.com/role-arn" = var.lb_controller_role_arn }
    }
  })]
}

resource "kubernetes_namespace_v1" "observability" {
  metadata {
    name = var.observability_namespace
  }
}

resource "kubernetes_service_account_v1" "adot" {
  metadata {
    name        = "${ADOT_SERVICE_ACCOUNT}"
    namespace   = kubernetes_namespace_v1.observability.metadata[0].name
    annotations = { "eks.amazonaws.com/role-arn" = var.adot_role_arn }
  }
}

# The collector discovers the pods on its node to scrape their /metrics.
resource "kubernetes_cluster_role_v1" "adot" {
  metadata {
    name = "${ADOT_NAME}"
  }
  rule {
    api_groups = [""]
    resources  = ["pods", "nodes", "endpoints"]
    verbs      = ["get", "list", "watch"]
  }
}

resource "kubernetes_cluster_role_binding_v1" "adot" {
  metadata {
    name = "${ADOT_NAME}"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.adot.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.adot.metadata[0].name
    namespace = kubernetes_namespace_v1.observability.metadata[0].name
  }
}

resource "kubernetes_config_map_v1" "adot" {
  metadata {
    name      = "${ADOT_NAME}"
    namespace = kubernetes_namespace_v1.observability.metadata[0].name
  }
  data = { "collector.yaml" = var.adot_config }
}

resource "kubernetes_daemon_set_v1" "adot" {
  metadata {
    name      = "${ADOT_NAME}"
    namespace = kubernetes_namespace_v1.observability.metadata[0].name
    labels    = { "app.kubernetes.io/name" = "${ADOT_NAME}" }
  }
  spec {
    selector {
      match_labels = { "app.kubernetes.io/name" = "${ADOT_NAME}" }
    }
    template {
      metadata {
        labels      = { "app.kubernetes.io/name" = "${ADOT_NAME}" }
        annotations = { "checksum/config" = sha256(var.adot_config) }
      }
      spec {
        service_account_name = kubernetes_service_account_v1.adot.metadata[0].name
        container {
          name  = "collector"
          image = var.adot_image
          args  = ["--config=/conf/collector.yaml"]
          port {
            name           = "otlp-grpc"
            container_port = 4317
          }
          port {
            name           = "otlp-http"
            container_port = 4318
          }
          env {
            name  = "AWS_REGION"
            value = var.region
          }
          env {
            name  = "AMP_REMOTE_WRITE_ENDPOINT"
            value = var.amp_remote_write_url
          }
          env {
            name  = "APP_NAMESPACE"
            value = var.namespace
          }
          env {
            name = "K8S_NODE_NAME"
            value_from {
              field_ref {
                field_path = "spec.nodeName"
              }
            }
          }
          resources {
            requests = { cpu = "100m", memory = "200Mi" }
            limits   = { memory = "400Mi" }
          }
          liveness_probe {
            http_get {
              path = "/"
              port = 13133
            }
          }
          volume_mount {
            name       = "config"
            mount_path = "/conf"
          }
        }
        volume {
          name = "config"
          config_map {
            name = kubernetes_config_map_v1.adot.metadata[0].name
          }
        }
      }
    }
  }
}

# Pods send OTLP to the collector on their own node.
resource "kubernetes_service_v1" "adot" {
  metadata {
    name      = "${ADOT_NAME}"
    namespace = kubernetes_namespace_v1.observability.metadata[0].name
  }
  spec {
    selector                = { "app.kubernetes.io/name" = "${ADOT_NAME}" }
    internal_traffic_policy = "Local"
    port {
      name        = "otlp-grpc"
      port        = 4317
      target_port = "otlp-grpc"
    }
    port {
      name        = "otlp-http"
      port        = 4318
      target_port = "otlp-http"
    }
  }
}
`;

const VARIABLES = [
  variable('cluster_name', 'string', 'The EKS cluster.'),
  variable('region', 'string', 'The AWS region.'),
  variable('vpc_id', 'string', 'The VPC (the load balancer controller needs it).'),
  variable('namespace', 'string', 'The app namespace (the Kubernetes export\'s).'),
  variable('config_map_name', 'string', 'The ConfigMap the Deployments read.'),
  variable('config_data', 'map(string)', 'Its data: the AWS endpoints (the module adds the OpenTelemetry endpoint and turns tracing on).'),
  variable('secret_name', 'string', 'The Secret the Deployments read.'),
  // Sensitive: plan and apply never print the password.
  variable('secret_data', 'map(string)', 'Its data (the database password).', '{}').replace('\n}', '\n  sensitive   = true\n}'),
  variable('observability_namespace', 'string', 'The namespace of the ADOT collector.', '"observability"'),
  variable('adot_role_arn', 'string', 'The collector\'s IRSA role.'),
  variable('adot_image', 'string', 'The AWS Distro for OpenTelemetry collector image.', '"public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"'),
  variable('adot_config', 'string', 'The collector config (adot-collector.yaml).'),
  variable('amp_remote_write_url', 'string', 'The AMP remote-write URL.'),
  variable('lb_controller_role_arn', 'string', 'The AWS Load Balancer Controller\'s IRSA role.'),
  variable('lb_controller_chart_version', 'string', 'The eks-charts aws-load-balancer-controller chart version.', '"1.11.0"'),
].join('\n\n');

const OUTPUTS = [
  output('namespace', 'kubernetes_namespace_v1.app.metadata[0].name', 'The app namespace.'),
  output('otlp_endpoint', '"http://${kubernetes_service_v1.adot.metadata[0].name}.${kubernetes_namespace_v1.observability.metadata[0].name}.svc.cluster.local:4318"', 'Where pods send OTLP/HTTP (the collector on their node).'),
].join('\n\n');

export function eksPlatformModule(): ExportFile[] {
  return [tfFile('modules/eks-platform/main.tf', MAIN), tfFile('modules/eks-platform/variables.tf', VARIABLES), tfFile('modules/eks-platform/outputs.tf', OUTPUTS)];
}

/**
 * modules/ecs-service: one Fargate service. The task runs the app container and an ADOT
 * collector sidecar (OTLP in; traces to X-Ray, metrics to AMP); secrets arrive as ECS
 * secrets from Secrets Manager. Behind the ALB target group when public, registered in
 * Cloud Map for service-to-service calls, and scaled on CPU.
 */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';

const MAIN = `
resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/\${var.cluster_name}/\${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "task" {
  name_prefix = "\${var.cluster_name}-\${var.name}-"
  description = "\${var.name}: its port from the VPC"
  vpc_id      = var.vpc_id

  ingress {
    description = "the service port"
    from_port   = var.container_port
    to_port     = var.container_port
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  egress {
    description = "dependencies, AWS APIs and the registry (through NAT)"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  app = {
    name         = var.name
    image        = var.image
    essential    = true
    command      = length(var.command) > 0 ? var.command : null
    portMappings = [{ name = "http", containerPort = var.container_port, protocol = "tcp" }]
    environment  = [for k in sort(keys(var.environment)) : { name = k, value = var.environment[k] }]
    secrets      = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
    dependsOn    = [{ containerName = "adot-collector", condition = "START" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.this.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "app"
      }
    }
  }
  adot = {
    name      = "adot-collector"
    image     = var.adot_image
    essential = false
    command   = ["--config=env:AOT_CONFIG_CONTENT"]
    environment = [
      { name = "AOT_CONFIG_CONTENT", value = var.adot_config },
      { name = "AMP_REMOTE_WRITE_ENDPOINT", value = var.amp_remote_write_url },
      { name = "AWS_REGION", value = var.region },
      { name = "SERVICE_NAME", value = var.name },
      { name = "METRICS_TARGET", value = "localhost:\${coalesce(var.metrics_port, var.container_port)}" },
      { name = "METRICS_PATH", value = var.metrics_path },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.this.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "adot"
      }
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = "\${var.cluster_name}-\${var.name}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([local.app, local.adot])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_service_discovery_service" "this" {
  name = var.name

  dns_config {
    namespace_id   = var.service_discovery_namespace_id
    routing_policy = "MULTIVALUE"
    dns_records {
      ttl  = 10
      type = "A"
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_service" "this" {
  name                              = var.name
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = var.desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = var.target_group_arn == null ? null : var.health_grace_seconds
  enable_execute_command            = false

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = var.target_group_arn == null ? [] : [var.target_group_arn]
    content {
      target_group_arn = load_balancer.value
      container_name   = var.name
      container_port   = var.container_port
    }
  }

  service_registries {
    registry_arn = aws_service_discovery_service.this.arn
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/\${var.cluster_name}/\${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "\${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 120
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
`;

const VARIABLES = [
  variable('name', 'string', 'The service (and app container) name.'),
  variable('cluster_name', 'string', 'The ECS cluster name.'),
  variable('cluster_arn', 'string', 'The ECS cluster ARN.'),
  variable('region', 'string', 'The AWS region (logs, X-Ray, AMP).'),
  variable('vpc_id', 'string', 'The VPC.'),
  variable('vpc_cidr', 'string', 'Callers (load balancer, other services) connect from this CIDR.'),
  variable('subnet_ids', 'list(string)', 'Private subnets the tasks run in.'),
  variable('image', 'string', 'The app image, repository URL and tag.'),
  variable('command', 'list(string)', 'The app command; empty for the image default.', '[]'),
  variable('container_port', 'number', 'The port the app listens on.'),
  variable('environment', 'map(string)', 'Plain environment variables (no secrets).', '{}'),
  variable('secrets', 'map(string)', 'Variables read from Secrets Manager: name => secret ARN.', '{}'),
  variable('metrics_path', 'string', 'The Prometheus path the sidecar scrapes on the app.', '"/metrics"'),
  variable('metrics_port', 'number', 'The port of that path; null for the container port.', 'null'),
  variable('cpu', 'number', 'Task CPU units.', '512'),
  variable('memory', 'number', 'Task memory, MiB.', '1024'),
  variable('desired_count', 'number', 'Tasks at creation; autoscaling owns it afterwards.'),
  variable('min_capacity', 'number', 'Autoscaling minimum.'),
  variable('max_capacity', 'number', 'Autoscaling maximum.'),
  variable('cpu_target_percent', 'number', 'Average CPU autoscaling keeps the service at.', '60'),
  variable('target_group_arn', 'string', 'The ALB target group; null for an internal service.', 'null'),
  variable('health_grace_seconds', 'number', 'Load balancer health checks ignored this long after a task starts.', '60'),
  variable('execution_role_arn', 'string', 'The task execution role.'),
  variable('task_role_arn', 'string', 'The task role.'),
  variable('service_discovery_namespace_id', 'string', 'The Cloud Map namespace services find each other in.'),
  variable('log_retention_days', 'number', 'CloudWatch log retention.', '30'),
  variable('adot_image', 'string', 'The AWS Distro for OpenTelemetry collector image.', '"public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"'),
  variable('adot_config', 'string', 'The collector config (adot-collector.yaml).'),
  variable('amp_remote_write_url', 'string', 'The AMP remote-write URL.'),
].join('\n\n');

const OUTPUTS = [
  output('service_name', 'aws_ecs_service.this.name', 'The ECS service name.'),
  output('task_definition_arn', 'aws_ecs_task_definition.this.arn', 'The task definition revision deployed.'),
  output('log_group', 'aws_cloudwatch_log_group.this.name', 'The log group of both containers.'),
  output('security_group_id', 'aws_security_group.task.id', 'The task security group.'),
].join('\n\n');

export function ecsServiceModule(): ExportFile[] {
  return [tfFile('modules/ecs-service/main.tf', MAIN), tfFile('modules/ecs-service/variables.tf', VARIABLES), tfFile('modules/ecs-service/outputs.tf', OUTPUTS)];
}

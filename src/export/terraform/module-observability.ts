/**
 * modules/observability: the Amazon Managed Service for Prometheus workspace the ADOT
 * sidecars write to, an SNS topic, and CloudWatch alarms on the load balancer (5xx, p95
 * response time) and on the database CPU.
 */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';

const MAIN = `
resource "aws_prometheus_workspace" "this" {
  alias = var.name
}

resource "aws_sns_topic" "alarms" {
  name = "\${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  count               = var.alb_arn_suffix == null ? 0 : 1
  alarm_name          = "\${var.name}-alb-5xx"
  alarm_description   = "The targets behind the load balancer answer 5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.alb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "alb_p95" {
  count               = var.alb_arn_suffix == null ? 0 : 1
  alarm_name          = "\${var.name}-alb-p95"
  alarm_description   = "p95 target response time above \${var.p95_threshold_seconds}s"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.p95_threshold_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  count               = var.db_instance_id == null ? 0 : 1
  alarm_name          = "\${var.name}-rds-cpu"
  alarm_description   = "Database CPU above \${var.rds_cpu_threshold_percent}%"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.rds_cpu_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
`;

const VARIABLES = [
  variable('name', 'string', 'Name prefix of the workspace, topic and alarms.'),
  variable('alb_arn_suffix', 'string', 'The load balancer ARN suffix; null when nothing is public (no load balancer alarms).', 'null'),
  variable('db_instance_id', 'string', 'The RDS instance identifier; null without a database (no CPU alarm).', 'null'),
  variable('alarm_email', 'string', 'An address subscribed to the alarm topic; empty for none.', '""'),
  variable('alb_5xx_threshold', 'number', 'Target 5xx responses per minute that count as breaching.', '5'),
  variable('p95_threshold_seconds', 'number', 'p95 target response time, in seconds, that counts as breaching.', '0.5'),
  variable('rds_cpu_threshold_percent', 'number', 'Database CPU, in percent, that counts as breaching.', '80'),
].join('\n\n');

const OUTPUTS = [
  output('amp_workspace_arn', 'aws_prometheus_workspace.this.arn', 'The AMP workspace ARN (the task role may write to it only).'),
  output('amp_remote_write_url', '"${aws_prometheus_workspace.this.prometheus_endpoint}api/v1/remote_write"', 'The AMP remote-write URL the ADOT sidecars use.'),
  output('amp_query_url', '"${aws_prometheus_workspace.this.prometheus_endpoint}api/v1/query"', 'The AMP PromQL query URL (Grafana, cloudlab-style queries).'),
  output('alarm_topic_arn', 'aws_sns_topic.alarms.arn', 'The SNS topic every alarm notifies.'),
].join('\n\n');

export function observabilityModule(): ExportFile[] {
  return [tfFile('modules/observability/main.tf', MAIN), tfFile('modules/observability/variables.tf', VARIABLES), tfFile('modules/observability/outputs.tf', OUTPUTS)];
}

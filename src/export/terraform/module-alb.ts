/** modules/alb: an internet-facing ALB, an HTTP listener, one target group per public service. */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';

const MAIN = `
resource "aws_security_group" "alb" {
  name_prefix = "\${var.name}-alb-"
  description = "HTTP from the internet to the load balancer"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTP"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = var.ingress_cidrs
  }

  egress {
    description = "to the tasks in the VPC"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.vpc_cidr]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb" "this" {
  name                       = substr(var.name, 0, 32)
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  idle_timeout               = 60
}

resource "aws_lb_target_group" "service" {
  for_each             = var.services
  name                 = substr("\${var.name}-\${each.key}", 0, 32)
  port                 = each.value.port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = each.value.health_path
    matcher             = each.value.health_matcher
    interval            = each.value.health_interval_seconds
    timeout             = each.value.health_timeout_seconds
    healthy_threshold   = 2
    unhealthy_threshold = each.value.health_retries
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service[var.default_service].arn
  }
}

# Every public service also answers on <service>.<domain>.
resource "aws_lb_listener_rule" "host" {
  for_each     = var.services
  listener_arn = aws_lb_listener.http.arn
  priority     = 100 + index(sort(keys(var.services)), each.key)

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service[each.key].arn
  }

  condition {
    host_header {
      values = ["\${each.key}.\${var.domain}"]
    }
  }
}
`;

const VARIABLES = [
  variable('name', 'string', 'Name prefix of the load balancer and its target groups.'),
  variable('vpc_id', 'string', 'The VPC of the load balancer.'),
  variable('vpc_cidr', 'string', 'The VPC CIDR block: the load balancer sends only there.'),
  variable('public_subnet_ids', 'list(string)', 'Public subnets, one per zone.'),
  variable('ingress_cidrs', 'list(string)', 'Who may reach the listener.', '["0.0.0.0/0"]'),
  variable('domain', 'string', 'The domain: each service also answers on <service>.<domain>.'),
  variable('default_service', 'string', 'The service the listener forwards to when no host rule matches.'),
  variable('services', `map(object({
    port                    = number
    health_path             = string
    health_matcher          = string
    health_interval_seconds = number
    health_timeout_seconds  = number
    health_retries          = number
  }))`, 'Public services by name: container port and health check.'),
].join('\n\n');

const OUTPUTS = [
  output('dns_name', 'aws_lb.this.dns_name', 'The load balancer DNS name (point your domain here).'),
  output('zone_id', 'aws_lb.this.zone_id', 'The load balancer hosted zone id (for an alias record).'),
  output('arn_suffix', 'aws_lb.this.arn_suffix', 'The ARN suffix CloudWatch metrics use.'),
  output('security_group_id', 'aws_security_group.alb.id', 'The load balancer security group.'),
  output('target_group_arns', '{ for name, tg in aws_lb_target_group.service : name => tg.arn }', 'Target group ARN by service.'),
  output('target_group_arn_suffixes', '{ for name, tg in aws_lb_target_group.service : name => tg.arn_suffix }', 'Target group ARN suffix by service (CloudWatch dimensions).'),
].join('\n\n');

export function albModule(): ExportFile[] {
  return [tfFile('modules/alb/main.tf', MAIN), tfFile('modules/alb/variables.tf', VARIABLES), tfFile('modules/alb/outputs.tf', OUTPUTS)];
}

/** modules/elasticache: a Valkey (or Redis OSS) replication group, encrypted, failover across zones. */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';
import { CLIENT_ACCESS_VARIABLES, clientIngress } from './client-access.js';

const MAIN = `
resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "cache" {
  name_prefix = "\${var.name}-cache-"
  description = "Valkey/Redis from the VPC"
  vpc_id      = var.vpc_id

${clientIngress('RESP', 6379)}

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "\${var.name} cache"
  engine                     = var.engine
  engine_version             = var.engine_version
  node_type                  = var.node_type
  port                       = 6379
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.cache.id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit   = 1
}
`;

const VARIABLES = [
  variable('name', 'string', 'The replication group id and name prefix.'),
  variable('vpc_id', 'string', 'The VPC.'),
  variable('vpc_cidr', 'string', 'Clients may connect from this CIDR (the VPC).'),
  ...CLIENT_ACCESS_VARIABLES,
  variable('subnet_ids', 'list(string)', 'Private subnets, one per zone.'),
  variable('engine', 'string', 'valkey or redis.', '"valkey"', `
validation {
  condition     = contains(["valkey", "redis"], var.engine)
  error_message = "engine must be valkey or redis."
}`),
  variable('engine_version', 'string', 'The engine version (8.0 for Valkey, 7.1 for Redis OSS).', '"8.0"'),
  variable('node_type', 'string', 'The node type.', '"cache.t4g.micro"'),
].join('\n\n');

const OUTPUTS = [
  output('primary_endpoint', 'aws_elasticache_replication_group.this.primary_endpoint_address', 'The primary endpoint host.'),
  output('url', '"rediss://${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"', 'The cache URL (TLS).'),
].join('\n\n');

export function elasticacheModule(): ExportFile[] {
  return [tfFile('modules/elasticache/main.tf', MAIN), tfFile('modules/elasticache/variables.tf', VARIABLES), tfFile('modules/elasticache/outputs.tf', OUTPUTS)];
}

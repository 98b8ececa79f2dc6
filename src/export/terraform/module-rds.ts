/**
 * modules/rds: PostgreSQL in the private subnets. The password is generated here and kept in
 * Secrets Manager (the password alone, and the full DATABASE_URL); tasks read both as ECS
 * secrets, so no password appears in a task definition or a file.
 */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';
import { CLIENT_ACCESS_VARIABLES, clientIngress } from './client-access.js';

const MAIN = `
resource "random_password" "master" {
  length = 32
  # URL-safe: the password is spliced into DATABASE_URL.
  special          = true
  override_special = "-_"
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "db" {
  name_prefix = "\${var.name}-db-"
  description = "PostgreSQL from the VPC"
  vpc_id      = var.vpc_id

${clientIngress('PostgreSQL', 5432)}

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier                   = var.name
  engine                       = "postgres"
  engine_version               = var.engine_version
  instance_class               = var.instance_class
  allocated_storage            = var.allocated_storage_gb
  max_allocated_storage        = var.allocated_storage_gb * 4
  storage_type                 = "gp3"
  storage_encrypted            = true
  db_name                      = var.database
  username                     = var.username
  password                     = random_password.master.result
  db_subnet_group_name         = aws_db_subnet_group.this.name
  vpc_security_group_ids       = [aws_security_group.db.id]
  multi_az                     = var.multi_az
  publicly_accessible          = false
  backup_retention_period      = var.backup_retention_days
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = false
  final_snapshot_identifier    = "\${var.name}-final"
  performance_insights_enabled = true
  auto_minor_version_upgrade   = true
  apply_immediately            = false
}

resource "aws_secretsmanager_secret" "password" {
  name_prefix = "\${var.name}/postgres-password-"
  description = "The \${var.name} PostgreSQL password"
}

resource "aws_secretsmanager_secret_version" "password" {
  secret_id     = aws_secretsmanager_secret.password.id
  secret_string = random_password.master.result
}

resource "aws_secretsmanager_secret" "url" {
  name_prefix = "\${var.name}/database-url-"
  description = "The \${var.name} DATABASE_URL, password included"
}

resource "aws_secretsmanager_secret_version" "url" {
  secret_id     = aws_secretsmanager_secret.url.id
  secret_string = "postgres://\${var.username}:\${random_password.master.result}@\${aws_db_instance.this.address}:\${aws_db_instance.this.port}/\${var.database}"
}
`;

const VARIABLES = [
  variable('name', 'string', 'The instance identifier and name prefix.'),
  variable('vpc_id', 'string', 'The VPC.'),
  variable('vpc_cidr', 'string', 'Clients may connect from this CIDR (the VPC).'),
  ...CLIENT_ACCESS_VARIABLES,
  variable('subnet_ids', 'list(string)', 'Private subnets, one per zone.'),
  variable('database', 'string', 'The database name.'),
  variable('username', 'string', 'The master user name.'),
  variable('engine_version', 'string', 'PostgreSQL major version.', '"17"'),
  variable('instance_class', 'string', 'The instance class.', '"db.t4g.micro"'),
  variable('allocated_storage_gb', 'number', 'Initial storage; autoscaling may grow it to four times this.', '20'),
  variable('multi_az', 'bool', 'A standby in the second zone.', 'true'),
  variable('backup_retention_days', 'number', 'Automated backup retention.', '7'),
  variable('deletion_protection', 'bool', 'Refuse to delete the instance.', 'true'),
].join('\n\n');

const OUTPUTS = [
  output('instance_id', 'aws_db_instance.this.identifier', 'The instance identifier (CloudWatch dimension).'),
  output('address', 'aws_db_instance.this.address', 'The host name.'),
  output('port', 'aws_db_instance.this.port', 'The port.'),
  output('password_secret_arn', 'aws_secretsmanager_secret.password.arn', 'The Secrets Manager secret holding the password.'),
  output('password', 'random_password.master.result', 'The generated password (for the EKS Secret; sensitive, never printed).', true),
  output('url_secret_arn', 'aws_secretsmanager_secret.url.arn', 'The Secrets Manager secret holding DATABASE_URL.'),
].join('\n\n');

export function rdsModule(): ExportFile[] {
  return [tfFile('modules/rds/main.tf', MAIN), tfFile('modules/rds/variables.tf', VARIABLES), tfFile('modules/rds/outputs.tf', OUTPUTS)];
}

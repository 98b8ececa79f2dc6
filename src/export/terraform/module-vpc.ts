/** modules/vpc: public and private subnets in two availability zones, an internet gateway and NAT. */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';

const MAIN = `
locals {
  az_count  = length(var.availability_zones)
  nat_count = var.single_nat_gateway ? 1 : local.az_count
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  enable_dns_support   = true
  tags                 = { Name = var.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = var.name }
}

resource "aws_subnet" "public" {
  count                   = local.az_count
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, 8, count.index)
  availability_zone       = var.availability_zones[count.index]
  map_public_ip_on_launch = false
  tags                    = merge({ Name = "\${var.name}-public-\${var.availability_zones[count.index]}", Tier = "public" }, var.public_subnet_tags)
}

resource "aws_subnet" "private" {
  count             = local.az_count
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index + 10)
  availability_zone = var.availability_zones[count.index]
  tags              = merge({ Name = "\${var.name}-private-\${var.availability_zones[count.index]}", Tier = "private" }, var.private_subnet_tags)
}

resource "aws_eip" "nat" {
  count  = local.nat_count
  domain = "vpc"
  tags   = { Name = "\${var.name}-nat-\${count.index}" }
}

resource "aws_nat_gateway" "this" {
  count         = local.nat_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = { Name = "\${var.name}-\${count.index}" }
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
  tags = { Name = "\${var.name}-public" }
}

resource "aws_route_table_association" "public" {
  count          = local.az_count
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  count  = local.az_count
  vpc_id = aws_vpc.this.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[var.single_nat_gateway ? 0 : count.index].id
  }
  tags = { Name = "\${var.name}-private-\${count.index}" }
}

resource "aws_route_table_association" "private" {
  count          = local.az_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}
`;

const VARIABLES = [
  variable('name', 'string', 'Name prefix of every network resource.'),
  variable('cidr', 'string', 'The VPC CIDR block; subnets are /24s carved from it.', '"10.0.0.0/16"'),
  variable('availability_zones', 'list(string)', 'Exactly two availability zones: one public and one private subnet in each.', undefined, `
validation {
  condition     = length(var.availability_zones) == 2
  error_message = "availability_zones must list exactly two zones."
}`),
  variable('single_nat_gateway', 'bool', 'One NAT gateway for both zones (cheaper) instead of one per zone (zone-independent).', 'true'),
  variable('public_subnet_tags', 'map(string)', 'Extra tags on the public subnets (EKS: kubernetes.io/role/elb for internet-facing load balancers).', '{}'),
  variable('private_subnet_tags', 'map(string)', 'Extra tags on the private subnets (EKS: kubernetes.io/role/internal-elb).', '{}'),
].join('\n\n');

const OUTPUTS = [
  output('vpc_id', 'aws_vpc.this.id', 'The VPC id.'),
  output('vpc_cidr', 'aws_vpc.this.cidr_block', 'The VPC CIDR block.'),
  output('public_subnet_ids', 'aws_subnet.public[*].id', 'Public subnets (the load balancer).'),
  output('private_subnet_ids', 'aws_subnet.private[*].id', 'Private subnets (tasks, database, cache).'),
].join('\n\n');

export function vpcModule(): ExportFile[] {
  return [tfFile('modules/vpc/main.tf', MAIN), tfFile('modules/vpc/variables.tf', VARIABLES), tfFile('modules/vpc/outputs.tf', OUTPUTS)];
}

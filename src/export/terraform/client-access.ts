/**
 * Who may connect to a data store (modules rds and elasticache): the whole VPC (ECS tasks)
 * or only given security groups (the EKS cluster's), as two dynamic ingress blocks of the
 * store's security group and the two variables that choose between them.
 */
import { variable } from './hcl.js';

/** The ingress blocks, indented for the body of an aws_security_group; `what` names the protocol. */
export function clientIngress(what: string, port: number): string {
  return `  dynamic "ingress" {
    for_each = var.allow_vpc_cidr ? [var.vpc_cidr] : []
    content {
      description = "${what} from the VPC"
      from_port   = ${port}
      to_port     = ${port}
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }

  # On EKS: only the cluster security group (nodes and pods) may connect.
  dynamic "ingress" {
    for_each = length(var.client_security_group_ids) > 0 ? [var.client_security_group_ids] : []
    content {
      description     = "${what} from the clients' security groups"
      from_port       = ${port}
      to_port         = ${port}
      protocol        = "tcp"
      security_groups = ingress.value
    }
  }`;
}

export const CLIENT_ACCESS_VARIABLES = [
  variable('allow_vpc_cidr', 'bool', 'Accept connections from the whole VPC CIDR (ECS tasks); false to accept only client_security_group_ids.', 'true'),
  variable('client_security_group_ids', 'list(string)', 'Security groups whose members may connect (the EKS cluster security group).', '[]'),
];

/** Where the Terraform export runs the services: ECS on Fargate (default) or EKS. */
export const TERRAFORM_COMPUTES = ['ecs', 'eks'] as const;
export type TerraformCompute = (typeof TERRAFORM_COMPUTES)[number];

export interface RenderTerraformOptions {
  /** `ecs` (default): ECS Fargate services behind an ALB. `eks`: an EKS cluster running the Kubernetes export. */
  readonly compute?: TerraformCompute;
}

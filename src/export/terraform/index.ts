/** cloudlab export terraform: the export model as a Terraform root module and modules for AWS. Public API. */
import type { ExportFile, ExportModel } from '../model.js';
import { adotConfig, adotEksConfig } from './adot.js';
import type { RenderTerraformOptions } from './compute.js';
import { eksOverlay } from './k8s-eks-overlay.js';
import { albModule } from './module-alb.js';
import { ecrModule } from './module-ecr.js';
import { ecsServiceModule } from './module-ecs-service.js';
import { eksModule } from './module-eks.js';
import { eksPlatformModule } from './module-eks-platform.js';
import { elasticacheModule } from './module-elasticache.js';
import { iamModule } from './module-iam.js';
import { observabilityModule } from './module-observability.js';
import { rdsModule } from './module-rds.js';
import { vpcModule } from './module-vpc.js';
import { readme } from './readme.js';
import { readmeEks } from './readme-eks.js';
import { rootEksModule } from './root-eks.js';
import { rootModule } from './root.js';
import { publicServices } from './services.js';
import { deployWorkflow } from './workflow.js';

export { TERRAFORM_COMPUTES } from './compute.js';
export type { RenderTerraformOptions, TerraformCompute } from './compute.js';

/**
 * Every file of the Terraform export. Paths are relative to the target's own output
 * directory (`cloudlab export terraform` writes to deploy/terraform). Modules the lab does
 * not need (no database, no cache, nothing public) are left out. `compute: 'eks'` swaps
 * the ECS services and the ALB for an EKS cluster running the Kubernetes export. Pure.
 */
export function renderTerraform(model: ExportModel, options: RenderTerraformOptions = {}): ExportFile[] {
  const shared = [
    ...vpcModule(),
    ...ecrModule(),
    ...(model.postgres ? rdsModule() : []),
    ...(model.cache ? elasticacheModule() : []),
    ...observabilityModule(),
    ...iamModule(),
  ];
  if (options.compute === 'eks') {
    return [
      ...rootEksModule(model),
      ...shared,
      ...eksModule(),
      ...eksPlatformModule(),
      adotEksConfig(model),
      eksOverlay(model),
      deployWorkflow(model, 'eks'),
      readmeEks(model),
    ];
  }
  return [
    ...rootModule(model),
    ...shared,
    ...(publicServices(model).length > 0 ? albModule() : []),
    ...ecsServiceModule(),
    adotConfig(),
    deployWorkflow(model),
    readme(model),
  ];
}

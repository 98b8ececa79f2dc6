/** cloudlab export terraform: the export model as a Terraform root module and modules for AWS. Public API. */
import type { ExportFile, ExportModel } from '../model.js';
import { adotConfig } from './adot.js';
import { albModule } from './module-alb.js';
import { ecrModule } from './module-ecr.js';
import { ecsServiceModule } from './module-ecs-service.js';
import { elasticacheModule } from './module-elasticache.js';
import { iamModule } from './module-iam.js';
import { observabilityModule } from './module-observability.js';
import { rdsModule } from './module-rds.js';
import { vpcModule } from './module-vpc.js';
import { readme } from './readme.js';
import { rootModule } from './root.js';
import { publicServices } from './services.js';
import { deployWorkflow } from './workflow.js';

/**
 * Every file of the Terraform export. Paths are relative to the target's own output
 * directory (`cloudlab export terraform` writes to deploy/terraform). Modules the lab does
 * not need (no database, no cache, nothing public) are left out. Pure.
 */
export function renderTerraform(model: ExportModel): ExportFile[] {
  return [
    ...rootModule(model),
    ...vpcModule(),
    ...(publicServices(model).length > 0 ? albModule() : []),
    ...ecsServiceModule(),
    ...ecrModule(),
    ...(model.postgres ? rdsModule() : []),
    ...(model.cache ? elasticacheModule() : []),
    ...observabilityModule(),
    ...iamModule(),
    adotConfig(),
    deployWorkflow(model),
    readme(model),
  ];
}

/** cloudlab export: the lab config as files for the real stack. Public API. */
export { exportModel, projectName, CONTAINER_PORT, POSTGRES_IMAGE, VALKEY_IMAGE, POSTGRES_PASSWORD_VARIABLE, DEMO_DOCKERFILE } from './model.js';
export type {
  ExportFile,
  ExportModel,
  ExportModelOptions,
  ModelBuild,
  ModelCache,
  ModelDependency,
  ModelEnvValue,
  ModelEnvVar,
  ModelPostgres,
  ModelProxy,
  ModelService,
} from './model.js';
export { renderKubernetes } from './k8s/index.js';
export { renderTerraform, TERRAFORM_COMPUTES } from './terraform/index.js';
export type { RenderTerraformOptions, TerraformCompute } from './terraform/index.js';
export { EXPORT_RESERVED_NAMES } from './name-clash.js';
export { renderCompose } from './compose/index.js';
export type { RenderComposeOptions } from './compose/index.js';
export { writeExport } from './write.js';
export { renderGuides } from './guides/index.js';
export type { WriteExportOptions, WrittenFile, WrittenStatus } from './write.js';

/** The docker compose target: `renderCompose(model)` -> the files of a compose deployment. */
import type { ExportFile, ExportModel } from '../model.js';
import { renderComposeFile, renderEdgeConfig } from './compose-file.js';
import { renderDashboardProvider, renderDashboards, renderDatasources } from './dashboards.js';
import { renderDemoOverlay, renderToxiproxyConfig } from './demo-overlay.js';
import { renderCafeDockerfile, renderCafeDockerignore } from './dockerfile.js';
import { renderEnvExample } from './env-example.js';
import { renderPrometheusConfig } from './prometheus.js';
import { renderComposeReadme } from './readme.js';

export interface RenderComposeOptions {
  /** Absolute directory the files will be written to (build contexts are relative to it). */
  readonly outDir: string;
}

export function renderCompose(model: ExportModel, options: RenderComposeOptions = { outDir: process.cwd() }): ExportFile[] {
  const files: ExportFile[] = [
    { path: 'docker-compose.yml', content: renderComposeFile(model, options) },
    { path: 'docker-compose.demo.yml', content: renderDemoOverlay(model) },
    { path: '.env.example', content: renderEnvExample(model) },
    { path: 'README.md', content: renderComposeReadme(model) },
    { path: 'prometheus/prometheus.yml', content: renderPrometheusConfig(model) },
    { path: 'grafana/provisioning/datasources/datasources.yml', content: renderDatasources() },
    { path: 'grafana/provisioning/dashboards/dashboards.yml', content: renderDashboardProvider() },
    ...renderDashboards(model).map(([name, content]) => ({ path: `grafana/dashboards/${name}`, content })),
  ];
  if (model.proxies.length > 0) files.push({ path: 'toxiproxy.json', content: renderToxiproxyConfig(model) });
  if (model.services.some((s) => s.publishedPorts.length > 0)) files.push({ path: 'edge/nginx.conf', content: renderEdgeConfig(model) });
  const generated = model.services.find((s) => s.build.dockerfile.kind === 'generated');
  if (generated !== undefined) {
    const path = generated.build.dockerfile.path;
    files.push({ path, content: renderCafeDockerfile(model) }, { path: `${path}.dockerignore`, content: renderCafeDockerignore() });
  }
  return files;
}

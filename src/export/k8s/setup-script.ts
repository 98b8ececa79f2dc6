/** scripts/setup-kind.sh: a kind cluster with ingress-nginx, the images loaded, the dev overlay applied. */
import type { ExportFile, ExportModel } from '../model.js';
import { GENERATED_BY } from './yaml-docs.js';
import { EXPORT_DIR, imageRef } from './names.js';
import { publicServices } from './ingress.js';

export const INGRESS_NGINX_MANIFEST = 'https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml';

/** Single-quoted for bash; our names are [a-z0-9-:.], quoted all the same. */
function q(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function setupKindScript(model: ExportModel): ExportFile {
  const images = model.services.map((s) => imageRef(s.image));
  const workloads = [
    ...(model.postgres ? [`statefulset/${model.postgres.name}`] : []),
    ...(model.cache ? [`statefulset/${model.cache.name}`] : []),
    ...model.services.map((s) => `deployment/${s.name}`),
  ];
  const lines = [
    '#!/usr/bin/env bash',
    `# ${GENERATED_BY}`,
    '# Creates a kind cluster from kind-config.yaml, installs ingress-nginx, loads the images',
    `# and applies overlays/dev. Run it from anywhere: bash ${EXPORT_DIR}/scripts/setup-kind.sh`,
    'set -euo pipefail',
    '',
    'cd "$(dirname "${BASH_SOURCE[0]}")/.."',
    `CLUSTER="\${CLUSTER:-${model.project}}"`,
    `INGRESS_NGINX_MANIFEST="\${INGRESS_NGINX_MANIFEST:-${INGRESS_NGINX_MANIFEST}}"`,
    'CONTEXT="kind-${CLUSTER}"',
    `IMAGES=(${images.map(q).join(' ')})`,
    '',
    'for tool in kind kubectl docker; do',
    '  if ! command -v "$tool" >/dev/null 2>&1; then',
    '    echo "setup-kind: $tool is not on PATH; install it first" >&2',
    '    exit 1',
    '  fi',
    'done',
    '',
    'for image in ${IMAGES[@]+"${IMAGES[@]}"}; do',
    '  if ! docker image inspect "$image" >/dev/null 2>&1; then',
    '    echo "setup-kind: image $image not found; build it first (docker compose build, from cloudlab export compose)" >&2',
    '    exit 1',
    '  fi',
    'done',
    '',
    'if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then',
    '  echo "setup-kind: cluster $CLUSTER exists, reusing it"',
    'else',
    '  kind create cluster --name "$CLUSTER" --config kind-config.yaml',
    'fi',
    '',
    'kubectl --context "$CONTEXT" apply -f "$INGRESS_NGINX_MANIFEST"',
    'kubectl --context "$CONTEXT" wait --namespace ingress-nginx --for=condition=ready pod \\',
    '  --selector=app.kubernetes.io/component=controller --timeout=300s',
    '',
    'for image in ${IMAGES[@]+"${IMAGES[@]}"}; do',
    '  kind load docker-image --name "$CLUSTER" "$image"',
    'done',
    '',
    'kubectl --context "$CONTEXT" apply -k overlays/dev',
    ...workloads.map((w) => `kubectl --context "$CONTEXT" --namespace ${q(model.project)} rollout status ${q(w)} --timeout=300s`),
    '',
    publicServices(model).length > 0
      ? `echo "setup-kind: ready; try: curl http://localhost/"`
      : 'echo "setup-kind: ready (no service is published through the Ingress)"',
    '',
  ];
  return { path: 'scripts/setup-kind.sh', content: lines.join('\n') };
}

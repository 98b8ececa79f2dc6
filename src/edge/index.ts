/** The edge: the lab's HTTP load balancer (ALB analogue) in front of a service's replicas. */
export { createEdge } from './edge.js';
export type { Backend, BackendChange, BackendChangeReason, BackendStatus, Edge, EdgeOptions } from './types.js';
export { EDGE_DEFAULTS } from './options.js';
export { DURATION_BUCKETS_SECONDS } from './metrics.js';
